package service

import (
	"context"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
)

// RequestPasswordReset e-mails a one-hour, single-use link to choose a new password to the
// account with this address, if there is an active one that has a password. The answer is
// the same whether or not there is: nil, or invalid for an address that is not one, or
// rate_limited. Requests are throttled per address typed and per network address, counted
// whether or not the account exists, so the throttle tells nothing either; and both cases
// write to the database, so they take about as long.
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip string) error {
	email = biebplein.NormalizeEmail(email)
	if err := biebplein.ValidateEmail("email", email); err != nil {
		return err
	}
	now := s.now()
	keys := []string{"reset-account:" + email, "reset-address:" + ip}
	over, err := s.overLimit(ctx, keys, s.opts.Throttle.PerAccount, s.opts.Throttle.PerAddress)
	if err != nil {
		return err
	}
	if over != "" {
		s.logger.Warn("password reset throttled", "key", over[:13])
		return biebplein.Errorf(biebplein.CodeRateLimited, "error.too_many_reset_requests")
	}
	if err := s.store.RecordFailure(ctx, keys, now); err != nil {
		return err
	}
	p, err := s.store.FindPersonByEmail(ctx, email)
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if !p.Active() || p.Invited() {
		return nil // an invited person uses their invitation; a deactivated one may not come in
	}
	token := auth.NewToken()
	r := &biebplein.PasswordReset{
		PersonID: p.ID, TokenHash: auth.HashToken(token), CreatedAt: now,
		ExpiresAt: now.Add(biebplein.PasswordResetLifetime), Link: s.opts.BaseURL + "/password-reset/" + token,
	}
	actx := biebplein.WithAudit(ctx, &biebplein.AuditEvent{At: now, Action: biebplein.AuditResetRequested,
		TargetID: p.ID, Email: p.Email, IP: truncate(ip, 64)})
	return s.store.CreatePasswordReset(actx, r)
}

// CheckPasswordReset reports whether a reset link works: nil, or not_found.
func (s *Service) CheckPasswordReset(ctx context.Context, token string) error {
	_, err := s.passwordReset(ctx, token)
	return err
}

func (s *Service) passwordReset(ctx context.Context, token string) (*biebplein.PasswordReset, error) {
	r, err := s.store.FindPasswordReset(ctx, auth.HashToken(token), s.now())
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		return nil, biebplein.Errorf(biebplein.CodeNotFound, "error.password_reset_invalid")
	}
	return r, err
}

// ResetPassword sets a new password with a reset link and uses the link up. Every session
// and API token of the person ends: whoever knew the old password may have made them. The
// person then signs in with the new password (and their second factor, if they have one).
func (s *Service) ResetPassword(ctx context.Context, token, password, repeat, ip string) error {
	r, err := s.passwordReset(ctx, token)
	if err != nil {
		return err
	}
	var v biebplein.Validation
	mergeFields(&v, biebplein.ValidatePassword("password", password), nil)
	v.Check(password == repeat, "password_repeat", "error.password_mismatch")
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password, s.opts.Password)
	if err != nil {
		return err
	}
	actx := biebplein.WithAudit(ctx, &biebplein.AuditEvent{At: s.now(), ActorID: r.PersonID, Action: biebplein.AuditResetDone,
		TargetID: r.PersonID, IP: truncate(ip, 64), Details: map[string]string{"ended": "sessions, api_tokens"}})
	if _, err := s.store.UsePasswordReset(actx, auth.HashToken(token), hash, s.now()); err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
			return biebplein.Errorf(biebplein.CodeNotFound, "error.password_reset_invalid")
		}
		return err
	}
	return nil
}
