package store_test

import (
	"fmt"
	"slices"
	"testing"

	biebplein "github.com/biebplein/biebplein"
)

// TestVisibilityAgreement checks that the SQL predicate and the Go rule agree: for every
// viewer and both access levels, FindGroups returns exactly the groups for which
// Viewer.CanSeeGroup or Viewer.CanReadGroup, evaluated in Go with the viewer's membership,
// is true. The world covers every kind of viewer, every visibility, organisation groups at
// every level of the tree, and every membership status of every viewer in every kind of group.
func TestVisibilityAgreement(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		db := f.db

		// The tree: support > library 1 > branch, support > library 1 > partner, support > library 2.
		support, lib1 := f.support, f.library
		lib2 := MustCreateOrganisation(t, db, "Bibliotheek Velsen", biebplein.OrgLibrary, support.ID)
		branch := MustCreateOrganisation(t, db, "Vestiging Schalkwijk", biebplein.OrgBranch, lib1.ID)
		partnerOrg := MustCreateOrganisation(t, db, "Stichting Lezen Haarlem", biebplein.OrgPartner, lib1.ID)
		parent := map[string]string{}
		for _, o := range []*biebplein.Organisation{support, lib1, lib2, branch, partnerOrg} {
			parent[o.ID] = o.ParentID
		}
		// chain is an organisation and every organisation above it, from the tree.
		chain := func(id string) []string {
			var out []string
			for ; id != ""; id = parent[id] {
				out = append(out, id)
			}
			return out
		}

		// The viewers. The one without a PersonID would see a lot if the ID were not checked.
		type viewer struct {
			name string
			biebplein.Viewer
		}
		var viewers []viewer
		addViewer := func(name string, kind biebplein.PersonKind, admin bool, org *biebplein.Organisation) {
			p := newPerson(org, name, fmt.Sprintf("viewer%d@example.nl", len(viewers)))
			p.Kind, p.Admin = kind, admin
			MustCreatePerson(t, db, p)
			viewers = append(viewers, viewer{name, biebplein.Viewer{PersonID: p.ID, Kind: kind, Admin: admin,
				Organisations: chain(org.ID)}})
		}
		addViewer("site admin", biebplein.KindStaff, true, support)
		addViewer("support staff", biebplein.KindStaff, false, support)
		addViewer("library 1 staff", biebplein.KindStaff, false, lib1)
		addViewer("branch staff", biebplein.KindStaff, false, branch)
		addViewer("branch volunteer", biebplein.KindVolunteer, false, branch)
		addViewer("library 2 staff", biebplein.KindStaff, false, lib2)
		addViewer("partner", biebplein.KindPartner, false, partnerOrg)
		addViewer("partner admin", biebplein.KindPartner, true, partnerOrg)
		noID := viewer{"no person", biebplein.Viewer{Kind: biebplein.KindStaff, Admin: true, Organisations: chain(branch.ID)}}

		// The groups: every visibility, organisation groups of every organisation, groups of
		// the other visibilities that carry an organisation anyway (which must not matter), each
		// in four copies. Viewer i has status statuses[(n+i)%4] in copy n ("" is no membership), so
		// every viewer meets every status in every kind of group. The owner, who is no viewer,
		// creates them all and stays their admin.
		owner := f.person
		type variant struct {
			vis biebplein.Visibility
			org *biebplein.Organisation
		}
		var variants []variant
		for _, vis := range biebplein.Visibilities() {
			if vis != biebplein.VisOrganisation {
				variants = append(variants, variant{vis, nil}, variant{vis, lib1})
				continue
			}
			for _, o := range []*biebplein.Organisation{support, lib1, lib2, branch, partnerOrg} {
				variants = append(variants, variant{vis, o})
			}
		}
		statuses := []biebplein.MemberStatus{"", biebplein.StatusMember, biebplein.StatusPending, biebplein.StatusInvited}
		var groups []*biebplein.Group
		membership := map[[2]string]*biebplein.Membership{} // [group, person]
		for _, v := range variants {
			for n := range len(statuses) {
				name, orgID := fmt.Sprintf("%s %d", v.vis, n), ""
				if v.org != nil {
					name, orgID = fmt.Sprintf("%s %s %d", v.vis, v.org.Name, n), v.org.ID
				}
				g := MustCreateGroup(t, db, name, v.vis, orgID, owner.ID)
				groups = append(groups, g)
				for i, vw := range viewers {
					status := statuses[(n+i)%len(statuses)]
					if status == "" {
						continue
					}
					membership[[2]string{g.ID, vw.PersonID}] = MustSaveMembership(t, db, g.ID, vw.PersonID,
						biebplein.RoleMember, status)
				}
			}
		}

		check := func(t *testing.T, vw viewer, access biebplein.Access, member bool) {
			t.Helper()
			var want []string
			for _, g := range groups {
				m := membership[[2]string{g.ID, vw.PersonID}]
				allowed := vw.CanSeeGroup(g, m)
				if access == biebplein.AccessRead {
					allowed = vw.CanReadGroup(g, m)
				}
				if allowed && (!member || m.IsMember()) {
					want = append(want, g.Name)
				}
			}
			slices.Sort(want)
			found, _, err := db.FindGroups(t.Context(), biebplein.GroupFilter{
				Scope: biebplein.GroupScope{Viewer: vw.Viewer, Access: access}, Member: member})
			mustNil(t, err)
			var got []string
			for _, g := range found {
				got = append(got, g.Name)
				m := membership[[2]string{g.ID, vw.PersonID}]
				if (m == nil) != (g.Membership == nil) || (m != nil && g.Membership.Status != m.Status) {
					t.Errorf("%s: Membership = %+v, want %+v", g.Name, g.Membership, m)
				}
			}
			slices.Sort(got) // the store orders by name key, which may differ from byte order of names
			for _, name := range want {
				if !slices.Contains(got, name) {
					t.Errorf("missing %q", name)
				}
			}
			for _, name := range got {
				if !slices.Contains(want, name) {
					t.Errorf("unexpected %q", name)
				}
			}
		}

		for _, vw := range append(viewers, noID) {
			for _, access := range []biebplein.Access{biebplein.AccessSee, biebplein.AccessRead} {
				name := map[biebplein.Access]string{biebplein.AccessSee: "See", biebplein.AccessRead: "Read"}[access]
				t.Run(vw.name+"/"+name, func(t *testing.T) { check(t, vw, access, false) })
				t.Run(vw.name+"/"+name+"/Member", func(t *testing.T) { check(t, vw, access, true) })
			}
		}

		// The world is rich enough only if the rule says yes and no to each viewer somewhere,
		// and lets someone into each organisation group (but the partner's) through their
		// organisation alone.
		t.Run("WorldCoversTheRule", func(t *testing.T) {
			for _, vw := range viewers {
				yes, no := 0, 0
				for _, g := range groups {
					m := membership[[2]string{g.ID, vw.PersonID}]
					for _, ok := range []bool{vw.CanSeeGroup(g, m), vw.CanReadGroup(g, m)} {
						if ok {
							yes++
						} else {
							no++
						}
					}
				}
				if yes == 0 || no == 0 {
					t.Errorf("%s: the rule allows %d groups and refuses %d; want some of both", vw.name, yes, no)
				}
			}
			for _, g := range groups {
				if g.Visibility != biebplein.VisOrganisation {
					continue
				}
				byOrg := 0
				for _, vw := range viewers {
					if !vw.Admin && vw.CanSeeGroup(g, nil) {
						byOrg++
					}
				}
				if byOrg == 0 && g.OrganisationID != partnerOrg.ID {
					t.Errorf("%s: no viewer sees it through their organisation", g.Name)
				}
			}
		})
	})
}
