package notify_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

var resetLink = regexp.MustCompile(`https://plein\.example/password-reset/[A-Za-z0-9_-]+`)

// A forgotten password, from the request to signing in with the new one: the link arrives
// by e-mail over real SMTP, works once and for an hour, ends every session and API token,
// and an unknown address gets the same answer and no mail.
func TestPasswordResetMail(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		ctx := context.Background()
		creds := service.Credentials{Email: f.bert.Email, Password: "wachtwoord-123", IP: "192.0.2.1"}
		sess, cookie, _, err := f.svc.SignIn(ctx, creds)
		if err != nil {
			t.Fatal(err)
		}
		_, apiToken, err := f.svc.CreateTokenWithPassword(ctx, creds, "script")
		if err != nil {
			t.Fatal(err)
		}

		if err := f.svc.RequestPasswordReset(ctx, "niemand@hoeksmeer.example", "192.0.2.1"); err != nil {
			t.Fatalf("unknown address = %v, want the same nil as a known one", err)
		}
		if err := f.svc.RequestPasswordReset(ctx, strings.ToUpper(f.bert.Email), "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if n := f.run(f.worker(f.db)); n != 1 {
			t.Fatalf("sent %d mails, want 1 (none for the unknown address)", n)
		}
		got := f.smtp.Wait(t, 1, 5*time.Second)[0]
		if got.To[0] != f.bert.Email || got.Subject != f.bundle.T("nl", "mail.password_reset.subject") {
			t.Fatalf("mail to %v: %q", got.To, got.Subject)
		}
		link := resetLink.FindString(got.Text)
		if link == "" || !strings.Contains(got.HTML, link) {
			t.Fatalf("no reset link in the mail:\n%s", got.Text)
		}
		token := link[strings.LastIndexByte(link, '/')+1:]

		t.Run("ErrPasswordRules", func(t *testing.T) {
			err := f.svc.ResetPassword(ctx, token, "kort", "kort", "192.0.2.1")
			if biebplein.ErrorCode(err) != biebplein.CodeInvalid || biebplein.ErrorFields(err)["password"] == "" {
				t.Fatalf("short password = %v, want invalid on password", err)
			}
			err = f.svc.ResetPassword(ctx, token, "nieuw-wachtwoord-456", "iets-anders-789", "192.0.2.1")
			if biebplein.ErrorFields(err)["password_repeat"] != "error.password_mismatch" {
				t.Fatalf("mismatch = %v", err)
			}
		})

		if err := f.svc.ResetPassword(ctx, token, "nieuw-wachtwoord-456", "nieuw-wachtwoord-456", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		t.Run("SessionsAndTokensEnd", func(t *testing.T) {
			if _, _, err := f.svc.Authenticate(ctx, cookie); biebplein.ErrorCode(err) != biebplein.CodeUnauthorized {
				t.Fatalf("old session %s = %v, want unauthorized", sess.ID, err)
			}
			if _, _, err := f.svc.AuthenticateToken(ctx, apiToken); biebplein.ErrorCode(err) != biebplein.CodeUnauthorized {
				t.Fatalf("old API token = %v, want unauthorized", err)
			}
			if _, _, _, err := f.svc.SignIn(ctx, creds); biebplein.ErrorCode(err) != biebplein.CodeUnauthorized {
				t.Fatalf("old password = %v, want unauthorized", err)
			}
			creds.Password = "nieuw-wachtwoord-456"
			if _, _, _, err := f.svc.SignIn(ctx, creds); err != nil {
				t.Fatalf("new password = %v", err)
			}
		})
		t.Run("ErrSingleUse", func(t *testing.T) {
			err := f.svc.ResetPassword(ctx, token, "derde-wachtwoord-789", "derde-wachtwoord-789", "192.0.2.1")
			if biebplein.ErrorCode(err) != biebplein.CodeNotFound || biebplein.ErrorMessage(err) != "error.password_reset_invalid" {
				t.Fatalf("second use = %v, want not_found", err)
			}
		})
		t.Run("ErrExpiredAfterAnHour", func(t *testing.T) {
			if err := f.svc.RequestPasswordReset(ctx, f.carla.Email, "192.0.2.2"); err != nil {
				t.Fatal(err)
			}
			f.run(f.worker(f.db))
			mails := f.smtp.Wait(t, 2, 5*time.Second)
			link := resetLink.FindString(mails[1].Text)
			token := link[strings.LastIndexByte(link, '/')+1:]
			if mails[1].Subject != f.bundle.T("en", "mail.password_reset.subject") {
				t.Errorf("Carla reads English; subject %q", mails[1].Subject)
			}
			f.clock.Add(biebplein.PasswordResetLifetime + time.Second)
			if err := f.svc.CheckPasswordReset(ctx, token); biebplein.ErrorCode(err) != biebplein.CodeNotFound {
				t.Fatalf("a link of an hour ago = %v, want not_found", err)
			}
		})
		t.Run("Throttled", func(t *testing.T) {
			var err error
			for range service.DefaultThrottle.PerAccount + 1 {
				err = f.svc.RequestPasswordReset(ctx, "niemand@hoeksmeer.example", "192.0.2.3")
			}
			if biebplein.ErrorCode(err) != biebplein.CodeRateLimited {
				t.Fatalf("sixth request for one address = %v, want rate_limited", err)
			}
			f.clock.Add(service.DefaultThrottle.Window + time.Second)
			if err := f.svc.RequestPasswordReset(ctx, "niemand@hoeksmeer.example", "192.0.2.3"); err != nil {
				t.Fatalf("after the window = %v", err)
			}
		})
		t.Run("Audited", func(t *testing.T) {
			admin := f.person("Ada Beheer")
			if _, err := f.svc.UpdatePerson(service.System(ctx), admin.ID, service.AdminUpdate{Name: admin.Name, Kind: admin.Kind, OrganisationID: f.lib.ID, Admin: true}); err != nil {
				t.Fatal(err)
			}
			admin.Admin = true
			log, _, err := f.svc.AuditLog(f.as(admin), biebplein.AuditFilter{PersonID: f.bert.ID, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var requested, done bool
			for _, e := range log {
				requested = requested || e.Action == biebplein.AuditResetRequested
				done = done || e.Action == biebplein.AuditResetDone
				for _, v := range append([]string{e.Email, e.IP}, mapValues(e.Details)...) {
					if strings.Contains(v, token) || strings.Contains(v, "nieuw-wachtwoord") {
						t.Fatalf("the audit log holds a secret: %+v", e)
					}
				}
			}
			if !requested || !done {
				t.Fatalf("audit log of Bert: requested %v, done %v", requested, done)
			}
		})
	})
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
