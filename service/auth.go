package service

import (
	"context"
	"strings"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
)

// Credentials are what a person types to sign in, plus where the attempt came from.
type Credentials struct {
	Email     string
	Password  string
	Code      string // the second factor, for API tokens of accounts with two-factor on
	IP        string
	UserAgent string
}

// SignIn checks credentials and opens a session. It returns the session, the secret token for
// the cookie and the person. Wrong address, wrong password, deactivated and not-yet-accepted
// accounts all get the same unauthorized answer; too many failures per account or address get
// rate_limited, before the password is even checked. For an account with two-factor on, the
// right password gives ErrSecondFactor with a pending sign-in as the token (see
// SignInWithCode), not a session.
func (s *Service) SignIn(ctx context.Context, c Credentials) (*biebplein.Session, string, *biebplein.Person, error) {
	p, err := s.checkCredentials(ctx, c)
	if err != nil {
		return nil, "", nil, err
	}
	if p.TOTPEnabled {
		pending, err := s.pendingSignIn(ctx, p)
		if err != nil {
			return nil, "", nil, err
		}
		return nil, pending, p, ErrSecondFactor
	}
	sess, token, err := s.newSession(biebplein.WithAudit(ctx, &biebplein.AuditEvent{At: s.now(), ActorID: p.ID,
		Action: biebplein.AuditSignIn, TargetID: p.ID, IP: truncate(c.IP, 64)}), p, c)
	if err != nil {
		return nil, "", nil, err
	}
	return sess, token, p, nil
}

func (s *Service) checkCredentials(ctx context.Context, c Credentials) (*biebplein.Person, error) {
	email := biebplein.NormalizeEmail(c.Email)
	if email == "" || c.Password == "" || !biebplein.ValidText(email) {
		return nil, biebplein.Errorf(biebplein.CodeUnauthorized, "error.sign_in_failed")
	}
	now := s.now()
	keys := []string{"account:" + email, "address:" + c.IP}
	over, err := s.overLimit(ctx, keys, s.opts.Throttle.PerAccount, s.opts.Throttle.PerAddress)
	if err != nil {
		return nil, err
	}
	p, err := s.store.FindPersonByEmail(ctx, email)
	if err != nil && biebplein.ErrorCode(err) != biebplein.CodeNotFound {
		return nil, err
	}
	if over != "" {
		s.logger.Warn("sign-in throttled", "key", over[:7])
		ev := signInEvent(s.now(), biebplein.AuditSignInThrottled, p, c)
		ev.Details = map[string]string{"limit": over[:strings.IndexByte(over, ':')]}
		if err := s.store.RecordAudit(ctx, ev); err != nil {
			return nil, err
		}
		return nil, biebplein.Errorf(biebplein.CodeRateLimited, "error.too_many_attempts")
	}
	hash := s.dummyHash
	if p != nil && p.PasswordHash != "" {
		hash = p.PasswordHash
	}
	ok, herr := auth.CheckPassword(c.Password, hash)
	if herr != nil {
		s.logger.Error("stored password hash unreadable", "person", p.ID)
	}
	if p == nil || !ok || !p.Active() || p.PasswordHash == "" {
		ev := signInEvent(now, biebplein.AuditSignInFailed, p, c)
		if err := s.store.RecordFailure(biebplein.WithAudit(ctx, ev), keys, now); err != nil {
			return nil, err
		}
		return nil, biebplein.Errorf(biebplein.CodeUnauthorized, "error.sign_in_failed")
	}
	if err := s.store.ClearFailures(ctx, keys[0]); err != nil {
		return nil, err
	}
	return p, nil
}

// signInEvent records an attempt to sign in to p (nil when the address typed is no account's).
// The account is named (by its id and address) only when it exists: someone who typed their
// password in the address field must not find it in the audit log.
func signInEvent(at time.Time, action biebplein.AuditAction, p *biebplein.Person, c Credentials) *biebplein.AuditEvent {
	e := &biebplein.AuditEvent{At: at, Action: action, IP: truncate(c.IP, 64)}
	if p != nil {
		e.TargetID, e.Email = p.ID, p.Email
	}
	return e
}

// overLimit returns the first of keys whose failures within the throttle window reach its
// limit (limits[i] for keys[i]), or "" when none does. Sign-in, token creation, password
// reset requests and second-factor codes are all throttled through it.
func (s *Service) overLimit(ctx context.Context, keys []string, limits ...int) (string, error) {
	since := s.now().Add(-s.opts.Throttle.Window)
	for i, key := range keys {
		n, err := s.store.CountFailures(ctx, key, since)
		if err != nil {
			return "", err
		}
		if n >= limits[i] {
			return key, nil
		}
	}
	return "", nil
}

func (s *Service) newSession(ctx context.Context, p *biebplein.Person, c Credentials) (*biebplein.Session, string, error) {
	now := s.now()
	token := auth.NewToken()
	sess := &biebplein.Session{
		PersonID:   p.ID,
		TokenHash:  auth.HashToken(token),
		CSRFToken:  auth.NewToken(),
		UserAgent:  truncate(c.UserAgent, 200),
		IP:         truncate(c.IP, 64),
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(biebplein.SessionLifetime),
	}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return nil, "", err
	}
	return sess, token, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// sessionTouchInterval limits writes: a session's last use is recorded at most this often.
const sessionTouchInterval = time.Minute

// Authenticate returns the session and the active person for a session cookie token, or
// unauthorized.
func (s *Service) Authenticate(ctx context.Context, token string) (*biebplein.Session, *biebplein.Person, error) {
	if token == "" {
		return nil, nil, errUnauthorized()
	}
	now := s.now()
	sess, err := s.store.FindSessionByTokenHash(ctx, auth.HashToken(token), now)
	if err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
			return nil, nil, errUnauthorized()
		}
		return nil, nil, err
	}
	p, err := s.store.FindPersonByID(ctx, sess.PersonID)
	if err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
			return nil, nil, errUnauthorized()
		}
		return nil, nil, err
	}
	if !p.Active() {
		return nil, nil, errUnauthorized()
	}
	if now.Sub(sess.LastSeenAt) > sessionTouchInterval {
		if err := s.store.TouchSession(ctx, sess.ID, now, now.Add(biebplein.SessionLifetime)); err != nil {
			return nil, nil, err
		}
	}
	return sess, p, nil
}

// AuthenticateToken returns the active person for an API bearer token, or unauthorized.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (*biebplein.APIToken, *biebplein.Person, error) {
	if token == "" {
		return nil, nil, errUnauthorized()
	}
	t, err := s.store.FindAPITokenByHash(ctx, auth.HashToken(token))
	if err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
			return nil, nil, errUnauthorized()
		}
		return nil, nil, err
	}
	p, err := s.store.FindPersonByID(ctx, t.PersonID)
	if err != nil || !p.Active() {
		if err == nil || biebplein.ErrorCode(err) == biebplein.CodeNotFound {
			return nil, nil, errUnauthorized()
		}
		return nil, nil, err
	}
	now := s.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > sessionTouchInterval {
		if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, nil, err
		}
	}
	return t, p, nil
}

// SignOut ends the actor's session with this id.
func (s *Service) SignOut(ctx context.Context, sessionID string) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	return s.store.DeleteSession(ctx, a.ID, sessionID)
}

// Sessions lists the unexpired sessions of a person: the actor's own, or anyone's for an admin.
func (s *Service) Sessions(ctx context.Context, personID string) ([]*biebplein.Session, error) {
	if err := s.selfOrAdmin(ctx, personID); err != nil {
		return nil, err
	}
	return s.store.FindSessions(ctx, personID, s.now())
}

// RevokeSession ends one session of a person (own, or anyone's for an admin).
func (s *Service) RevokeSession(ctx context.Context, personID, sessionID string) error {
	if err := s.selfOrAdmin(ctx, personID); err != nil {
		return err
	}
	return s.store.DeleteSession(s.audited(ctx, biebplein.AuditSessionRevoked, personID,
		map[string]string{"session_id": sessionID}), personID, sessionID)
}

// RevokeSessions ends every session of a person but keepID ("" ends all).
func (s *Service) RevokeSessions(ctx context.Context, personID, keepID string) error {
	if err := s.selfOrAdmin(ctx, personID); err != nil {
		return err
	}
	details := map[string]string{"kept": "none"}
	if keepID != "" {
		details["kept"] = "current"
	}
	return s.store.DeleteSessions(s.audited(ctx, biebplein.AuditSessionsRevoked, personID, details), personID, keepID)
}

func (s *Service) selfOrAdmin(ctx context.Context, personID string) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if a.ID != personID && !biebplein.IsAdmin(a) {
		return errNotFound()
	}
	return nil
}

// CreateTokenWithPassword makes an API token from credentials (POST /api/v1/tokens). It is
// throttled exactly like signing in; an account with two-factor on also needs c.Code (a code
// of the app or a recovery code). It returns the token record and the secret, shown once.
func (s *Service) CreateTokenWithPassword(ctx context.Context, c Credentials, name string) (*biebplein.APIToken, string, error) {
	if err := validateTokenName(name); err != nil {
		return nil, "", err
	}
	p, err := s.checkCredentials(ctx, c)
	if err != nil {
		return nil, "", err
	}
	if p.TOTPEnabled {
		if _, err := s.checkSecondFactor(ctx, p, c.Code, c); err != nil {
			return nil, "", err
		}
	}
	return s.createToken(biebplein.WithAudit(ctx, &biebplein.AuditEvent{At: s.now(), ActorID: p.ID,
		Action: biebplein.AuditSignIn, TargetID: p.ID, IP: truncate(c.IP, 64), Details: map[string]string{"via": "api_token"}}), p.ID, name)
}

// CreateToken makes an API token for the signed-in actor (from the profile page).
func (s *Service) CreateToken(ctx context.Context, name string) (*biebplein.APIToken, string, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, "", err
	}
	if err := validateTokenName(name); err != nil {
		return nil, "", err
	}
	return s.createToken(ctx, a.ID, name)
}

func validateTokenName(name string) error {
	var v biebplein.Validation
	v.Check(biebplein.ValidText(name), "name", "error.text_invalid")
	v.Check(strings.TrimSpace(name) != "", "name", "error.token_name_required")
	v.Check(len([]rune(name)) <= biebplein.MaxNameLen, "name", "error.name_too_long")
	return v.Err()
}

func (s *Service) createToken(ctx context.Context, personID, name string) (*biebplein.APIToken, string, error) {
	secret := auth.NewToken()
	t := &biebplein.APIToken{PersonID: personID, Name: name, TokenHash: auth.HashToken(secret), CreatedAt: s.now()}
	if err := s.store.CreateAPIToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// Tokens lists the actor's API tokens.
func (s *Service) Tokens(ctx context.Context) ([]*biebplein.APIToken, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.FindAPITokens(ctx, a.ID)
}

// RevokeToken deletes one of the actor's API tokens; someone else's is not_found.
func (s *Service) RevokeToken(ctx context.Context, id string) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	return s.store.DeleteAPIToken(ctx, a.ID, id)
}

// ChangePassword sets a new password for the actor after checking the current one, and ends
// their other sessions.
func (s *Service) ChangePassword(ctx context.Context, current, next, keepSessionID string) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if ok, _ := auth.CheckPassword(current, a.PasswordHash); !ok {
		return fieldError(biebplein.CodeInvalid, "current_password", "error.password_wrong")
	}
	if err := biebplein.ValidatePassword("password", next); err != nil {
		return err
	}
	if err := s.setPassword(s.audited(ctx, biebplein.AuditPasswordChanged, a.ID, nil), a.ID, next); err != nil {
		return err
	}
	return s.store.DeleteSessions(ctx, a.ID, keepSessionID)
}

// SetPassword sets a person's password as an administrator (or the command line) and ends all
// their sessions.
func (s *Service) SetPassword(ctx context.Context, personID, password string) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := biebplein.ValidatePassword("password", password); err != nil {
		return err
	}
	if err := s.setPassword(s.audited(ctx, biebplein.AuditPasswordChanged, personID, map[string]string{"by": "admin"}), personID, password); err != nil {
		return err
	}
	return s.store.DeleteSessions(ctx, personID, "")
}

func (s *Service) setPassword(ctx context.Context, personID, password string) error {
	hash, err := auth.HashPassword(password, s.opts.Password)
	if err != nil {
		return err
	}
	return s.store.SetPassword(ctx, personID, hash)
}

// HashPassword hashes with the service's parameters (for demo data).
func (s *Service) HashPassword(password string) (string, error) {
	return auth.HashPassword(password, s.opts.Password)
}
