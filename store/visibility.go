package store

import (
	"slices"
	"strconv"
	"strings"

	biebplein "github.com/biebplein/biebplein"
)

// The visibility rule is not written here. groupPredicate reads biebplein.GroupGrant for every
// visibility and turns each Grant into SQL, deciding in Go whatever depends only on the viewer
// (kind, site administrator, organisations) so that the database sees constants. The
// agreement test (visibility_test.go) checks that the SQL and Viewer.Allows say the same.
//
// The predicate has at most three branches, each one the planners handle well:
//
//	alias.visibility IN ('public', ...)                       -- granted outright
//	OR (alias.visibility IN (...) AND alias.organisation_id IN (?, ...))
//	OR alias.id IN (SELECT vis_m.group_id FROM group_members vis_m JOIN groups vis_g ON vis_g.id = vis_m.group_id
//	                WHERE vis_m.person_id = ? AND ((vis_g.visibility IN (...) AND vis_m.status IN (...)) OR ...))
//
// The membership branch is one uncorrelated subquery: the database computes the viewer's
// groups once (a handful of rows through the (person_id, status) index) and probes it as a
// hash or an ephemeral index, so filtering a million posts costs no per-row lookup.

// groupPredicate returns an SQL boolean expression (with ? placeholders) and its args that is
// true exactly for the rows of groups (aliased as alias, e.g. "g") the scope's viewer may
// access at scope.Access, built from biebplein.GroupGrant for every visibility — never a
// hand-written copy of the rule. A viewer without a PersonID gets a predicate that is always
// false.
func groupPredicate(scope biebplein.GroupScope, alias string) (string, []any) {
	return grantsFor(scope).sql(scope.Viewer, alias)
}

// classPredicate is groupPredicate without the ways in through a membership: true for the
// groups the viewer may access for who they are (their kind, their organisations, site
// administration), which everyone of the same kind, organisation and role shares. The feed
// cache keeps the heads of followed people, topics and announcements per such class of
// viewers (feedcache.go); what a viewer reads through a membership comes from the groups
// they are a member of, the one source every home feed has.
func classPredicate(scope biebplein.GroupScope, alias string) (string, []any) {
	g := grantsFor(scope)
	g.byStatus = nil
	return g.sql(scope.Viewer, alias)
}

// viewerClass names the class of viewers classPredicate gives the same answer for.
func viewerClass(v biebplein.Viewer) string {
	return string(v.Kind) + "|" + strconv.FormatBool(v.Admin) + "|" + strings.Join(v.Organisations, ",")
}

// grants is the rule for one viewer at one access level, with what depends only on the viewer
// decided in Go.
type grants struct {
	outright []string // visibilities granted whatever the group
	orgVis   []string // visibilities granted to the viewer's organisations
	byStatus []statusGrant
}

func grantsFor(scope biebplein.GroupScope) grants {
	v := scope.Viewer
	var g grants
	if v.PersonID == "" {
		return g
	}
	for _, vis := range biebplein.Visibilities() {
		gr := biebplein.GroupGrant(vis, scope.Access)
		if gr.All || (gr.SiteAdmin && v.Admin) || slices.Contains(gr.Kinds, v.Kind) {
			g.outright = append(g.outright, string(vis))
			continue // the other ways in add nothing
		}
		if slices.Contains(gr.OrgKinds, v.Kind) && len(v.Organisations) > 0 {
			g.orgVis = append(g.orgVis, string(vis))
		}
		if len(gr.Statuses) > 0 {
			g.byStatus = addStatusGrant(g.byStatus, vis, gr.Statuses)
		}
	}
	return g
}

// sql writes the grants as a predicate on the groups aliased alias.
func (g grants) sql(v biebplein.Viewer, alias string) (string, []any) {
	var or []string
	var args []any
	if len(g.outright) > 0 {
		or = append(or, sqlIn(alias+".visibility", g.outright))
	}
	if len(g.orgVis) > 0 {
		or = append(or, "("+sqlIn(alias+".visibility", g.orgVis)+" AND "+
			alias+".organisation_id IN ("+placeholders(len(v.Organisations))+"))")
		for _, id := range v.Organisations {
			args = append(args, id)
		}
	}
	// A membership opens the visibilities of its status: the group has one of them and is
	// among the viewer's groups of that status. The subquery names no column of the outer
	// group, so the database reads the viewer's few memberships once (an index of
	// group_members) and checks each group against them, rather than joining them to groups.
	for _, s := range g.byStatus {
		or = append(or, "("+sqlIn(alias+".visibility", s.visibilities)+" AND "+alias+".id IN (SELECT vis_m.group_id FROM group_members vis_m"+
			" WHERE vis_m.person_id = ? AND "+sqlIn("vis_m.status", s.statuses)+"))")
		args = append(args, v.PersonID)
	}
	if len(or) == 0 {
		return "FALSE", nil
	}
	return orJoin(or), args
}

// orJoin joins conditions with OR, in parentheses when there are several.
func orJoin(conds []string) string {
	if len(conds) == 1 {
		return conds[0]
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// statusGrant is the visibilities that membership in one set of statuses opens.
type statusGrant struct {
	statuses     []string
	visibilities []string
}

// addStatusGrant adds vis to the entry for exactly these statuses, so that visibilities with
// the same statuses share one condition.
func addStatusGrant(grants []statusGrant, vis biebplein.Visibility, statuses []biebplein.MemberStatus) []statusGrant {
	ss := make([]string, len(statuses))
	for i, s := range statuses {
		ss[i] = string(s)
	}
	for i := range grants {
		if slices.Equal(grants[i].statuses, ss) {
			grants[i].visibilities = append(grants[i].visibilities, string(vis))
			return grants
		}
	}
	return append(grants, statusGrant{statuses: ss, visibilities: []string{string(vis)}})
}

// sqlIn returns "column = 'a'" or "column IN ('a', 'b')". The values are the domain's own
// constants (visibilities, statuses), written into the query so that the planners see them;
// a value that could break out of its literal or be taken for a placeholder is a bug.
func sqlIn(column string, values []string) string {
	quoted := make([]string, len(values))
	for i, s := range values {
		quoted[i] = sqlLiteral(s)
	}
	if len(quoted) == 1 {
		return column + " = " + quoted[0]
	}
	return column + " IN (" + strings.Join(quoted, ", ") + ")"
}

// sqlLiteral quotes one of the domain's own constants for writing into a query.
func sqlLiteral(s string) string {
	if strings.ContainsAny(s, `'?\`) {
		panic("store: unsafe SQL constant " + s)
	}
	return "'" + s + "'"
}
