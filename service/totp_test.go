package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/service"
)

// enrol turns two-factor on for p and returns the secret and the recovery codes.
func enrol(t *testing.T, f *fixture, p *biebplein.Person) (string, []string) {
	t.Helper()
	e, err := f.svc.StartTOTP(f.as(p))
	if err != nil {
		t.Fatal(err)
	}
	codes, err := f.svc.ConfirmTOTP(f.as(p), auth.TOTPCode(e.Secret, f.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	return e.Secret, codes
}

func TestTwoFactor(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		creds := service.Credentials{Email: "staff@bieb.test", Password: "wachtwoord-123", IP: "192.0.2.5"}

		t.Run("ErrWrongCodeAtEnrolment", func(t *testing.T) {
			e, err := f.svc.StartTOTP(f.as(f.admin))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(e.URI, "otpauth://totp/Biebplein:admin@bieb.test?") || !strings.Contains(e.URI, "secret="+e.Secret) {
				t.Fatalf("URI %q", e.URI)
			}
			_, err = f.svc.ConfirmTOTP(f.as(f.admin), "000000")
			if biebplein.ErrorFields(err)["code"] != "error.totp_code_wrong" {
				t.Fatalf("wrong code = %v", err)
			}
		})

		secret, recovery := enrol(t, f, f.staff)
		if len(recovery) != biebplein.RecoveryCodeCount {
			t.Fatalf("%d recovery codes", len(recovery))
		}
		staff, err := f.svc.Store().FindPersonByID(ctx, f.staff.ID)
		if err != nil || !staff.TOTPEnabled {
			t.Fatalf("after enrolment: %v, enabled %v", err, staff != nil && staff.TOTPEnabled)
		}

		t.Run("PasswordGivesNoSession", func(t *testing.T) {
			sess, pending, _, err := f.svc.SignIn(ctx, creds)
			if !errors.Is(err, service.ErrSecondFactor) || sess != nil || pending == "" {
				t.Fatalf("SignIn = %v, %v, want ErrSecondFactor and a pending sign-in", sess, err)
			}
			if _, _, err := f.svc.Authenticate(ctx, pending); biebplein.ErrorCode(err) != biebplein.CodeUnauthorized {
				t.Fatalf("the pending sign-in works as a session: %v", err)
			}
		})

		t.Run("CodeThenNotAgain", func(t *testing.T) {
			f.clock.Add(time.Minute) // past the step used at enrolment
			_, pending, _, _ := f.svc.SignIn(ctx, creds)
			code := auth.TOTPCode(secret, f.clock.Now())
			if _, _, _, err := f.svc.SignInWithCode(ctx, pending, code, creds); err != nil {
				t.Fatalf("right code: %v", err)
			}
			_, pending, _, _ = f.svc.SignIn(ctx, creds)
			_, _, _, err := f.svc.SignInWithCode(ctx, pending, code, creds)
			if biebplein.ErrorFields(err)["code"] != "error.totp_code_wrong" {
				t.Fatalf("the same code again = %v, want refused", err)
			}
		})

		t.Run("RecoveryCodeOnce", func(t *testing.T) {
			_, pending, _, _ := f.svc.SignIn(ctx, creds)
			if _, _, _, err := f.svc.SignInWithCode(ctx, pending, strings.ToUpper(recovery[0]), creds); err != nil {
				t.Fatalf("recovery code: %v", err)
			}
			if _, _, _, err := f.svc.SignInWithCode(ctx, pending, recovery[0], creds); biebplein.ErrorCode(err) != biebplein.CodeUnauthorized {
				t.Fatalf("used recovery code = %v, want unauthorized", err)
			}
		})

		t.Run("ErrPendingExpires", func(t *testing.T) {
			_, pending, _, _ := f.svc.SignIn(ctx, creds)
			f.clock.Add(service.PendingSignInLifetime + time.Second)
			_, _, _, err := f.svc.SignInWithCode(ctx, pending, auth.TOTPCode(secret, f.clock.Now()), creds)
			if biebplein.ErrorMessage(err) != "error.sign_in_expired" {
				t.Fatalf("after five minutes = %v", err)
			}
			_, _, _, err = f.svc.SignInWithCode(ctx, "forged.token", "123456", creds)
			if biebplein.ErrorMessage(err) != "error.sign_in_expired" {
				t.Fatalf("forged = %v", err)
			}
		})

		t.Run("APITokenNeedsCode", func(t *testing.T) {
			f.clock.Add(time.Minute)
			_, _, err := f.svc.CreateTokenWithPassword(ctx, creds, "script")
			if biebplein.ErrorFields(err)["code"] != "error.totp_required" {
				t.Fatalf("without code = %v", err)
			}
			c := creds
			c.Code = auth.TOTPCode(secret, f.clock.Now())
			if _, _, err := f.svc.CreateTokenWithPassword(ctx, c, "script"); err != nil {
				t.Fatalf("with code: %v", err)
			}
		})

		t.Run("ThrottledThenRecovers", func(t *testing.T) {
			f.clock.Add(time.Minute)
			_, pending, _, _ := f.svc.SignIn(ctx, creds)
			for range service.DefaultThrottle.PerAccount {
				if _, _, _, err := f.svc.SignInWithCode(ctx, pending, "000000", creds); biebplein.ErrorCode(err) != biebplein.CodeUnauthorized {
					t.Fatalf("wrong code = %v", err)
				}
			}
			_, _, _, err := f.svc.SignInWithCode(ctx, pending, auth.TOTPCode(secret, f.clock.Now()), creds)
			if biebplein.ErrorCode(err) != biebplein.CodeRateLimited {
				t.Fatalf("after five wrong codes = %v, want rate_limited", err)
			}
			f.clock.Add(service.DefaultThrottle.Window + time.Second)
			_, pending, _, _ = f.svc.SignIn(ctx, creds)
			if _, _, _, err := f.svc.SignInWithCode(ctx, pending, auth.TOTPCode(secret, f.clock.Now()), creds); err != nil {
				t.Fatalf("after the window: %v", err)
			}
		})

		t.Run("DisableNeedsPassword", func(t *testing.T) {
			me := f.as(staff)
			if err := f.svc.DisableTOTP(me, "fout"); biebplein.ErrorFields(err)["current_password"] != "error.password_wrong" {
				t.Fatalf("wrong password = %v", err)
			}
			if err := f.svc.DisableTOTP(me, "wachtwoord-123"); err != nil {
				t.Fatal(err)
			}
			if _, _, _, err := f.svc.SignIn(ctx, creds); err != nil {
				t.Fatalf("after disabling, the password alone = %v", err)
			}
		})

		t.Run("NoSecretInAudit", func(t *testing.T) {
			log := auditLog(t, f, biebplein.AuditFilter{PersonID: f.staff.ID})
			b, _ := json.Marshal(log)
			for _, s := range append([]string{secret, strings.ToLower(secret)}, recovery...) {
				if strings.Contains(string(b), s) {
					t.Fatalf("the audit log holds %q", s)
				}
			}
			for _, a := range []biebplein.AuditAction{biebplein.AuditTOTPEnabled, biebplein.AuditTOTPFailed,
				biebplein.AuditRecoveryCodeUsed, biebplein.AuditTOTPDisabled} {
				if !hasAction(log, a, f.staff.ID) {
					t.Errorf("no %s in the audit log", a)
				}
			}
		})
	})
}

func TestTOTPRequiredForAdmins(t *testing.T) {
	f := MustFixture(t, "sqlite")
	if f.svc.TOTPRequired(f.admin) {
		t.Fatal("required without the setting")
	}
	strict := service.New(f.svc.Store(), service.Options{RequireAdminTOTP: true, Password: auth.FastParams, Now: f.clock.Now})
	if !strict.TOTPRequired(f.admin) || strict.TOTPRequired(f.staff) {
		t.Fatalf("with the setting: admin %v, staff %v", strict.TOTPRequired(f.admin), strict.TOTPRequired(f.staff))
	}
	enrol(t, f, f.admin)
	admin, _ := f.svc.Store().FindPersonByID(context.Background(), f.admin.ID)
	if strict.TOTPRequired(admin) {
		t.Fatal("still required after enrolment")
	}
	if err := strict.DisableTOTP(f.as(admin), "wachtwoord-123"); biebplein.ErrorCode(err) != biebplein.CodeConflict {
		t.Fatalf("an administrator turning it off = %v, want conflict", err)
	}
}
