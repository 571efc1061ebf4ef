package store_test

import (
	"fmt"
	"slices"
	"testing"

	biebplein "github.com/biebplein/biebplein"
)

func TestPeople(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Run("CreateAndFind", func(t *testing.T) {
			f := newFixture(t, dialect)
			p := newPerson(f.library, "Jan de Vries", "  Jan.de.Vries@Example.NL ")
			p.Kind, p.Admin = biebplein.KindVolunteer, true
			p.Function, p.Bio, p.Locale = "leesconsulent", "Leest graag voor.\nOok in het Fries.", biebplein.LocaleEN
			p.Expertise = []string{"voorlezen", "#Dyslexie", "boekstart"}
			p.Interests = []string{"strips"}
			MustCreatePerson(t, f.db, p)
			if p.ID == "" || p.CreatedAt.IsZero() {
				t.Fatalf("created person = %+v, want ID and times set", p)
			}
			if got, want := p.Email, "jan.de.vries@example.nl"; got != want {
				t.Fatalf("stored e-mail = %q, want %q", got, want)
			}
			if got, want := p.Organisation, (biebplein.OrganisationRef{ID: f.library.ID, Name: "Bibliotheek Haarlem", Kind: biebplein.OrgLibrary}); got != want {
				t.Fatalf("Organisation = %+v, want %+v", got, want)
			}

			got := MustFindPerson(t, f.db, p.ID)
			wantSamePerson(t, got, p)
			if want := []string{"voorlezen", "dyslexie", "boekstart"}; !slices.Equal(got.Expertise, want) {
				t.Fatalf("Expertise = %q, want %q in the given order", got.Expertise, want)
			}

			byEmail, err := f.db.FindPersonByEmail(t.Context(), "JAN.de.vries@example.nl")
			mustNil(t, err)
			if byEmail.ID != p.ID {
				t.Fatalf("FindPersonByEmail found %s, want %s", byEmail.ID, p.ID)
			}
		})

		t.Run("ErrNotFound", func(t *testing.T) {
			f := newFixture(t, dialect)
			_, err := f.db.FindPersonByID(t.Context(), "nope")
			wantCode(t, err, biebplein.CodeNotFound, "error.not_found")
			_, err = f.db.FindPersonByEmail(t.Context(), "nobody@example.nl")
			wantCode(t, err, biebplein.CodeNotFound)
			wantCode(t, f.db.SetPassword(t.Context(), "nope", "hash"), biebplein.CodeNotFound)
			wantCode(t, f.db.SetDeactivated(t.Context(), "nope", &t0), biebplein.CodeNotFound)
			ghost := newPerson(f.library, "Niemand", "niemand@example.nl")
			ghost.ID = "nope"
			wantCode(t, f.db.UpdatePerson(t.Context(), ghost), biebplein.CodeNotFound)
		})

		t.Run("ErrEmailTaken", func(t *testing.T) {
			f := newFixture(t, dialect)
			err := f.db.CreatePerson(t.Context(), newPerson(f.library, "Fatima", "FATIMA@example.nl"))
			wantCode(t, err, biebplein.CodeConflict, "error.email_taken")
			wantFields(t, err, map[string]string{"email": "error.email_taken"})
			if n, _ := f.db.CountPeople(t.Context()); n != 1 {
				t.Fatalf("CountPeople() = %d after a conflict, want 1", n)
			}
		})

		t.Run("ErrOrganisationInvalid", func(t *testing.T) {
			f := newFixture(t, dialect)
			p := newPerson(f.library, "Ergens", "ergens@example.nl")
			p.Organisation.ID = "nope"
			err := f.db.CreatePerson(t.Context(), p)
			wantCode(t, err, biebplein.CodeInvalid)
			wantFields(t, err, map[string]string{"organisation_id": "error.organisation_invalid"})
		})

		t.Run("Update", func(t *testing.T) {
			f := newFixture(t, dialect)
			p := f.person
			p.Expertise = []string{"makerspace", "coderdojo"}
			mustNil(t, f.db.UpdatePerson(t.Context(), p))

			p.Name, p.Function, p.Bio, p.Kind, p.Admin = "Fatima el Amrani-Jansen", "educatiemanager", "Bio", biebplein.KindPartner, true
			p.Organisation = biebplein.OrganisationRef{ID: f.support.ID}
			p.Expertise, p.Interests = []string{"coderdojo", "robots"}, []string{"tuinieren"}
			p.Email, p.PasswordHash = "changed@example.nl", "changed" // not stored by UpdatePerson
			mustNil(t, f.db.UpdatePerson(t.Context(), p))
			if p.Organisation.Name != "Probiblio" {
				t.Fatalf("Organisation = %+v, want the name filled in", p.Organisation)
			}

			got := MustFindPerson(t, f.db, p.ID)
			if got.Email != "fatima@example.nl" || got.PasswordHash == "changed" {
				t.Fatalf("UpdatePerson changed e-mail or password: %+v", got)
			}
			got.Email, got.PasswordHash = p.Email, p.PasswordHash
			wantSamePerson(t, got, p)
		})

		t.Run("SetPassword", func(t *testing.T) {
			f := newFixture(t, dialect)
			mustNil(t, f.db.SetPassword(t.Context(), f.person.ID, "new-hash"))
			if got := MustFindPerson(t, f.db, f.person.ID).PasswordHash; got != "new-hash" {
				t.Fatalf("PasswordHash = %q, want new-hash", got)
			}
		})

		t.Run("SetDeactivated", func(t *testing.T) {
			f := newFixture(t, dialect)
			id := f.person.ID
			mustNil(t, f.db.CreateSession(t.Context(), &biebplein.Session{PersonID: id, TokenHash: "s1", CSRFToken: "c", ExpiresAt: t0.Add(biebplein.SessionLifetime)}))
			mustNil(t, f.db.CreateAPIToken(t.Context(), &biebplein.APIToken{PersonID: id, Name: "script", TokenHash: "a1"}))

			mustNil(t, f.db.SetDeactivated(t.Context(), id, &t0))
			got := MustFindPerson(t, f.db, id)
			if got.DeactivatedAt == nil {
				t.Fatal("DeactivatedAt = nil after deactivating")
			}
			wantTime(t, "DeactivatedAt", *got.DeactivatedAt, t0)
			if sessions, _ := f.db.FindSessions(t.Context(), id, t0); len(sessions) != 0 {
				t.Fatalf("%d sessions left after deactivating, want 0", len(sessions))
			}
			if tokens, _ := f.db.FindAPITokens(t.Context(), id); len(tokens) != 0 {
				t.Fatalf("%d API tokens left after deactivating, want 0", len(tokens))
			}

			mustNil(t, f.db.SetDeactivated(t.Context(), id, nil))
			if got := MustFindPerson(t, f.db, id); got.DeactivatedAt != nil {
				t.Fatalf("DeactivatedAt = %v after reactivating, want nil", got.DeactivatedAt)
			}
		})

		t.Run("CountPeople", func(t *testing.T) {
			f := newFixture(t, dialect)
			invited := newPerson(f.library, "Uitgenodigd", "invited@example.nl")
			invited.PasswordHash = ""
			MustCreatePerson(t, f.db, invited)
			gone := MustCreatePerson(t, f.db, newPerson(f.library, "Weg", "weg@example.nl"))
			mustNil(t, f.db.SetDeactivated(t.Context(), gone.ID, &t0))
			n, err := f.db.CountPeople(t.Context())
			mustNil(t, err)
			if n != 3 {
				t.Fatalf("CountPeople() = %d, want 3", n)
			}
		})

		t.Run("FindTags", func(t *testing.T) {
			f := newFixture(t, dialect)
			for i, tags := range [][]string{
				{"voorlezen", "dyslexie"},
				{"voorlezen", "vr-bril"},
				{"voorlezen", "dyslexie", "vo_school"},
			} {
				p := newPerson(f.library, fmt.Sprintf("Persoon %d", i), fmt.Sprintf("p%d@example.nl", i))
				p.Expertise, p.Interests = tags, []string{"koken"}
				MustCreatePerson(t, f.db, p)
			}
			gone := newPerson(f.library, "Weg", "weg@example.nl")
			gone.Expertise = []string{"verborgen"}
			MustCreatePerson(t, f.db, gone)
			mustNil(t, f.db.SetDeactivated(t.Context(), gone.ID, &t0))

			tests := []struct {
				name, kind, prefix string
				limit              int
				want               []string
			}{
				{"MostUsedFirst", "expertise", "", 0, []string{"voorlezen", "dyslexie", "vo_school", "vr-bril"}},
				{"Limit", "expertise", "", 2, []string{"voorlezen", "dyslexie"}},
				{"Prefix", "expertise", "#V", 0, []string{"voorlezen", "vo_school", "vr-bril"}},
				{"PrefixWildcardIsLiteral", "expertise", "vo_", 0, []string{"vo_school"}},
				{"Interests", "interest", "", 0, []string{"koken"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := f.db.FindTags(t.Context(), tt.kind, tt.prefix, tt.limit)
					mustNil(t, err)
					if !slices.Equal(got, tt.want) {
						t.Fatalf("FindTags(%q, %q, %d) = %q, want %q", tt.kind, tt.prefix, tt.limit, got, tt.want)
					}
				})
			}
		})
	})
}

// wantSamePerson compares every stored field of two people.
func wantSamePerson(tb testing.TB, got, want *biebplein.Person) {
	tb.Helper()
	g, w := *got, *want
	wantTime(tb, "CreatedAt", g.CreatedAt, w.CreatedAt)
	wantTime(tb, "UpdatedAt", g.UpdatedAt, w.UpdatedAt)
	if !slices.Equal(g.Expertise, w.Expertise) || !slices.Equal(g.Interests, w.Interests) {
		tb.Fatalf("tags = %q / %q, want %q / %q", g.Expertise, g.Interests, w.Expertise, w.Interests)
	}
	if (g.DeactivatedAt == nil) != (w.DeactivatedAt == nil) {
		tb.Fatalf("DeactivatedAt = %v, want %v", g.DeactivatedAt, w.DeactivatedAt)
	}
	g.CreatedAt, g.UpdatedAt, g.Expertise, g.Interests, g.DeactivatedAt = w.CreatedAt, w.UpdatedAt, w.Expertise, w.Interests, w.DeactivatedAt
	if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
		tb.Fatalf("person =\n%+v\nwant\n%+v", g, w)
	}
}
