package biebplein

import (
	"context"
	"time"
)

// AuditAction names an administrative or security event.
type AuditAction string

// The audited actions. The list is the vocabulary of the audit log's filter.
const (
	AuditSignIn           AuditAction = "sign_in"                  // a successful sign-in or API token by password
	AuditSignInFailed     AuditAction = "sign_in_failed"           // wrong address or password
	AuditSignInThrottled  AuditAction = "sign_in_throttled"        // refused: too many failures
	AuditPasswordChanged  AuditAction = "password_changed"         // by the person or an administrator
	AuditResetRequested   AuditAction = "password_reset_requested" // a reset link was mailed
	AuditResetDone        AuditAction = "password_reset_done"      // a new password chosen with it
	AuditTOTPEnabled      AuditAction = "totp_enabled"             // two-factor turned on
	AuditTOTPDisabled     AuditAction = "totp_disabled"            // and off
	AuditTOTPFailed       AuditAction = "totp_failed"              // a wrong code after the right password
	AuditRecoveryCodeUsed AuditAction = "recovery_code_used"       // signed in with a recovery code
	AuditAdminGranted     AuditAction = "admin_granted"            // the site administrator flag set
	AuditAdminRevoked     AuditAction = "admin_revoked"            // and taken away
	AuditPersonChanged    AuditAction = "person_changed"           // kind or organisation changed by an administrator
	AuditPersonCreated    AuditAction = "person_created"           // an account made by an administrator
	AuditDeactivated      AuditAction = "person_deactivated"       // cannot sign in any more
	AuditReactivated      AuditAction = "person_reactivated"
	AuditSessionRevoked   AuditAction = "session_revoked"      // one session ended by its owner or an administrator
	AuditSessionsRevoked  AuditAction = "sessions_revoked"     // all (other) sessions ended
	AuditOrganisationMade AuditAction = "organisation_created" // organisations are the network's structure
	AuditOrganisationEdit AuditAction = "organisation_changed"
)

// AuditActions lists every action, in the order the filter offers them.
var AuditActions = []AuditAction{
	AuditSignIn, AuditSignInFailed, AuditSignInThrottled, AuditPasswordChanged, AuditResetRequested, AuditResetDone,
	AuditTOTPEnabled, AuditTOTPDisabled, AuditTOTPFailed, AuditRecoveryCodeUsed,
	AuditAdminGranted, AuditAdminRevoked, AuditPersonCreated, AuditPersonChanged,
	AuditDeactivated, AuditReactivated, AuditSessionRevoked, AuditSessionsRevoked,
	AuditOrganisationMade, AuditOrganisationEdit,
}

// Valid reports whether a is a known action.
func (a AuditAction) Valid() bool {
	for _, k := range AuditActions {
		if a == k {
			return true
		}
	}
	return false
}

// AuditEvent is one line of the audit log: who did what to whom, when and from where. It never
// holds a password, a token or a secret: Details are short facts (a kind, an organisation
// id, how many sessions), and a failed sign-in records the account key, not what was typed.
type AuditEvent struct {
	ID         string // time-ordered: the cursor of the log
	At         time.Time
	ActorID    string // "" when nobody was signed in (a failed sign-in, the command line)
	ActorName  string // filled in when read
	Action     AuditAction
	TargetID   string // the person, organisation or session acted on; "" when none
	TargetName string // filled in when read for people and organisations
	// Email is the address typed at a failed or throttled sign-in, normalised; never a
	// password. It lets an administrator see which account is being tried.
	Email   string
	IP      string
	Details map[string]string
}

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	Action   AuditAction // "" all
	PersonID string      // events by or about this person
	Since    time.Time   // at or after (zero: no bound)
	Until    time.Time   // before (zero: no bound)
	After    string      // cursor from a previous page
	Limit    int         // 1-100
}

// AuditStore keeps the audit log.
type AuditStore interface {
	// RecordAudit stores events on their own, for events that come with no change (a refused
	// sign-in). Events of a change travel in its context (WithAudit) and are written in its
	// transaction.
	RecordAudit(ctx context.Context, events ...*AuditEvent) error
	// FindAuditEvents returns a page of events newest first and the cursor of the next page
	// ("" at the end). Returns invalid for a bad cursor.
	FindAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, string, error)
	// PruneAudit removes the events that happened before before and returns how many.
	PruneAudit(ctx context.Context, before time.Time) (int, error)
}

const auditKey contextKey = iota + 100

// WithAudit returns a context carrying events that the store writes in the transaction of the
// change made with it, so that a change and its record stand or fall together.
func WithAudit(ctx context.Context, events ...*AuditEvent) context.Context {
	all := append(append([]*AuditEvent(nil), AuditFrom(ctx)...), events...)
	return context.WithValue(ctx, auditKey, all)
}

// AuditFrom returns the events WithAudit put in ctx.
func AuditFrom(ctx context.Context) []*AuditEvent {
	ev, _ := ctx.Value(auditKey).([]*AuditEvent)
	return ev
}
