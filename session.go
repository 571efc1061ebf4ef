package biebplein

import (
	"context"
	"time"
)

// Session is a signed-in browser. The cookie holds a random token; the store keeps only its
// SHA-256 hash, so a copy of the database does not let anyone sign in.
type Session struct {
	ID         string // public id, shown in "my sessions" and used to revoke
	PersonID   string
	TokenHash  string
	CSRFToken  string // per-session secret for forms
	UserAgent  string
	IP         string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// SessionLifetime is how long a session lives without use; each use extends it.
const SessionLifetime = 30 * 24 * time.Hour

// APIToken is a bearer token for the JSON API. Only its hash is stored.
type APIToken struct {
	ID         string
	PersonID   string
	Name       string
	TokenHash  string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// SessionStore persists browser sessions and API tokens.
type SessionStore interface {
	// CreateSession stores s, setting its ID.
	CreateSession(ctx context.Context, s *Session) error
	// FindSessionByTokenHash returns the unexpired session with this token hash, or not_found.
	FindSessionByTokenHash(ctx context.Context, hash string, now time.Time) (*Session, error)
	// TouchSession records use of a session and moves its expiry.
	TouchSession(ctx context.Context, id string, seen, expires time.Time) error
	// FindSessions returns the unexpired sessions of a person, most recently used first.
	FindSessions(ctx context.Context, personID string, now time.Time) ([]*Session, error)
	// DeleteSession removes one session of a person; not_found when it is not theirs.
	DeleteSession(ctx context.Context, personID, id string) error
	// DeleteSessions removes all sessions of a person except keepID (which may be "").
	DeleteSessions(ctx context.Context, personID, keepID string) error

	// CreateAPIToken stores t, setting its ID.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// FindAPITokenByHash returns the token with this hash, or not_found.
	FindAPITokenByHash(ctx context.Context, hash string) (*APIToken, error)
	// TouchAPIToken records use of a token.
	TouchAPIToken(ctx context.Context, id string, at time.Time) error
	// FindAPITokens returns the tokens of a person, newest first.
	FindAPITokens(ctx context.Context, personID string) ([]*APIToken, error)
	// DeleteAPIToken removes a token of a person; not_found when it is not theirs.
	DeleteAPIToken(ctx context.Context, personID, id string) error
}

// InvitationPurpose says what an invitation link does.
type InvitationPurpose string

// Invitation purposes.
const (
	// InviteJoin lets an invited person (already created, without password) set a password.
	InviteJoin InvitationPurpose = "join"
	// InviteSetup lets the first administrator create their account on an empty site.
	InviteSetup InvitationPurpose = "setup"
)

// InvitationLifetime is how long an invitation link is valid.
const InvitationLifetime = 7 * 24 * time.Hour

// Invitation is a single-use link. Only the hash of its token is stored.
type Invitation struct {
	ID        string
	Purpose   InvitationPurpose
	PersonID  string // "" for setup
	CreatedBy string // "" for setup
	TokenHash string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	// Link, when set, is e-mailed to the person through the outbox in the same transaction
	// (it holds the token, so the outbox keeps it only until the mail is sent).
	Link string
}

// InvitationStore persists invitations.
type InvitationStore interface {
	// CreateInvitation stores inv, setting its ID. Earlier unused invitations for the same
	// person (or earlier setup links) stop working.
	CreateInvitation(ctx context.Context, inv *Invitation) error
	// FindInvitation returns the unused, unexpired invitation with this token hash, or
	// not_found.
	FindInvitation(ctx context.Context, hash string, now time.Time) (*Invitation, error)
	// AcceptInvitation, in one transaction, marks the invitation used (failing with not_found
	// if it is used, expired or unknown) and sets the password hash of its person.
	AcceptInvitation(ctx context.Context, hash, passwordHash string, now time.Time) (*Person, error)
	// CompleteSetup, in one transaction, marks the setup invitation used (not_found if it is
	// used, expired or unknown; conflict if anyone has an account already), creates the root
	// support organisation org when it has no ID, and creates the administrator p in it.
	CompleteSetup(ctx context.Context, hash string, org *Organisation, p *Person, now time.Time) error
}

// PasswordResetLifetime is how long a password reset link works.
const PasswordResetLifetime = time.Hour

// PasswordReset is a single-use link to choose a new password, e-mailed to the person. Only
// the hash of its token is stored.
type PasswordReset struct {
	ID        string
	PersonID  string
	TokenHash string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	// Link holds the token; the store queues it in the outbox in the same transaction and
	// the outbox keeps it only until the mail is sent.
	Link string
}

// PasswordResetStore persists password reset links.
type PasswordResetStore interface {
	// CreatePasswordReset stores r, setting its ID, and queues the mail with r.Link in the
	// same transaction. Earlier unused links of the person stop working, and a waiting mail
	// with one of them is dropped.
	CreatePasswordReset(ctx context.Context, r *PasswordReset) error
	// FindPasswordReset returns the unused, unexpired link with this token hash, or not_found.
	FindPasswordReset(ctx context.Context, hash string, now time.Time) (*PasswordReset, error)
	// UsePasswordReset, in one transaction, marks the link used (not_found when it is used,
	// expired or unknown), sets the person's password hash and deletes all their sessions
	// and API tokens. It returns the person.
	UsePasswordReset(ctx context.Context, hash, passwordHash string, now time.Time) (*Person, error)
}

// ThrottleStore counts failed attempts per key (an account or an address) so that every
// instance of the site shares the count.
type ThrottleStore interface {
	// RecordFailure adds a failed attempt for each key at the given time.
	RecordFailure(ctx context.Context, keys []string, at time.Time) error
	// CountFailures returns the number of failures for key since the given time.
	CountFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ClearFailures forgets the failures of key (after a successful sign-in).
	ClearFailures(ctx context.Context, key string) error
	// PruneFailures removes failures older than before.
	PruneFailures(ctx context.Context, before time.Time) error
}

// Store is everything the application persists. The store package implements it once in SQL
// for SQLite and PostgreSQL.
type Store interface {
	OrganisationStore
	PersonStore
	SessionStore
	InvitationStore
	PasswordResetStore
	TOTPStore
	ThrottleStore
	GroupStore
	PostStore
	FollowStore
	NotificationStore
	AuditStore
	SearchStore
	ExpertStore
	QuestionStore
	// Ping reports whether the database answers.
	Ping(ctx context.Context) error
	// Close closes the database.
	Close() error
}
