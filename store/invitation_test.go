package store_test

import (
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// MustCreateInvitation stores an invitation created at t0 that expires after the standard
// lifetime.
func MustCreateInvitation(tb testing.TB, db *store.DB, purpose biebplein.InvitationPurpose, personID, hash string) *biebplein.Invitation {
	tb.Helper()
	inv := &biebplein.Invitation{
		Purpose: purpose, PersonID: personID, TokenHash: hash,
		CreatedAt: t0, ExpiresAt: t0.Add(biebplein.InvitationLifetime),
	}
	if err := db.CreateInvitation(tb.Context(), inv); err != nil {
		tb.Fatalf("create invitation: %v", err)
	}
	return inv
}

// newInvited stores a person without a password.
func newInvited(tb testing.TB, f *fixture, name, email string) *biebplein.Person {
	tb.Helper()
	p := newPerson(f.library, name, email)
	p.PasswordHash = ""
	return MustCreatePerson(tb, f.db, p)
}

func TestInvitations(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Run("CreateAndFind", func(t *testing.T) {
			f := newFixture(t, dialect)
			invited := newInvited(t, f, "Nieuw", "nieuw@example.nl")
			inv := &biebplein.Invitation{
				Purpose: biebplein.InviteJoin, PersonID: invited.ID, CreatedBy: f.person.ID, TokenHash: "inv-1",
				CreatedAt: t0, ExpiresAt: t0.Add(biebplein.InvitationLifetime),
			}
			mustNil(t, f.db.CreateInvitation(t.Context(), inv))
			if inv.ID == "" {
				t.Fatal("CreateInvitation did not set the ID")
			}
			got, err := f.db.FindInvitation(t.Context(), "inv-1", t0)
			mustNil(t, err)
			if got.ID != inv.ID || got.Purpose != biebplein.InviteJoin || got.PersonID != invited.ID ||
				got.CreatedBy != f.person.ID || got.UsedAt != nil {
				t.Fatalf("found %+v, want %+v", got, inv)
			}
			wantTime(t, "CreatedAt", got.CreatedAt, t0)
			wantTime(t, "ExpiresAt", got.ExpiresAt, t0.Add(biebplein.InvitationLifetime))

			_, err = f.db.FindInvitation(t.Context(), "inv-1", t0.Add(biebplein.InvitationLifetime))
			wantCode(t, err, biebplein.CodeNotFound)
			_, err = f.db.FindInvitation(t.Context(), "unknown", t0)
			wantCode(t, err, biebplein.CodeNotFound)
		})

		t.Run("EarlierInvitationsStopWorking", func(t *testing.T) {
			f := newFixture(t, dialect)
			invited := newInvited(t, f, "Nieuw", "nieuw@example.nl")
			other := newInvited(t, f, "Ander", "ander@example.nl")
			MustCreateInvitation(t, f.db, biebplein.InviteJoin, invited.ID, "first")
			MustCreateInvitation(t, f.db, biebplein.InviteJoin, other.ID, "others")
			MustCreateInvitation(t, f.db, biebplein.InviteJoin, invited.ID, "second")
			MustCreateInvitation(t, f.db, biebplein.InviteSetup, "", "setup-1")
			MustCreateInvitation(t, f.db, biebplein.InviteSetup, "", "setup-2")

			for hash, want := range map[string]bool{"first": false, "second": true, "others": true, "setup-1": false, "setup-2": true} {
				_, err := f.db.FindInvitation(t.Context(), hash, t0)
				if got := err == nil; got != want {
					t.Errorf("invitation %s works = %v (%v), want %v", hash, got, err, want)
				}
			}
		})

		t.Run("Accept", func(t *testing.T) {
			f := newFixture(t, dialect)
			invited := newInvited(t, f, "Nieuw", "nieuw@example.nl")
			MustCreateInvitation(t, f.db, biebplein.InviteJoin, invited.ID, "inv-1")

			p, err := f.db.AcceptInvitation(t.Context(), "inv-1", "new-hash", t0.Add(time.Hour))
			mustNil(t, err)
			if p.ID != invited.ID || p.PasswordHash != "new-hash" || p.Organisation.Name != "Bibliotheek Haarlem" {
				t.Fatalf("accepted person = %+v", p)
			}
			if got := MustFindPerson(t, f.db, invited.ID).PasswordHash; got != "new-hash" {
				t.Fatalf("stored PasswordHash = %q, want new-hash", got)
			}
			_, err = f.db.FindInvitation(t.Context(), "inv-1", t0.Add(time.Hour))
			wantCode(t, err, biebplein.CodeNotFound)

			_, err = f.db.AcceptInvitation(t.Context(), "inv-1", "again", t0.Add(time.Hour))
			wantCode(t, err, biebplein.CodeNotFound)
			if got := MustFindPerson(t, f.db, invited.ID).PasswordHash; got != "new-hash" {
				t.Fatalf("a used invitation changed the password to %q", got)
			}
		})

		t.Run("ErrAcceptNotFound", func(t *testing.T) {
			f := newFixture(t, dialect)
			invited := newInvited(t, f, "Nieuw", "nieuw@example.nl")
			MustCreateInvitation(t, f.db, biebplein.InviteJoin, invited.ID, "inv-1")
			MustCreateInvitation(t, f.db, biebplein.InviteSetup, "", "setup")

			tests := []struct {
				name, hash string
				now        time.Time
			}{
				{"Expired", "inv-1", t0.Add(biebplein.InvitationLifetime)},
				{"Unknown", "nope", t0},
				{"SetupLink", "setup", t0},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := f.db.AcceptInvitation(t.Context(), tt.hash, "hash", tt.now)
					wantCode(t, err, biebplein.CodeNotFound)
				})
			}
			if got := MustFindPerson(t, f.db, invited.ID).PasswordHash; got != "" {
				t.Fatalf("PasswordHash = %q after failed accepts, want none", got)
			}
		})

		t.Run("CompleteSetup", func(t *testing.T) {
			db := storetest.Open(t, dialect)
			MustCreateInvitation(t, db, biebplein.InviteSetup, "", "setup-1")
			org := &biebplein.Organisation{Name: "Probiblio", Kind: biebplein.OrgSupport}
			admin := &biebplein.Person{Email: "Beheer@Probiblio.nl", Name: "Beheerder", Kind: biebplein.KindStaff, PasswordHash: "hash"}

			mustNil(t, db.CompleteSetup(t.Context(), "setup-1", org, admin, t0))
			if org.ID == "" || admin.ID == "" {
				t.Fatalf("CompleteSetup did not set IDs: org %+v, admin %+v", org, admin)
			}
			got := MustFindPerson(t, db, admin.ID)
			if !got.Admin || got.Email != "beheer@probiblio.nl" || got.Organisation.ID != org.ID || got.Organisation.Name != "Probiblio" {
				t.Fatalf("administrator = %+v", got)
			}

			// The same link again: used.
			err := db.CompleteSetup(t.Context(), "setup-1",
				&biebplein.Organisation{Name: "Tweede", Kind: biebplein.OrgSupport},
				&biebplein.Person{Email: "tweede@example.nl", Name: "Tweede", Kind: biebplein.KindStaff}, t0)
			wantCode(t, err, biebplein.CodeNotFound)

			// A fresh link once someone has an account: conflict, and nothing is created.
			MustCreateInvitation(t, db, biebplein.InviteSetup, "", "setup-2")
			err = db.CompleteSetup(t.Context(), "setup-2",
				&biebplein.Organisation{Name: "Tweede", Kind: biebplein.OrgSupport},
				&biebplein.Person{Email: "tweede@example.nl", Name: "Tweede", Kind: biebplein.KindStaff}, t0)
			wantCode(t, err, biebplein.CodeConflict, "error.setup_done")
			if n, _ := db.CountPeople(t.Context()); n != 1 {
				t.Fatalf("CountPeople() = %d, want 1", n)
			}
			if orgs, _ := db.FindOrganisations(t.Context(), biebplein.OrganisationFilter{}); len(orgs) != 1 {
				t.Fatalf("%d organisations, want 1", len(orgs))
			}
			// The conflict rolled back: the fresh link was not used up.
			if _, err := db.FindInvitation(t.Context(), "setup-2", t0); err != nil {
				t.Fatalf("setup-2 after a failed setup: %v", err)
			}
		})

		t.Run("CompleteSetupExistingOrganisation", func(t *testing.T) {
			db := storetest.Open(t, dialect)
			org := MustCreateOrganisation(t, db, "Rijnbrink", biebplein.OrgSupport, "")
			MustCreateInvitation(t, db, biebplein.InviteSetup, "", "setup-1")
			admin := &biebplein.Person{Email: "beheer@rijnbrink.nl", Name: "Beheerder", Kind: biebplein.KindStaff, PasswordHash: "hash"}
			mustNil(t, db.CompleteSetup(t.Context(), "setup-1", org, admin, t0))
			if orgs, _ := db.FindOrganisations(t.Context(), biebplein.OrganisationFilter{}); len(orgs) != 1 || orgs[0].MemberCount != 1 {
				t.Fatalf("organisations = %+v, want Rijnbrink with one member", orgs)
			}
		})

		t.Run("ErrCompleteSetupNotFound", func(t *testing.T) {
			db := storetest.Open(t, dialect)
			MustCreateInvitation(t, db, biebplein.InviteSetup, "", "setup-1")
			org := &biebplein.Organisation{Name: "Probiblio", Kind: biebplein.OrgSupport}
			admin := &biebplein.Person{Email: "beheer@probiblio.nl", Name: "Beheerder", Kind: biebplein.KindStaff}
			err := db.CompleteSetup(t.Context(), "setup-1", org, admin, t0.Add(biebplein.InvitationLifetime))
			wantCode(t, err, biebplein.CodeNotFound)
			err = db.CompleteSetup(t.Context(), "nope", org, admin, t0)
			wantCode(t, err, biebplein.CodeNotFound)
			if org.ID != "" {
				t.Fatalf("org.ID = %q after a failed setup, want none", org.ID)
			}
		})

		t.Run("ErrCompleteSetupRollsBack", func(t *testing.T) {
			db := storetest.Open(t, dialect)
			MustCreateInvitation(t, db, biebplein.InviteSetup, "", "setup-1")
			org := &biebplein.Organisation{Name: "Probiblio", Kind: biebplein.OrgSupport}
			admin := &biebplein.Person{Email: "beheer@probiblio.nl", Name: "Beheerder", Kind: "robot"} // fails the CHECK
			if err := db.CompleteSetup(t.Context(), "setup-1", org, admin, t0); err == nil {
				t.Fatal("CompleteSetup accepted an unknown kind of person")
			}
			if org.ID != "" {
				t.Fatalf("org.ID = %q after a rolled back setup, want none", org.ID)
			}
			if orgs, _ := db.FindOrganisations(t.Context(), biebplein.OrganisationFilter{}); len(orgs) != 0 {
				t.Fatalf("%d organisations after a rolled back setup, want 0", len(orgs))
			}
			// The link still works, and a corrected retry with the same org succeeds.
			admin.ID, admin.Kind = "", biebplein.KindStaff
			mustNil(t, db.CompleteSetup(t.Context(), "setup-1", org, admin, t0))
		})
	})
}
