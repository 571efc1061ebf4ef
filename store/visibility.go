package store

import (
	"slices"
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
	v := scope.Viewer
	if v.PersonID == "" {
		return "FALSE", nil
	}
	var (
		outright []string // visibilities granted whatever the group
		orgVis   []string // visibilities granted to the viewer's organisations
		byStatus []statusGrant
	)
	for _, vis := range biebplein.Visibilities() {
		g := biebplein.GroupGrant(vis, scope.Access)
		if g.All || (g.SiteAdmin && v.Admin) || slices.Contains(g.Kinds, v.Kind) {
			outright = append(outright, string(vis))
			continue // the other ways in add nothing
		}
		if slices.Contains(g.OrgKinds, v.Kind) && len(v.Organisations) > 0 {
			orgVis = append(orgVis, string(vis))
		}
		if len(g.Statuses) > 0 {
			byStatus = addStatusGrant(byStatus, vis, g.Statuses)
		}
	}

	var or []string
	var args []any
	if len(outright) > 0 {
		or = append(or, sqlIn(alias+".visibility", outright))
	}
	if len(orgVis) > 0 {
		or = append(or, "("+sqlIn(alias+".visibility", orgVis)+" AND "+
			alias+".organisation_id IN ("+placeholders(len(v.Organisations))+"))")
		for _, id := range v.Organisations {
			args = append(args, id)
		}
	}
	if len(byStatus) > 0 {
		pairs := make([]string, len(byStatus))
		for i, s := range byStatus {
			pairs[i] = "(" + sqlIn("vis_g.visibility", s.visibilities) + " AND " + sqlIn("vis_m.status", s.statuses) + ")"
		}
		or = append(or, alias+".id IN (SELECT vis_m.group_id FROM group_members vis_m JOIN groups vis_g ON vis_g.id = vis_m.group_id"+
			" WHERE vis_m.person_id = ? AND "+orJoin(pairs)+")")
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
		if strings.ContainsAny(s, `'?\`) {
			panic("store: unsafe SQL constant " + s)
		}
		quoted[i] = "'" + s + "'"
	}
	if len(quoted) == 1 {
		return column + " = " + quoted[0]
	}
	return column + " IN (" + strings.Join(quoted, ", ") + ")"
}
