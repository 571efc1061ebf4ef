package store_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	biebplein "github.com/biebplein/biebplein"
)

func TestFindPeople(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Run("Filters", func(t *testing.T) {
			f := newFixture(t, dialect) // Fatima el Amrani at Bibliotheek Haarlem
			other := MustCreateOrganisation(t, f.db, "Bibliotheek Velsen", biebplein.OrgLibrary, f.support.ID)

			add := func(name, email, function string, edit func(*biebplein.Person)) *biebplein.Person {
				p := newPerson(f.library, name, email)
				p.Function = function
				if edit != nil {
					edit(p)
				}
				return MustCreatePerson(t, f.db, p)
			}
			add("Ans 100% Zeker", "ans@example.nl", "", nil)
			add("Bob 1000 Procent", "bob@example.nl", "", nil)
			add("Carla Smit", "carla@example.nl", "front_office", nil)
			add("Dirk Smit", "dirk@example.nl", "frontxoffice", func(p *biebplein.Person) {
				p.Organisation.ID = other.ID
				p.Kind = biebplein.KindVolunteer
			})
			add("Eva Leest", "eva@leesclub.nl", "", func(p *biebplein.Person) {
				p.Expertise = []string{"leesbevordering", "dyslexie"}
				p.Admin = true
			})
			add("Femke Uitgenodigd", "femke@example.nl", "", func(p *biebplein.Person) { p.PasswordHash = "" })
			gone := add("Gert Vertrokken", "gert@example.nl", "", func(p *biebplein.Person) {
				p.Expertise = []string{"leesbevordering"}
			})
			mustNil(t, f.db.SetDeactivated(t.Context(), gone.ID, &t0))

			yes, no := true, false
			tests := []struct {
				name   string
				filter biebplein.PersonFilter
				want   []string
			}{
				{"Active", biebplein.PersonFilter{}, []string{"Ans 100% Zeker", "Bob 1000 Procent", "Carla Smit", "Dirk Smit", "Eva Leest", "Fatima el Amrani", "Femke Uitgenodigd"}},
				{"All", biebplein.PersonFilter{Status: biebplein.StatusAll}, []string{"Ans 100% Zeker", "Bob 1000 Procent", "Carla Smit", "Dirk Smit", "Eva Leest", "Fatima el Amrani", "Femke Uitgenodigd", "Gert Vertrokken"}},
				{"Deactivated", biebplein.PersonFilter{Status: biebplein.StatusDeactivated}, []string{"Gert Vertrokken"}},
				{"QueryName", biebplein.PersonFilter{Query: "SMIT"}, []string{"Carla Smit", "Dirk Smit"}},
				{"QueryPercentIsLiteral", biebplein.PersonFilter{Query: "100%"}, []string{"Ans 100% Zeker"}},
				{"QueryUnderscoreIsLiteral", biebplein.PersonFilter{Query: "t_o"}, []string{"Carla Smit"}},
				{"QueryFunction", biebplein.PersonFilter{Query: "Front"}, []string{"Carla Smit", "Dirk Smit"}},
				{"QueryEmail", biebplein.PersonFilter{MatchEmail: true, Query: "@LeesClub"}, []string{"Eva Leest"}},
				{"QueryEmailNotMatchedByDefault", biebplein.PersonFilter{Query: "@LeesClub"}, nil},
				{"Organisation", biebplein.PersonFilter{OrganisationID: other.ID}, []string{"Dirk Smit"}},
				{"Kind", biebplein.PersonFilter{Kind: biebplein.KindVolunteer}, []string{"Dirk Smit"}},
				{"Expertise", biebplein.PersonFilter{Expertise: "leesbevordering"}, []string{"Eva Leest"}},
				{"ExpertiseAll", biebplein.PersonFilter{Expertise: "leesbevordering", Status: biebplein.StatusAll}, []string{"Eva Leest", "Gert Vertrokken"}},
				{"Admin", biebplein.PersonFilter{Admin: &yes}, []string{"Eva Leest"}},
				{"NotAdmin", biebplein.PersonFilter{Admin: &no, Query: "smit"}, []string{"Carla Smit", "Dirk Smit"}},
				{"Email", biebplein.PersonFilter{Email: "Eva@LeesClub.nl"}, []string{"Eva Leest"}},
				{"Limit", biebplein.PersonFilter{Limit: 2}, []string{"Ans 100% Zeker", "Bob 1000 Procent"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					people, _, err := f.db.FindPeople(t.Context(), tt.filter)
					mustNil(t, err)
					var got []string
					for _, p := range people {
						got = append(got, p.Name)
					}
					if !slices.Equal(got, tt.want) {
						t.Fatalf("names = %q, want %q", got, tt.want)
					}
				})
			}
		})

		t.Run("TagsAndOrganisationFilledIn", func(t *testing.T) {
			f := newFixture(t, dialect)
			for i := range 3 {
				p := newPerson(f.library, fmt.Sprintf("Persoon %d", i), fmt.Sprintf("p%d@example.nl", i))
				p.Expertise = []string{fmt.Sprintf("tag-%d-b", i), fmt.Sprintf("tag-%d-a", i)}
				p.Interests = []string{"gedeeld"}
				MustCreatePerson(t, f.db, p)
			}
			people, _, err := f.db.FindPeople(t.Context(), biebplein.PersonFilter{Query: "persoon"})
			mustNil(t, err)
			for i, p := range people {
				if want := []string{fmt.Sprintf("tag-%d-b", i), fmt.Sprintf("tag-%d-a", i)}; !slices.Equal(p.Expertise, want) {
					t.Errorf("%s: Expertise = %q, want %q", p.Name, p.Expertise, want)
				}
				if !slices.Equal(p.Interests, []string{"gedeeld"}) {
					t.Errorf("%s: Interests = %q", p.Name, p.Interests)
				}
				if p.Organisation.Name != "Bibliotheek Haarlem" || p.Organisation.Kind != biebplein.OrgLibrary {
					t.Errorf("%s: Organisation = %+v", p.Name, p.Organisation)
				}
			}
		})

		t.Run("CursorPagination", func(t *testing.T) {
			f := newFixture(t, dialect)
			// Names in mixed case, some equal but for case, so that order falls back to the ID.
			for i := range 24 {
				name := fmt.Sprintf("lid %02d", i%12)
				if i%3 == 0 {
					name = strings.ToUpper(name)
				}
				MustCreatePerson(t, f.db, newPerson(f.library, name, fmt.Sprintf("lid%02d@example.nl", i)))
			}
			all, next, err := f.db.FindPeople(t.Context(), biebplein.PersonFilter{})
			mustNil(t, err)
			if len(all) != 25 || next != "" {
				t.Fatalf("FindPeople(all) = %d people, cursor %q; want 25 and none", len(all), next)
			}
			for i := 1; i < len(all); i++ {
				a, b := strings.ToLower(all[i-1].Name), strings.ToLower(all[i].Name)
				if a > b || (a == b && all[i-1].ID > all[i].ID) {
					t.Fatalf("people out of order at %d: %q (%s), %q (%s)", i, all[i-1].Name, all[i-1].ID, all[i].Name, all[i].ID)
				}
			}

			var paged []string
			var sizes []int
			filter := biebplein.PersonFilter{Limit: 10}
			for page := 0; ; page++ {
				if page > 5 {
					t.Fatal("pagination does not end")
				}
				people, next, err := f.db.FindPeople(t.Context(), filter)
				mustNil(t, err)
				sizes = append(sizes, len(people))
				for _, p := range people {
					paged = append(paged, p.ID)
				}
				if next == "" {
					break
				}
				filter.After = next
			}
			if got, want := fmt.Sprint(sizes), "[10 10 5]"; got != want {
				t.Fatalf("page sizes = %s, want %s", got, want)
			}
			var want []string
			for _, p := range all {
				want = append(want, p.ID)
			}
			if !slices.Equal(paged, want) {
				t.Fatalf("paged IDs =\n%q\nwant\n%q", paged, want)
			}
		})

		t.Run("ExactPageHasNoCursor", func(t *testing.T) {
			f := newFixture(t, dialect)
			MustCreatePerson(t, f.db, newPerson(f.library, "Tweede", "tweede@example.nl"))
			people, next, err := f.db.FindPeople(t.Context(), biebplein.PersonFilter{Limit: 2})
			mustNil(t, err)
			if len(people) != 2 || next != "" {
				t.Fatalf("FindPeople = %d people, cursor %q; want 2 and none", len(people), next)
			}
		})

		t.Run("ErrCursorInvalid", func(t *testing.T) {
			f := newFixture(t, dialect)
			nul := base64.RawURLEncoding.EncodeToString([]byte(`{"n":"\u0000","i":"x"}`))
			for _, after := range []string{"!!!", "bm90IGpzb24", "e30", nul} { // junk, "not json", "{}", a NUL
				_, _, err := f.db.FindPeople(t.Context(), biebplein.PersonFilter{After: after})
				wantCode(t, err, biebplein.CodeInvalid, "error.cursor_invalid")
			}
		})

		t.Run("ErrStatusInvalid", func(t *testing.T) {
			f := newFixture(t, dialect)
			_, _, err := f.db.FindPeople(t.Context(), biebplein.PersonFilter{Status: "sleeping"})
			wantCode(t, err, biebplein.CodeInvalid)
			wantFields(t, err, map[string]string{"status": "error.status_invalid"})
		})
	})
}
