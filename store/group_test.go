package store_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
)

// MustCreateGroup stores a group created by creatorID and returns it.
func MustCreateGroup(tb testing.TB, db *store.DB, name string, vis biebplein.Visibility, orgID, creatorID string) *biebplein.Group {
	tb.Helper()
	g := &biebplein.Group{Name: name, Visibility: vis, OrganisationID: orgID}
	if err := db.CreateGroup(tb.Context(), g, creatorID); err != nil {
		tb.Fatalf("create group %q: %v", name, err)
	}
	return g
}

// MustSaveMembership stores a membership and returns it.
func MustSaveMembership(tb testing.TB, db *store.DB, groupID, personID string, role biebplein.Role, status biebplein.MemberStatus) *biebplein.Membership {
	tb.Helper()
	m := &biebplein.Membership{GroupID: groupID, PersonID: personID, Role: role, Status: status}
	if err := db.SaveMembership(tb.Context(), m); err != nil {
		tb.Fatalf("save membership of %s in %s: %v", personID, groupID, err)
	}
	return m
}

// adminScope sees every group, as a site administrator does.
var adminScope = biebplein.GroupScope{Viewer: biebplein.Viewer{PersonID: "site-admin", Admin: true}}

// MustFindGroup reads a group back as a site administrator.
func MustFindGroup(tb testing.TB, db *store.DB, id string) *biebplein.Group {
	tb.Helper()
	groups, _, err := db.FindGroups(tb.Context(), biebplein.GroupFilter{Scope: adminScope, ID: id})
	if err != nil || len(groups) != 1 {
		tb.Fatalf("find group %s = %d groups, %v; want 1", id, len(groups), err)
	}
	return groups[0]
}

// findMembers returns all memberships of a group with a status.
func findMembers(tb testing.TB, db *store.DB, groupID string, status biebplein.MemberStatus) []*biebplein.Member {
	tb.Helper()
	members, _, err := db.FindMembers(tb.Context(), biebplein.MemberFilter{GroupID: groupID, Status: status})
	mustNil(tb, err)
	return members
}

// wantMemberCount fails unless the group's MemberCount is n and equals its number of members.
func wantMemberCount(tb testing.TB, db *store.DB, groupID string, n int) {
	tb.Helper()
	got := MustFindGroup(tb, db, groupID).MemberCount
	counted := len(findMembers(tb, db, groupID, biebplein.StatusMember))
	if got != n || counted != n {
		tb.Fatalf("MemberCount = %d, members listed = %d; want %d", got, counted, n)
	}
}

// memberNames returns "name (role)" of each member, in order.
func memberNames(members []*biebplein.Member) []string {
	var out []string
	for _, m := range members {
		out = append(out, fmt.Sprintf("%s (%s)", m.Person.Name, m.Role))
	}
	return out
}

func TestGroups(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Run("CreateAndFind", func(t *testing.T) {
			f := newFixture(t, dialect)
			g := &biebplein.Group{Name: "Leesconsulenten Noord", Description: "Over voorlezen.",
				Visibility: biebplein.VisOrganisation, OrganisationID: f.library.ID, ImageID: "img1"}
			mustNil(t, f.db.CreateGroup(t.Context(), g, f.person.ID))
			if g.ID == "" || g.CreatedBy != f.person.ID || g.MemberCount != 1 || g.CreatedAt.IsZero() {
				t.Fatalf("created group = %+v", g)
			}
			if m := g.Membership; !m.IsGroupAdmin() || m.PersonID != f.person.ID {
				t.Fatalf("creator's membership = %+v, want admin", m)
			}

			scope := biebplein.GroupScope{Viewer: biebplein.Viewer{PersonID: f.person.ID, Kind: biebplein.KindStaff,
				Organisations: []string{f.library.ID, f.support.ID}}}
			groups, next, err := f.db.FindGroups(t.Context(), biebplein.GroupFilter{Scope: scope, ID: g.ID})
			mustNil(t, err)
			if len(groups) != 1 || next != "" {
				t.Fatalf("FindGroups = %d groups, cursor %q; want 1 and none", len(groups), next)
			}
			got := groups[0]
			if got.Name != g.Name || got.Description != g.Description || got.Visibility != g.Visibility ||
				got.OrganisationID != f.library.ID || got.ImageID != "img1" || got.MemberCount != 1 ||
				got.CreatedBy != f.person.ID {
				t.Fatalf("found %+v, want %+v", got, g)
			}
			wantTime(t, "CreatedAt", got.CreatedAt, g.CreatedAt)
			wantTime(t, "UpdatedAt", got.UpdatedAt, g.UpdatedAt)
			if m := got.Membership; m == nil || *m != *g.Membership {
				t.Fatalf("Membership = %+v, want %+v", m, g.Membership)
			}
			stored, err := f.db.FindMembership(t.Context(), g.ID, f.person.ID)
			mustNil(t, err)
			if *stored != *g.Membership {
				t.Fatalf("FindMembership = %+v, want %+v", stored, g.Membership)
			}
		})

		t.Run("ErrNameTaken", func(t *testing.T) {
			f := newFixture(t, dialect)
			MustCreateGroup(t, f.db, "Makerspace", biebplein.VisPublic, "", f.person.ID)
			err := f.db.CreateGroup(t.Context(), &biebplein.Group{Name: "MAKERSPACE", Visibility: biebplein.VisNetwork}, f.person.ID)
			wantCode(t, err, biebplein.CodeConflict, "error.group_name_taken")
			wantFields(t, err, map[string]string{"name": "error.group_name_taken"})
		})

		t.Run("ErrOrganisationInvalid", func(t *testing.T) {
			f := newFixture(t, dialect)
			err := f.db.CreateGroup(t.Context(), &biebplein.Group{Name: "Weg", Visibility: biebplein.VisOrganisation,
				OrganisationID: "nope"}, f.person.ID)
			wantCode(t, err, biebplein.CodeInvalid)
			wantFields(t, err, map[string]string{"organisation_id": "error.organisation_invalid"})
		})

		t.Run("ErrCreatorInvalid", func(t *testing.T) {
			f := newFixture(t, dialect)
			err := f.db.CreateGroup(t.Context(), &biebplein.Group{Name: "Weg", Visibility: biebplein.VisPublic}, "nobody")
			wantCode(t, err, biebplein.CodeInvalid)
			wantFields(t, err, map[string]string{"created_by": "error.person_invalid"})
			if groups, _, _ := f.db.FindGroups(t.Context(), biebplein.GroupFilter{Scope: adminScope}); len(groups) != 0 {
				t.Fatalf("a failed CreateGroup left %d groups", len(groups))
			}
		})

		t.Run("Update", func(t *testing.T) {
			f := newFixture(t, dialect)
			g := MustCreateGroup(t, f.db, "Oud", biebplein.VisPublic, "", f.person.ID)
			MustCreateGroup(t, f.db, "Bezet", biebplein.VisPublic, "", f.person.ID)
			created := g.UpdatedAt

			g.Name, g.Description, g.Visibility, g.OrganisationID, g.ImageID =
				"Nieuw", "Nu besloten.", biebplein.VisOrganisation, f.library.ID, "img2"
			mustNil(t, f.db.UpdateGroup(t.Context(), g))
			got := MustFindGroup(t, f.db, g.ID)
			if got.Name != "Nieuw" || got.Description != "Nu besloten." || got.Visibility != biebplein.VisOrganisation ||
				got.OrganisationID != f.library.ID || got.ImageID != "img2" || got.MemberCount != 1 {
				t.Fatalf("after update = %+v", got)
			}
			if got.UpdatedAt.Before(created) {
				t.Fatalf("UpdatedAt %v before %v", got.UpdatedAt, created)
			}
			wantTime(t, "UpdatedAt", got.UpdatedAt, g.UpdatedAt)

			t.Run("ErrNameTaken", func(t *testing.T) {
				g.Name = "bezet"
				err := f.db.UpdateGroup(t.Context(), g)
				wantCode(t, err, biebplein.CodeConflict, "error.group_name_taken")
			})
			t.Run("ErrOrganisationInvalid", func(t *testing.T) {
				g.Name, g.OrganisationID = "Nieuw", "nope"
				wantCode(t, f.db.UpdateGroup(t.Context(), g), biebplein.CodeInvalid)
			})
			t.Run("ErrNotFound", func(t *testing.T) {
				err := f.db.UpdateGroup(t.Context(), &biebplein.Group{ID: "nope", Name: "X", Visibility: biebplein.VisPublic})
				wantCode(t, err, biebplein.CodeNotFound)
			})
		})

		t.Run("Filters", func(t *testing.T) {
			f := newFixture(t, dialect)
			other := MustCreatePerson(t, f.db, newPerson(f.library, "Sanne de Vries", "sanne@example.nl"))
			mine := MustCreateGroup(t, f.db, "Voorlezen 100% Leuk", biebplein.VisPublic, "", f.person.ID)
			g2 := MustCreateGroup(t, f.db, "Taalhuis", biebplein.VisPublic, "", other.ID)
			g2.Description = "Voor taal_vrijwilligers."
			mustNil(t, f.db.UpdateGroup(t.Context(), g2))
			asked := MustCreateGroup(t, f.db, "Digitaal Café", biebplein.VisClosed, "", other.ID)
			asked.Description = "Kom wel vaker langs." // "l v" matches l_v if _ were a wildcard
			mustNil(t, f.db.UpdateGroup(t.Context(), asked))
			MustSaveMembership(t, f.db, asked.ID, f.person.ID, biebplein.RoleMember, biebplein.StatusPending)
			MustCreateGroup(t, f.db, "Voorleesexpress 1000", biebplein.VisPublic, "", other.ID) // 1000 matches 100% if % were

			scope := biebplein.GroupScope{Viewer: biebplein.Viewer{PersonID: f.person.ID, Kind: biebplein.KindStaff}}
			tests := []struct {
				name   string
				filter biebplein.GroupFilter
				want   []string
			}{
				{"All", biebplein.GroupFilter{}, []string{"Digitaal Café", "Taalhuis", "Voorleesexpress 1000", "Voorlezen 100% Leuk"}},
				{"QueryName", biebplein.GroupFilter{Query: "VOORLE"}, []string{"Voorleesexpress 1000", "Voorlezen 100% Leuk"}},
				{"QueryDescription", biebplein.GroupFilter{Query: "vrijwilligers"}, []string{"Taalhuis"}},
				{"QueryPercentIsLiteral", biebplein.GroupFilter{Query: "100%"}, []string{"Voorlezen 100% Leuk"}},
				{"QueryUnderscoreIsLiteral", biebplein.GroupFilter{Query: "l_v"}, []string{"Taalhuis"}},
				{"Member", biebplein.GroupFilter{Member: true}, []string{"Voorlezen 100% Leuk"}},
				{"ID", biebplein.GroupFilter{ID: g2.ID}, []string{"Taalhuis"}},
				{"Limit", biebplein.GroupFilter{Limit: 2}, []string{"Digitaal Café", "Taalhuis"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					tt.filter.Scope = scope
					groups, _, err := f.db.FindGroups(t.Context(), tt.filter)
					mustNil(t, err)
					var got []string
					for _, g := range groups {
						got = append(got, g.Name)
					}
					if !slices.Equal(got, tt.want) {
						t.Fatalf("names = %q, want %q", got, tt.want)
					}
				})
			}

			t.Run("OwnMembershipFilledIn", func(t *testing.T) {
				groups, _, err := f.db.FindGroups(t.Context(), biebplein.GroupFilter{Scope: scope})
				mustNil(t, err)
				want := map[string]string{mine.ID: "member/admin", asked.ID: "pending/member"}
				for _, g := range groups {
					got := ""
					if m := g.Membership; m != nil {
						if m.PersonID != f.person.ID || m.GroupID != g.ID {
							t.Errorf("%s: membership of %s in %s", g.Name, m.PersonID, m.GroupID)
						}
						got = fmt.Sprintf("%s/%s", m.Status, m.Role)
					}
					if got != want[g.ID] {
						t.Errorf("%s: membership %q, want %q", g.Name, got, want[g.ID])
					}
				}
			})

			t.Run("NoViewerFindsNothing", func(t *testing.T) {
				groups, _, err := f.db.FindGroups(t.Context(), biebplein.GroupFilter{Scope: biebplein.GroupScope{
					Viewer: biebplein.Viewer{Kind: biebplein.KindStaff, Admin: true}}})
				mustNil(t, err)
				if len(groups) != 0 {
					t.Fatalf("a viewer without PersonID found %d groups", len(groups))
				}
			})
		})

		t.Run("CursorPagination", func(t *testing.T) {
			f := newFixture(t, dialect)
			// Names in mixed case: the order ignores case.
			for i := range 24 {
				name := fmt.Sprintf("groep %02d", i)
				if i%3 == 0 {
					name = strings.ToUpper(name)
				}
				MustCreateGroup(t, f.db, name, biebplein.VisNetwork, "", f.person.ID)
			}
			// A secret group of someone else: not visible, so never on a page.
			other := MustCreatePerson(t, f.db, newPerson(f.library, "Ander", "ander@example.nl"))
			MustCreateGroup(t, f.db, "geheim", biebplein.VisSecret, "", other.ID)

			scope := biebplein.GroupScope{Viewer: biebplein.Viewer{PersonID: f.person.ID, Kind: biebplein.KindStaff}}
			all, next, err := f.db.FindGroups(t.Context(), biebplein.GroupFilter{Scope: scope})
			mustNil(t, err)
			if len(all) != 24 || next != "" {
				t.Fatalf("FindGroups(all) = %d groups, cursor %q; want 24 and none", len(all), next)
			}
			for i := 1; i < len(all); i++ {
				if a, b := strings.ToLower(all[i-1].Name), strings.ToLower(all[i].Name); a >= b {
					t.Fatalf("groups out of order at %d: %q, %q", i, all[i-1].Name, all[i].Name)
				}
			}

			var paged []string
			var sizes []int
			filter := biebplein.GroupFilter{Scope: scope, Limit: 10}
			for page := 0; ; page++ {
				if page > 5 {
					t.Fatal("pagination does not end")
				}
				groups, next, err := f.db.FindGroups(t.Context(), filter)
				mustNil(t, err)
				sizes = append(sizes, len(groups))
				for _, g := range groups {
					paged = append(paged, g.ID)
				}
				if next == "" {
					break
				}
				filter.After = next
			}
			if got, want := fmt.Sprint(sizes), "[10 10 4]"; got != want {
				t.Fatalf("page sizes = %s, want %s", got, want)
			}
			var want []string
			for _, g := range all {
				want = append(want, g.ID)
			}
			if !slices.Equal(paged, want) {
				t.Fatalf("paged IDs =\n%q\nwant\n%q", paged, want)
			}
		})

		t.Run("ErrCursorInvalid", func(t *testing.T) {
			f := newFixture(t, dialect)
			nul := base64.RawURLEncoding.EncodeToString([]byte(`{"n":"\u0000","i":"x"}`))
			for _, after := range []string{"!!!", "bm90IGpzb24", "e30", nul} {
				_, _, err := f.db.FindGroups(t.Context(), biebplein.GroupFilter{Scope: adminScope, After: after})
				wantCode(t, err, biebplein.CodeInvalid, "error.cursor_invalid")
			}
		})
	})
}

func TestMemberships(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		// world: a group created by its admin Anna, and three more people.
		type world struct {
			*fixture
			group                 *biebplein.Group
			anna, bram, cor, dewi *biebplein.Person
		}
		newWorld := func(t *testing.T) *world {
			f := newFixture(t, dialect)
			w := &world{fixture: f, anna: f.person}
			w.bram = MustCreatePerson(t, f.db, newPerson(f.library, "Bram", "bram@example.nl"))
			w.cor = MustCreatePerson(t, f.db, newPerson(f.library, "Cor", "cor@example.nl"))
			w.dewi = MustCreatePerson(t, f.db, newPerson(f.library, "Dewi", "dewi@example.nl"))
			w.group = MustCreateGroup(t, f.db, "Jeugdbibliothecarissen", biebplein.VisClosed, "", w.anna.ID)
			return w
		}

		t.Run("Lifecycle", func(t *testing.T) {
			w := newWorld(t)
			g := w.group.ID
			wantMemberCount(t, w.db, g, 1)

			t.Run("PendingToMember", func(t *testing.T) {
				asked := MustSaveMembership(t, w.db, g, w.bram.ID, biebplein.RoleMember, biebplein.StatusPending)
				wantMemberCount(t, w.db, g, 1)
				if got := memberNames(findMembers(t, w.db, g, biebplein.StatusPending)); !slices.Equal(got, []string{"Bram (member)"}) {
					t.Fatalf("pending = %q", got)
				}
				accepted := MustSaveMembership(t, w.db, g, w.bram.ID, biebplein.RoleMember, biebplein.StatusMember)
				wantMemberCount(t, w.db, g, 2)
				wantTime(t, "CreatedAt", accepted.CreatedAt, asked.CreatedAt)
				if len(findMembers(t, w.db, g, biebplein.StatusPending)) != 0 {
					t.Fatal("Bram is still pending")
				}
			})
			t.Run("InvitedToMember", func(t *testing.T) {
				inv := &biebplein.Membership{GroupID: g, PersonID: w.cor.ID, Status: biebplein.StatusInvited, InvitedBy: w.anna.ID}
				mustNil(t, w.db.SaveMembership(t.Context(), inv))
				wantMemberCount(t, w.db, g, 2)
				got, err := w.db.FindMembership(t.Context(), g, w.cor.ID)
				mustNil(t, err)
				if got.Status != biebplein.StatusInvited || got.InvitedBy != w.anna.ID || got.Role != biebplein.RoleMember {
					t.Fatalf("invitation = %+v", got)
				}
				inv.Status = biebplein.StatusMember
				mustNil(t, w.db.SaveMembership(t.Context(), inv))
				wantMemberCount(t, w.db, g, 3)
			})
			t.Run("Decline", func(t *testing.T) {
				MustSaveMembership(t, w.db, g, w.dewi.ID, biebplein.RoleMember, biebplein.StatusInvited)
				mustNil(t, w.db.DeleteMembership(t.Context(), g, w.dewi.ID))
				wantMemberCount(t, w.db, g, 3)
				_, err := w.db.FindMembership(t.Context(), g, w.dewi.ID)
				wantCode(t, err, biebplein.CodeNotFound)
			})
			t.Run("Leave", func(t *testing.T) {
				mustNil(t, w.db.DeleteMembership(t.Context(), g, w.cor.ID))
				wantMemberCount(t, w.db, g, 2)
			})
			t.Run("DeactivatedPersonStays", func(t *testing.T) {
				mustNil(t, w.db.SetDeactivated(t.Context(), w.bram.ID, &t0))
				wantMemberCount(t, w.db, g, 2)
			})
		})

		t.Run("LastAdminGuard", func(t *testing.T) {
			w := newWorld(t)
			g := w.group.ID
			MustSaveMembership(t, w.db, g, w.bram.ID, biebplein.RoleMember, biebplein.StatusMember)

			t.Run("ErrDemote", func(t *testing.T) {
				err := w.db.SaveMembership(t.Context(), &biebplein.Membership{GroupID: g, PersonID: w.anna.ID,
					Role: biebplein.RoleMember, Status: biebplein.StatusMember})
				wantCode(t, err, biebplein.CodeConflict, "error.last_group_admin")
			})
			t.Run("ErrBackToPending", func(t *testing.T) {
				err := w.db.SaveMembership(t.Context(), &biebplein.Membership{GroupID: g, PersonID: w.anna.ID,
					Role: biebplein.RoleAdmin, Status: biebplein.StatusPending})
				wantCode(t, err, biebplein.CodeConflict, "error.last_group_admin")
			})
			t.Run("ErrLeave", func(t *testing.T) {
				err := w.db.DeleteMembership(t.Context(), g, w.anna.ID)
				wantCode(t, err, biebplein.CodeConflict, "error.last_group_admin")
			})
			// Nothing of the refused changes stuck.
			if m, err := w.db.FindMembership(t.Context(), g, w.anna.ID); err != nil || !m.IsGroupAdmin() {
				t.Fatalf("Anna after refused changes = %+v, %v; want admin", m, err)
			}
			wantMemberCount(t, w.db, g, 2)

			t.Run("HandOver", func(t *testing.T) {
				MustSaveMembership(t, w.db, g, w.bram.ID, biebplein.RoleAdmin, biebplein.StatusMember)
				MustSaveMembership(t, w.db, g, w.anna.ID, biebplein.RoleMember, biebplein.StatusMember)
				wantMemberCount(t, w.db, g, 2)
			})
			t.Run("ErrRemove", func(t *testing.T) {
				err := w.db.DeleteMembership(t.Context(), g, w.bram.ID) // removed by a site administrator
				wantCode(t, err, biebplein.CodeConflict, "error.last_group_admin")
			})
			t.Run("ErrLastMemberLeaves", func(t *testing.T) {
				// The group keeps its admin even when they are its last member.
				mustNil(t, w.db.DeleteMembership(t.Context(), g, w.anna.ID))
				MustSaveMembership(t, w.db, g, w.cor.ID, biebplein.RoleMember, biebplein.StatusPending)
				err := w.db.DeleteMembership(t.Context(), g, w.bram.ID)
				wantCode(t, err, biebplein.CodeConflict, "error.last_group_admin")
				wantMemberCount(t, w.db, g, 1)
				if m, err := w.db.FindMembership(t.Context(), g, w.bram.ID); err != nil || !m.IsGroupAdmin() {
					t.Fatalf("Bram after refused leave = %+v, %v; want admin", m, err)
				}
			})
		})

		t.Run("ConcurrentDemotions", func(t *testing.T) {
			// Two admins demote each other at once: the group lock makes one of them wait and
			// then see that it would remove the last admin.
			w := newWorld(t)
			g := w.group.ID
			MustSaveMembership(t, w.db, g, w.bram.ID, biebplein.RoleAdmin, biebplein.StatusMember)
			errs := make(chan error, 2)
			for _, p := range []*biebplein.Person{w.anna, w.bram} {
				go func() {
					errs <- w.db.SaveMembership(t.Context(), &biebplein.Membership{GroupID: g, PersonID: p.ID,
						Role: biebplein.RoleMember, Status: biebplein.StatusMember})
				}()
			}
			var failed int
			for range 2 {
				if err := <-errs; err != nil {
					wantCode(t, err, biebplein.CodeConflict, "error.last_group_admin")
					failed++
				}
			}
			if failed != 1 {
				t.Fatalf("%d demotions failed, want 1", failed)
			}
			admins := 0
			for _, m := range findMembers(t, w.db, g, biebplein.StatusMember) {
				if m.Role == biebplein.RoleAdmin {
					admins++
				}
			}
			if admins != 1 {
				t.Fatalf("%d admins left, want 1", admins)
			}
		})

		t.Run("ErrNotFound", func(t *testing.T) {
			w := newWorld(t)
			wantCode(t, w.db.DeleteMembership(t.Context(), w.group.ID, w.bram.ID), biebplein.CodeNotFound)
			wantCode(t, w.db.DeleteMembership(t.Context(), "nope", w.bram.ID), biebplein.CodeNotFound)
			err := w.db.SaveMembership(t.Context(), &biebplein.Membership{GroupID: "nope", PersonID: w.bram.ID,
				Role: biebplein.RoleMember, Status: biebplein.StatusPending})
			wantCode(t, err, biebplein.CodeNotFound)
			_, err = w.db.FindMembership(t.Context(), w.group.ID, w.bram.ID)
			wantCode(t, err, biebplein.CodeNotFound)
		})

		t.Run("ErrPersonInvalid", func(t *testing.T) {
			w := newWorld(t)
			err := w.db.SaveMembership(t.Context(), &biebplein.Membership{GroupID: w.group.ID, PersonID: "nobody",
				Role: biebplein.RoleMember, Status: biebplein.StatusPending})
			wantCode(t, err, biebplein.CodeInvalid)
			wantFields(t, err, map[string]string{"person_id": "error.person_invalid"})
		})

		t.Run("FindMembers", func(t *testing.T) {
			w := newWorld(t)
			g := w.group.ID
			other := MustCreateOrganisation(t, w.db, "Bibliotheek Velsen", biebplein.OrgLibrary, w.support.ID)
			zoe := newPerson(other, "zoë", "zoe@example.nl")
			zoe.Expertise = []string{"makerspace"}
			MustCreatePerson(t, w.db, zoe)
			MustSaveMembership(t, w.db, g, zoe.ID, biebplein.RoleAdmin, biebplein.StatusMember)
			MustSaveMembership(t, w.db, g, w.dewi.ID, biebplein.RoleMember, biebplein.StatusMember)
			MustSaveMembership(t, w.db, g, w.bram.ID, biebplein.RoleMember, biebplein.StatusMember)
			MustSaveMembership(t, w.db, g, w.cor.ID, biebplein.RoleMember, biebplein.StatusInvited)

			members := findMembers(t, w.db, g, "")
			want := []string{"Fatima el Amrani (admin)", "zoë (admin)", "Bram (member)", "Dewi (member)"}
			if got := memberNames(members); !slices.Equal(got, want) {
				t.Fatalf("members = %q, want %q", got, want)
			}
			z := members[1].Person
			if z.Organisation.Name != "Bibliotheek Velsen" || z.Organisation.Kind != biebplein.OrgLibrary ||
				!slices.Equal(z.Expertise, []string{"makerspace"}) || z.Email != "zoe@example.nl" {
				t.Fatalf("person = %+v", z)
			}
			if got := memberNames(findMembers(t, w.db, g, biebplein.StatusInvited)); !slices.Equal(got, []string{"Cor (member)"}) {
				t.Fatalf("invited = %q", got)
			}

			t.Run("ErrStatusInvalid", func(t *testing.T) {
				_, _, err := w.db.FindMembers(t.Context(), biebplein.MemberFilter{GroupID: g, Status: "sleeping"})
				wantCode(t, err, biebplein.CodeInvalid)
				wantFields(t, err, map[string]string{"status": "error.status_invalid"})
			})
			t.Run("ErrCursorInvalid", func(t *testing.T) {
				rank := base64.RawURLEncoding.EncodeToString([]byte(`{"r":7,"n":"a","i":"x"}`))
				for _, after := range []string{"!!!", "e30", rank} {
					_, _, err := w.db.FindMembers(t.Context(), biebplein.MemberFilter{GroupID: g, After: after})
					wantCode(t, err, biebplein.CodeInvalid, "error.cursor_invalid")
				}
			})
		})

		t.Run("MemberCursorPagination", func(t *testing.T) {
			w := newWorld(t)
			g := w.group.ID
			// Admins and members, names equal but for case, so that every part of the order
			// (admin first, name, ID) decides somewhere, also across page boundaries.
			for i := range 23 {
				name := fmt.Sprintf("lid %02d", i%8)
				if i%2 == 0 {
					name = strings.ToUpper(name)
				}
				p := MustCreatePerson(t, w.db, newPerson(w.library, name, fmt.Sprintf("lid%02d@example.nl", i)))
				role := biebplein.RoleMember
				if i%4 == 0 {
					role = biebplein.RoleAdmin
				}
				MustSaveMembership(t, w.db, g, p.ID, role, biebplein.StatusMember)
			}
			all := findMembers(t, w.db, g, biebplein.StatusMember)
			if len(all) != 24 {
				t.Fatalf("%d members, want 24", len(all))
			}
			wantMemberCount(t, w.db, g, 24)
			for i := 1; i < len(all); i++ {
				a, b := all[i-1], all[i]
				ka := fmt.Sprintf("%t %s %s", a.Role != biebplein.RoleAdmin, strings.ToLower(a.Person.Name), a.PersonID)
				kb := fmt.Sprintf("%t %s %s", b.Role != biebplein.RoleAdmin, strings.ToLower(b.Person.Name), b.PersonID)
				if ka >= kb {
					t.Fatalf("members out of order at %d: %q, %q", i, ka, kb)
				}
			}

			var paged []string
			var sizes []int
			filter := biebplein.MemberFilter{GroupID: g, Limit: 5}
			for page := 0; ; page++ {
				if page > 10 {
					t.Fatal("pagination does not end")
				}
				members, next, err := w.db.FindMembers(t.Context(), filter)
				mustNil(t, err)
				sizes = append(sizes, len(members))
				for _, m := range members {
					paged = append(paged, m.PersonID)
				}
				if next == "" {
					break
				}
				filter.After = next
			}
			if got, want := fmt.Sprint(sizes), "[5 5 5 5 4]"; got != want {
				t.Fatalf("page sizes = %s, want %s", got, want)
			}
			var want []string
			for _, m := range all {
				want = append(want, m.PersonID)
			}
			if !slices.Equal(paged, want) {
				t.Fatalf("paged IDs =\n%q\nwant\n%q", paged, want)
			}
		})

		t.Run("DeletingPersonCascades", func(t *testing.T) {
			// Deleting a person (which the product does not do; deactivation keeps everything)
			// removes their memberships rather than failing.
			w := newWorld(t)
			MustSaveMembership(t, w.db, w.group.ID, w.bram.ID, biebplein.RoleMember, biebplein.StatusPending)
			_, writer := w.db.Pools()
			_, err := writer.ExecContext(t.Context(), "DELETE FROM people WHERE id = '"+w.bram.ID+"'")
			mustNil(t, err)
			if got := findMembers(t, w.db, w.group.ID, biebplein.StatusPending); len(got) != 0 {
				t.Fatalf("%d pending memberships left, want 0", len(got))
			}
		})
	})
}
