package store_test

import (
	"slices"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store/storetest"
)

func TestOrganisations(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Run("CreateAndFind", func(t *testing.T) {
			db := storetest.Open(t, dialect)
			support := MustCreateOrganisation(t, db, "Probiblio", biebplein.OrgSupport, "")
			if support.ID == "" || support.CreatedAt.IsZero() || !support.UpdatedAt.Equal(support.CreatedAt) {
				t.Fatalf("created organisation = %+v, want ID and times set", support)
			}
			library := MustCreateOrganisation(t, db, "Bibliotheek Haarlem", biebplein.OrgLibrary, support.ID)
			MustCreatePerson(t, db, newPerson(library, "Anna", "anna@example.nl"))
			MustCreatePerson(t, db, newPerson(library, "Bram", "bram@example.nl"))
			gone := MustCreatePerson(t, db, newPerson(library, "Cor", "cor@example.nl"))
			mustNil(t, db.SetDeactivated(t.Context(), gone.ID, &t0))

			got, err := db.FindOrganisationByID(t.Context(), library.ID)
			mustNil(t, err)
			if got.Name != library.Name || got.Kind != library.Kind || got.ParentID != support.ID {
				t.Fatalf("found %+v, want %+v", got, library)
			}
			wantTime(t, "CreatedAt", got.CreatedAt, library.CreatedAt)
			wantTime(t, "UpdatedAt", got.UpdatedAt, library.UpdatedAt)
			if got, want := got.MemberCount, 2; got != want {
				t.Fatalf("MemberCount = %d, want %d (active people only)", got, want)
			}
			root, err := db.FindOrganisationByID(t.Context(), support.ID)
			mustNil(t, err)
			if root.ParentID != "" || root.MemberCount != 0 {
				t.Fatalf("root = %+v, want no parent and no members", root)
			}
		})

		t.Run("ErrNotFound", func(t *testing.T) {
			db := storetest.Open(t, dialect)
			_, err := db.FindOrganisationByID(t.Context(), "nope")
			wantCode(t, err, biebplein.CodeNotFound, "error.not_found")
			err = db.UpdateOrganisation(t.Context(), &biebplein.Organisation{ID: "nope", Name: "X", Kind: biebplein.OrgSupport})
			wantCode(t, err, biebplein.CodeNotFound)
		})

		t.Run("ErrNameTaken", func(t *testing.T) {
			db := storetest.Open(t, dialect)
			MustCreateOrganisation(t, db, "Bibliotheek Utrecht", biebplein.OrgSupport, "")
			err := db.CreateOrganisation(t.Context(), &biebplein.Organisation{Name: "BIBLIOTHEEK utrecht", Kind: biebplein.OrgSupport})
			wantCode(t, err, biebplein.CodeConflict, "error.org_name_taken")
			wantFields(t, err, map[string]string{"name": "error.org_name_taken"})

			other := MustCreateOrganisation(t, db, "Bibliotheek Zeist", biebplein.OrgSupport, "")
			other.Name = "bibliotheek Utrecht"
			err = db.UpdateOrganisation(t.Context(), other)
			wantCode(t, err, biebplein.CodeConflict, "error.org_name_taken")
		})

		t.Run("ErrParentInvalid", func(t *testing.T) {
			db := storetest.Open(t, dialect)
			err := db.CreateOrganisation(t.Context(), &biebplein.Organisation{Name: "Filiaal", Kind: biebplein.OrgBranch, ParentID: "nope"})
			wantCode(t, err, biebplein.CodeInvalid)
			wantFields(t, err, map[string]string{"parent_id": "error.parent_invalid"})
		})

		t.Run("Update", func(t *testing.T) {
			db := storetest.Open(t, dialect)
			support := MustCreateOrganisation(t, db, "Rijnbrink", biebplein.OrgSupport, "")
			o := MustCreateOrganisation(t, db, "Bibliotheek Arnhem", biebplein.OrgPartner, "")
			created := o.UpdatedAt
			time.Sleep(2 * time.Millisecond)

			o.Name, o.Kind, o.ParentID = "Rozet Arnhem", biebplein.OrgLibrary, support.ID
			mustNil(t, db.UpdateOrganisation(t.Context(), o))
			got, err := db.FindOrganisationByID(t.Context(), o.ID)
			mustNil(t, err)
			if got.Name != "Rozet Arnhem" || got.Kind != biebplein.OrgLibrary || got.ParentID != support.ID {
				t.Fatalf("updated organisation = %+v", got)
			}
			if !got.UpdatedAt.After(created) {
				t.Fatalf("UpdatedAt = %v, want after %v", got.UpdatedAt, created)
			}
			// Renaming to the same name in another case is not a conflict with itself.
			o.Name = "ROZET Arnhem"
			mustNil(t, db.UpdateOrganisation(t.Context(), o))
			// Moving back to the root clears the parent.
			o.ParentID = ""
			mustNil(t, db.UpdateOrganisation(t.Context(), o))
			got, err = db.FindOrganisationByID(t.Context(), o.ID)
			mustNil(t, err)
			if got.ParentID != "" || got.Name != "ROZET Arnhem" {
				t.Fatalf("updated organisation = %+v, want root named ROZET Arnhem", got)
			}
		})

		t.Run("FindOrganisations", func(t *testing.T) {
			db := storetest.Open(t, dialect)
			support := MustCreateOrganisation(t, db, "Probiblio", biebplein.OrgSupport, "")
			haarlem := MustCreateOrganisation(t, db, "bibliotheek Haarlem", biebplein.OrgLibrary, support.ID)
			MustCreateOrganisation(t, db, "Bibliotheek Amstelland", biebplein.OrgLibrary, support.ID)
			MustCreateOrganisation(t, db, "Centrale", biebplein.OrgBranch, haarlem.ID)
			MustCreateOrganisation(t, db, "Basisschool De Wilg", biebplein.OrgPartner, haarlem.ID)

			names := func(f biebplein.OrganisationFilter) []string {
				t.Helper()
				orgs, err := db.FindOrganisations(t.Context(), f)
				mustNil(t, err)
				var out []string
				for _, o := range orgs {
					out = append(out, o.Name)
				}
				return out
			}
			tests := []struct {
				name   string
				filter biebplein.OrganisationFilter
				want   []string
			}{
				{"All", biebplein.OrganisationFilter{}, []string{"Basisschool De Wilg", "Bibliotheek Amstelland", "bibliotheek Haarlem", "Centrale", "Probiblio"}},
				{"Kind", biebplein.OrganisationFilter{Kind: biebplein.OrgLibrary}, []string{"Bibliotheek Amstelland", "bibliotheek Haarlem"}},
				{"Parent", biebplein.OrganisationFilter{ParentID: haarlem.ID}, []string{"Basisschool De Wilg", "Centrale"}},
				{"NameCaseInsensitive", biebplein.OrganisationFilter{Name: "BIBLIOTHEEK HAARLEM"}, []string{"bibliotheek Haarlem"}},
				{"Limit", biebplein.OrganisationFilter{Limit: 2}, []string{"Basisschool De Wilg", "Bibliotheek Amstelland"}},
				{"ID", biebplein.OrganisationFilter{ID: support.ID}, []string{"Probiblio"}},
				{"NoMatch", biebplein.OrganisationFilter{Name: "Elders"}, nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					if got := names(tt.filter); !equal(got, tt.want) {
						t.Fatalf("names = %q, want %q", got, tt.want)
					}
				})
			}
		})
	})
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestOrganisationChain(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			db := storetest.Open(t, dialect)
			poi := MustCreateOrganisation(t, db, "Biebnet", biebplein.OrgSupport, "")
			lib := MustCreateOrganisation(t, db, "Bibliotheek Hoeksmeer", biebplein.OrgLibrary, poi.ID)
			branch := MustCreateOrganisation(t, db, "Hoeksmeer Noord", biebplein.OrgBranch, lib.ID)
			got, err := db.OrganisationChain(t.Context(), branch.ID)
			mustNil(t, err)
			if want := []string{branch.ID, lib.ID, poi.ID}; !slices.Equal(got, want) {
				t.Fatalf("chain = %v, want %v", got, want)
			}
			if got, err := db.OrganisationChain(t.Context(), "unknown"); err != nil || len(got) != 0 {
				t.Fatalf("chain of unknown = %v, %v; want empty", got, err)
			}
		})
	}
}
