package service

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
)

// ErrSecondFactor is SignIn's answer when the password was right and the account has
// two-factor on: the token it returns then is a pending sign-in, to be completed with a code
// by SignInWithCode. It is not a session.
var ErrSecondFactor = errors.New("service: second factor needed")

// PendingSignInLifetime is how long the step between password and code may take.
const PendingSignInLifetime = 5 * time.Minute

// pendingKey names the site key that signs pending sign-ins.
const pendingKey = "pending_sign_in"

// TOTPIssuer is the name authenticator apps show next to the account.
const TOTPIssuer = "Biebplein"

// TOTPEnrolment is what the enrolment page shows: the secret to type in and the otpauth://
// URI apps read.
type TOTPEnrolment struct {
	Secret string
	URI    string
}

// TOTPRequired reports whether p must set up two-factor before doing anything else: an
// administrator without it when the site requires it.
func (s *Service) TOTPRequired(p *biebplein.Person) bool {
	return s.opts.RequireAdminTOTP && p != nil && p.Admin && !p.TOTPEnabled
}

// TOTPMandatory reports whether p may not turn two-factor off: an administrator, when the
// site requires it.
func (s *Service) TOTPMandatory(p *biebplein.Person) bool {
	return s.opts.RequireAdminTOTP && p != nil && p.Admin
}

// StartTOTP makes a new secret for the actor (replacing one not yet confirmed); conflict
// when two-factor is on already.
func (s *Service) StartTOTP(ctx context.Context) (*TOTPEnrolment, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if a.TOTPEnabled {
		return nil, biebplein.Errorf(biebplein.CodeConflict, "error.totp_on_already")
	}
	secret := auth.NewTOTPSecret()
	if err := s.store.StartTOTP(ctx, a.ID, secret, s.now()); err != nil {
		return nil, err
	}
	return &TOTPEnrolment{Secret: secret, URI: auth.TOTPURI(secret, TOTPIssuer, a.Email)}, nil
}

// TOTPEnrolment returns the actor's unconfirmed enrolment (to show it again after a wrong
// code), or not_found.
func (s *Service) TOTPEnrolment(ctx context.Context) (*TOTPEnrolment, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.store.FindTOTP(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if t.ConfirmedAt != nil {
		return nil, biebplein.Errorf(biebplein.CodeConflict, "error.totp_on_already")
	}
	return &TOTPEnrolment{Secret: t.Secret, URI: auth.TOTPURI(t.Secret, TOTPIssuer, a.Email)}, nil
}

// ConfirmTOTP turns two-factor on with a code from the app and returns the recovery codes,
// shown once (only their hashes are kept).
func (s *Service) ConfirmTOTP(ctx context.Context, code string) ([]string, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.store.FindTOTP(ctx, a.ID)
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		return nil, fieldError(biebplein.CodeInvalid, "code", "error.totp_not_started")
	} else if err != nil {
		return nil, err
	}
	if t.ConfirmedAt != nil {
		return nil, biebplein.Errorf(biebplein.CodeConflict, "error.totp_on_already")
	}
	step, ok := auth.CheckTOTP(t.Secret, code, s.now(), t.LastStep)
	if !ok {
		return nil, fieldError(biebplein.CodeInvalid, "code", "error.totp_code_wrong")
	}
	codes := make([]string, biebplein.RecoveryCodeCount)
	hashes := make([]string, len(codes))
	for i := range codes {
		codes[i] = newRecoveryCode()
		hashes[i] = auth.HashToken(normalizeRecoveryCode(codes[i]))
	}
	if err := s.store.ConfirmTOTP(s.audited(ctx, biebplein.AuditTOTPEnabled, a.ID, nil), a.ID, step, hashes, s.now()); err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableTOTP turns two-factor off after checking the actor's password.
func (s *Service) DisableTOTP(ctx context.Context, password string) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if ok, _ := auth.CheckPassword(password, a.PasswordHash); !ok {
		return fieldError(biebplein.CodeInvalid, "current_password", "error.password_wrong")
	}
	if s.TOTPMandatory(a) {
		return biebplein.Errorf(biebplein.CodeConflict, "error.totp_required_for_admins")
	}
	return s.store.DisableTOTP(s.audited(ctx, biebplein.AuditTOTPDisabled, a.ID, nil), a.ID)
}

// newRecoveryCode is 10 random base32 characters in two groups: "k3j9q-x7m2p".
func newRecoveryCode() string {
	b := make([]byte, 7)
	_, _ = rand.Read(b)
	c := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:10]
	return c[:5] + "-" + c[5:]
}

func normalizeRecoveryCode(c string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(c)))
}

// pendingSignIn signs "this person gave the right password, until then". The fingerprint of
// the password hash makes it stop working when the password changes.
func (s *Service) pendingSignIn(ctx context.Context, p *biebplein.Person) (string, error) {
	key, err := s.store.SiteKey(ctx, pendingKey, auth.NewToken())
	if err != nil {
		return "", err
	}
	until := strconv.FormatInt(s.now().Add(PendingSignInLifetime).Unix(), 10)
	return auth.Sign(key, p.ID, until, auth.HashToken(p.PasswordHash)[:16]), nil
}

// SignInWithCode completes a pending sign-in with a code from the app or a recovery code,
// and opens the session. Wrong codes count like wrong passwords, per account.
func (s *Service) SignInWithCode(ctx context.Context, pending, code string, c Credentials) (*biebplein.Session, string, *biebplein.Person, error) {
	p, err := s.pendingPerson(ctx, pending)
	if err != nil {
		return nil, "", nil, err
	}
	via, err := s.checkSecondFactor(ctx, p, code, c)
	if err != nil {
		return nil, "", nil, err
	}
	sess, token, err := s.newSession(biebplein.WithAudit(ctx, &biebplein.AuditEvent{At: s.now(), ActorID: p.ID,
		Action: biebplein.AuditSignIn, TargetID: p.ID, IP: truncate(c.IP, 64), Details: map[string]string{"second_factor": via}}), p, c)
	if err != nil {
		return nil, "", nil, err
	}
	return sess, token, p, nil
}

func (s *Service) pendingPerson(ctx context.Context, pending string) (*biebplein.Person, error) {
	expired := biebplein.Errorf(biebplein.CodeUnauthorized, "error.sign_in_expired")
	key, err := s.store.SiteKey(ctx, pendingKey, auth.NewToken())
	if err != nil {
		return nil, err
	}
	parts, ok := auth.Verify(key, pending)
	if !ok || len(parts) != 3 {
		return nil, expired
	}
	until, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || s.now().Unix() > until {
		return nil, expired
	}
	p, err := s.store.FindPersonByID(ctx, parts[0])
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		return nil, expired
	} else if err != nil {
		return nil, err
	}
	if !p.Active() || !p.TOTPEnabled || auth.HashToken(p.PasswordHash)[:16] != parts[2] {
		return nil, expired
	}
	return p, nil
}

// checkSecondFactor checks a code of p's app (six digits, never the same step twice) or one
// of their recovery codes, throttled per account; it says which one was used.
func (s *Service) checkSecondFactor(ctx context.Context, p *biebplein.Person, code string, c Credentials) (string, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return "", fieldError(biebplein.CodeUnauthorized, "code", "error.totp_required")
	}
	now := s.now()
	key := "totp:" + p.ID
	over, err := s.overLimit(ctx, []string{key}, s.opts.Throttle.PerAccount)
	if err != nil {
		return "", err
	}
	if over != "" {
		ev := &biebplein.AuditEvent{At: now, Action: biebplein.AuditSignInThrottled, TargetID: p.ID, Email: p.Email,
			IP: truncate(c.IP, 64), Details: map[string]string{"limit": "second_factor"}}
		if err := s.store.RecordAudit(ctx, ev); err != nil {
			return "", err
		}
		return "", biebplein.Errorf(biebplein.CodeRateLimited, "error.too_many_attempts")
	}
	t, err := s.store.FindTOTP(ctx, p.ID)
	if err != nil {
		return "", err
	}
	digits := strings.ReplaceAll(code, " ", "")
	if len(digits) == auth.TOTPDigits {
		if step, ok := auth.CheckTOTP(t.Secret, digits, now, t.LastStep); ok {
			err := s.store.UseTOTPStep(ctx, p.ID, step)
			if err == nil {
				return "totp", s.store.ClearFailures(ctx, key)
			}
			if biebplein.ErrorCode(err) != biebplein.CodeNotFound {
				return "", err
			}
		}
	} else {
		ctxUsed := biebplein.WithAudit(ctx, &biebplein.AuditEvent{At: now, ActorID: p.ID, Action: biebplein.AuditRecoveryCodeUsed,
			TargetID: p.ID, IP: truncate(c.IP, 64)})
		err := s.store.UseRecoveryCode(ctxUsed, p.ID, auth.HashToken(normalizeRecoveryCode(code)), now)
		if err == nil {
			return "recovery_code", s.store.ClearFailures(ctx, key)
		}
		if biebplein.ErrorCode(err) != biebplein.CodeNotFound {
			return "", err
		}
	}
	ev := &biebplein.AuditEvent{At: now, Action: biebplein.AuditTOTPFailed, TargetID: p.ID, Email: p.Email, IP: truncate(c.IP, 64)}
	if err := s.store.RecordFailure(biebplein.WithAudit(ctx, ev), []string{key}, now); err != nil {
		return "", err
	}
	return "", fieldError(biebplein.CodeUnauthorized, "code", "error.totp_code_wrong")
}
