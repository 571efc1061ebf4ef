package service_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// auditLog reads the whole audit log as the administrator, newest first.
func auditLog(t *testing.T, f *fixture, filter biebplein.AuditFilter) []*biebplein.AuditEvent {
	t.Helper()
	var all []*biebplein.AuditEvent
	filter.Limit = 100
	for {
		page, next, err := f.svc.AuditLog(f.as(f.admin), filter)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		filter.After = next
	}
}

func hasAction(events []*biebplein.AuditEvent, a biebplein.AuditAction, target string) bool {
	return slices.ContainsFunc(events, func(e *biebplein.AuditEvent) bool { return e.Action == a && e.TargetID == target })
}

func TestAuditLog(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		admin := f.as(f.admin)
		secrets := []string{"wachtwoord-123", "fout-geheim-1", "nieuw-wachtwoord-456", "admin-gezet-789"}

		// Sign-in failures (one with the password typed in the address field), a success,
		// an API token, a lockout.
		for _, c := range []service.Credentials{
			{Email: "staff@bieb.test", Password: "fout-geheim-1", IP: "192.0.2.10"},
			{Email: "wachtwoord-123", Password: "wachtwoord-123", IP: "192.0.2.10"},
		} {
			if _, _, _, err := f.svc.SignIn(ctx, c); code(err) != biebplein.CodeUnauthorized {
				t.Fatalf("wrong sign-in = %v", err)
			}
		}
		sess, token, _, err := f.svc.SignIn(ctx, service.Credentials{Email: "staff@bieb.test", Password: "wachtwoord-123", IP: "192.0.2.11"})
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, token, sess.TokenHash, sess.CSRFToken)
		tok, apiSecret, err := f.svc.CreateTokenWithPassword(ctx, service.Credentials{Email: "staff@bieb.test", Password: "wachtwoord-123", IP: "192.0.2.11"}, "script")
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, apiSecret, tok.TokenHash)
		for range 6 {
			_, _, _, _ = f.svc.SignIn(ctx, service.Credentials{Email: "admin@bieb.test", Password: "fout-geheim-1", IP: "192.0.2.12"})
		}

		// Passwords, roles, deactivation, sessions, organisations.
		staff := f.as(f.staff)
		if err := f.svc.ChangePassword(staff, "wachtwoord-123", "nieuw-wachtwoord-456", sess.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetPassword(admin, f.staff.ID, "admin-gezet-789"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdatePerson(admin, f.staff.ID, service.AdminUpdate{Name: "staff", Kind: biebplein.KindVolunteer, OrganisationID: f.root.ID, Admin: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdatePerson(admin, f.staff.ID, service.AdminUpdate{Name: "staff", Kind: biebplein.KindVolunteer, OrganisationID: f.root.ID}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetActive(admin, f.staff.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetActive(admin, f.staff.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RevokeSessions(admin, f.admin.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UpdateOrganisation(admin, f.lib.ID, biebplein.OrganisationInput{Name: "Bibliotheek Hoeksmeer-Oost", Kind: biebplein.OrgLibrary, ParentID: f.root.ID}); err != nil {
			t.Fatal(err)
		}

		log := auditLog(t, f, biebplein.AuditFilter{})
		for _, want := range []struct {
			action biebplein.AuditAction
			target string
		}{
			{biebplein.AuditOrganisationMade, f.lib.ID},
			{biebplein.AuditPersonCreated, f.staff.ID},
			{biebplein.AuditSignInFailed, f.staff.ID},
			{biebplein.AuditSignInFailed, ""}, // the address field held a password: no account named
			{biebplein.AuditSignIn, f.staff.ID},
			{biebplein.AuditSignInThrottled, f.admin.ID},
			{biebplein.AuditPasswordChanged, f.staff.ID},
			{biebplein.AuditAdminGranted, f.staff.ID},
			{biebplein.AuditAdminRevoked, f.staff.ID},
			{biebplein.AuditPersonChanged, f.staff.ID},
			{biebplein.AuditDeactivated, f.staff.ID},
			{biebplein.AuditReactivated, f.staff.ID},
			{biebplein.AuditSessionsRevoked, f.admin.ID},
			{biebplein.AuditOrganisationEdit, f.lib.ID},
		} {
			if !hasAction(log, want.action, want.target) {
				t.Errorf("no %s of %q in the audit log", want.action, want.target)
			}
		}
		for _, e := range log {
			if e.Action == biebplein.AuditDeactivated && e.ActorID != f.admin.ID {
				t.Errorf("deactivation recorded by %q, want the administrator", e.ActorID)
			}
		}

		t.Run("NoSecrets", func(t *testing.T) {
			b, err := json.Marshal(log)
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.svc.Store().FindPersonByID(ctx, f.staff.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range append(secrets, p.PasswordHash, f.admin.PasswordHash) {
				if s != "" && strings.Contains(string(b), s) {
					t.Errorf("the audit log holds the secret %.12q...", s)
				}
			}
		})

		t.Run("Filters", func(t *testing.T) {
			got := auditLog(t, f, biebplein.AuditFilter{Action: biebplein.AuditSignInFailed})
			if len(got) < 2 || slices.ContainsFunc(got, func(e *biebplein.AuditEvent) bool { return e.Action != biebplein.AuditSignInFailed }) {
				t.Errorf("action filter gave %d events", len(got))
			}
			got = auditLog(t, f, biebplein.AuditFilter{PersonID: f.lib.ID})
			if len(got) != 2 {
				t.Errorf("events about the library: %d, want 2", len(got))
			}
		})

		t.Run("AdministratorsOnly", func(t *testing.T) {
			_, _, err := f.svc.AuditLog(f.as(f.staff), biebplein.AuditFilter{})
			if code(err) != biebplein.CodeNotFound {
				t.Fatalf("a staff member reading the log = %v, want not_found", err)
			}
			_, _, err = f.svc.AuditLog(admin, biebplein.AuditFilter{Action: "drop_tables"})
			if code(err) != biebplein.CodeInvalid {
				t.Fatalf("unknown action = %v, want invalid", err)
			}
		})
	})
}
