package biebplein

import (
	"context"
	"time"
)

// NoticeKind is a kind of notification. A person turns each kind on or off in the
// application and chooses how it reaches them by e-mail.
type NoticeKind string

// The kinds of notification.
const (
	NoticeMention      NoticeKind = "mention"       // someone mentioned me in a post or comment
	NoticeGroupMention NoticeKind = "group_mention" // someone mentioned a group I am a member of
	NoticeReply        NoticeKind = "reply"         // a comment on my post, or a reply to my comment
	NoticeAnswer       NoticeKind = "answer"        // an answer to my question
	NoticeAccepted     NoticeKind = "accepted"      // my answer was accepted
	NoticeReaction     NoticeKind = "reaction"      // reactions to my post, grouped
	NoticeJoinRequest  NoticeKind = "join_request"  // someone asks to join a group I administer
	NoticeApproved     NoticeKind = "approved"      // my request to join was approved
	NoticeAnnouncement NoticeKind = "announcement"  // an announcement in a group of mine
	NoticeInvitation   NoticeKind = "invitation"    // I was invited to a group
	NoticeAsked        NoticeKind = "asked"         // someone asks me directly to help with their question
	NoticeEscalated    NoticeKind = "escalated"     // a question nobody answered, for me as an advisor
)

// NoticeKinds lists the kinds in the order the preferences page shows them.
func NoticeKinds() []NoticeKind {
	return []NoticeKind{NoticeMention, NoticeGroupMention, NoticeReply, NoticeAnswer, NoticeAccepted,
		NoticeReaction, NoticeAnnouncement, NoticeJoinRequest, NoticeApproved, NoticeInvitation, NoticeAsked, NoticeEscalated}
}

// Valid reports whether k is a known kind.
func (k NoticeKind) Valid() bool {
	for _, known := range NoticeKinds() {
		if k == known {
			return true
		}
	}
	return false
}

// AboutGroup reports whether notifications of this kind are about a group rather than a post.
func (k NoticeKind) AboutGroup() bool {
	return k == NoticeJoinRequest || k == NoticeApproved || k == NoticeInvitation
}

// MailPref says how notifications of one kind reach a person by e-mail.
type MailPref string

// The e-mail choices.
const (
	MailImmediate MailPref = "immediate" // a few minutes later, unless seen in the application by then
	MailDaily     MailPref = "daily"     // in the morning's digest
	MailWeekly    MailPref = "weekly"    // in Monday morning's digest
	MailNever     MailPref = "never"
)

// MailPrefs lists the e-mail choices in the order a form shows them.
func MailPrefs() []MailPref { return []MailPref{MailImmediate, MailDaily, MailWeekly, MailNever} }

// Valid reports whether m is a known choice.
func (m MailPref) Valid() bool {
	switch m {
	case MailImmediate, MailDaily, MailWeekly, MailNever:
		return true
	}
	return false
}

// Digest reports whether m is one of the digests.
func (m MailPref) Digest() bool { return m == MailDaily || m == MailWeekly }

// Length is how much time a digest covers; how far back a person's first digest looks.
func (m MailPref) Length() time.Duration {
	if m == MailWeekly {
		return 7 * 24 * time.Hour
	}
	return 24 * time.Hour
}

// NoticePref is a person's choice for one kind of notification.
type NoticePref struct {
	Kind NoticeKind
	App  bool     // shown in the application (and counted in the header)
	Mail MailPref // how it is e-mailed; MailNever when App is off
}

// DefaultNoticePref is the choice of everyone who has not made one. E-mail is kept for what
// asks something of the person (a mention, an answer, a request, an invitation, an
// announcement, a question asked of them or forwarded to them as an advisor); the rest waits for the digest, reactions for the weekly one, so that nobody
// learns to ignore our mail.
func DefaultNoticePref(k NoticeKind) NoticePref {
	mail := MailDaily
	switch k {
	case NoticeMention, NoticeAnswer, NoticeJoinRequest, NoticeApproved, NoticeAnnouncement, NoticeInvitation,
		NoticeAsked, NoticeEscalated:
		mail = MailImmediate
	case NoticeReaction:
		mail = MailWeekly
	}
	return NoticePref{Kind: k, App: true, Mail: mail}
}

// Notice is one event to tell people about. The service decides who is told; the store
// writes the notifications (grouped per person, kind and subject) and the e-mail they cause
// in the transaction of the change itself, so nothing is told about a change that did not
// happen, and nothing that happened goes untold.
type Notice struct {
	Kind      NoticeKind
	ActorID   string
	PostID    string // "" for notices about a group
	GroupID   string
	CommentID string
	To        Audience
	At        time.Time // when it happened; now when zero
	// MailAt is when an immediate e-mail about it may be sent (At when zero): a few minutes
	// later, so that what was seen in the application meanwhile is not mailed.
	MailAt time.Time
}

// Audience is who a notice is for. The actor is never told about their own action, and
// deactivated people and those who turned the kind off are left out.
type Audience struct {
	People    []string
	MembersOf string // every member of this group
	AdminsOf  string // the admins of this group
}

// Notification is what a person is told, grouped: one line per kind and post (or group).
type Notification struct {
	ID         string
	PersonID   string
	Kind       NoticeKind
	Actor      PersonRef // the most recent
	ActorCount int       // different people, the most recent included
	PostID     string
	PostKind   PostKind
	PostText   string // the post's plain text, for a snippet; "" for group notices
	Group      GroupRef
	CommentID  string
	// CommentText is the plain text of that comment (a reply, an answer, a mention in a
	// comment), "" when there is none or it was deleted.
	CommentText string
	// HideText is set when the person's organisation (or one above it) or the group's
	// organisation keeps post text out of e-mail.
	HideText  bool
	CreatedAt time.Time
	UpdatedAt time.Time
	ReadAt    *time.Time
}

// Others is how many people besides Actor acted ("Anna and 4 others").
func (n *Notification) Others() int { return max(n.ActorCount-1, 0) }

// NotificationFilter selects a person's notifications. Only notifications about what the
// viewer may still see are returned: a post they may read, not deleted, or a group they may
// see.
type NotificationFilter struct {
	Viewer Viewer // whose notifications, and the eyes they are read with
	ID     string // only this one
	Unread bool
	Kinds  []NoticeKind // only these kinds; all when empty
	// ChangedAfter and ChangedBefore bound UpdatedAt (digests); zero means unbounded.
	ChangedAfter  time.Time
	ChangedBefore time.Time
	After         string // cursor
	Limit         int
}

// ReadFilter says which of a person's notifications to mark read: the ones with these IDs,
// those about this post, or (neither given) all.
type ReadFilter struct {
	IDs    []string
	PostID string
}

// Reach is how many people a notice to a group's members would tell, and e-mail.
type Reach struct {
	People int
	Mailed int
}

// OutboxKind says what an outgoing e-mail is.
type OutboxKind string

// The kinds of e-mail.
const (
	OutboxNotice     OutboxKind = "notice"     // one notification, sent a few minutes later
	OutboxDigest     OutboxKind = "digest"     // a daily or weekly digest
	OutboxInvitation OutboxKind = "invitation" // the link to join the network
	// OutboxPasswordReset is the link to choose a new password.
	OutboxPasswordReset OutboxKind = "password_reset"
)

// OutboxItem is one e-mail waiting in the durable outbox.
type OutboxItem struct {
	ID             string
	Kind           OutboxKind
	PersonID       string
	NotificationID string    // OutboxNotice
	Period         MailPref  // OutboxDigest: daily or weekly
	Payload        string    // OutboxInvitation, OutboxPasswordReset: the link
	Attempts       int       // sending attempts so far, this one included
	NextAt         time.Time // not sent before; for a digest, the end of what it covers
	CreatedAt      time.Time
}

// OutboxState is where an outgoing e-mail stands.
type OutboxState string

// The outbox states.
const (
	OutboxPending OutboxState = "pending"
	OutboxSent    OutboxState = "sent"
	OutboxDropped OutboxState = "dropped" // nothing left to say: read, no longer visible, unsubscribed
	OutboxFailed  OutboxState = "failed"  // refused for good by the mail server
)

// OutboxResult is how an attempt to send ended. A pending result with a later RetryAt tries
// again then.
type OutboxResult struct {
	State   OutboxState
	RetryAt time.Time
	Error   string // a short, safe description; never a password
}

// OutboxStats counts the outbox by state, for administrators.
type OutboxStats struct {
	Pending, Sent, Dropped, Failed int
	OldestPending                  *time.Time
}

// NotificationStore keeps notifications, preferences and the e-mail outbox.
type NotificationStore interface {
	// FindNotifications returns a page of the viewer's notifications, most recently changed
	// first, and the next cursor.
	FindNotifications(ctx context.Context, f NotificationFilter) ([]*Notification, string, error)
	// CountUnread counts the viewer's unread notifications they may still see, up to max.
	CountUnread(ctx context.Context, v Viewer, max int) (int, error)
	// MarkNotificationsRead marks a person's unread notifications read and returns how many.
	MarkNotificationsRead(ctx context.Context, personID string, f ReadFilter, at time.Time) (int, error)
	// FindNoticePrefs returns the person's choice for every kind, defaults included.
	FindNoticePrefs(ctx context.Context, personID string) ([]NoticePref, error)
	// SaveNoticePrefs stores the person's choices for the given kinds.
	SaveNoticePrefs(ctx context.Context, personID string, prefs []NoticePref) error
	// CountReach counts the active members of a group who would be told, and e-mailed, about
	// a notice of kind k from actorID.
	CountReach(ctx context.Context, groupID, actorID string, k NoticeKind) (Reach, error)

	// ClaimOutbox takes up to limit due e-mails for worker until leaseUntil.
	ClaimOutbox(ctx context.Context, worker string, now, leaseUntil time.Time, limit int) ([]*OutboxItem, error)
	// FinishOutbox records how sending a claimed e-mail ended; a digest that was sent or
	// dropped moves the person's digest mark to its NextAt. Returns not_found when the item is
	// no longer claimed by worker.
	FinishOutbox(ctx context.Context, worker string, item *OutboxItem, r OutboxResult, at time.Time) error
	// EnqueueDigests adds a digest for period ending at until for everyone who has unread
	// notifications of kinds they want in that digest changed since their last one. It is
	// idempotent: several instances may call it for the same period.
	EnqueueDigests(ctx context.Context, period MailPref, until time.Time) (int, error)
	// DigestStart returns the end of the person's previous digest of period (zero if none).
	DigestStart(ctx context.Context, personID string, period MailPref) (time.Time, error)
	// OutboxStats counts the outbox for the administration page.
	OutboxStats(ctx context.Context) (OutboxStats, error)
	// PruneNotifications removes notifications read before readBefore and e-mails done
	// (sent, dropped, failed) before doneBefore, and returns how many rows went.
	PruneNotifications(ctx context.Context, readBefore, doneBefore time.Time) (int, error)
	// SiteKey returns the site's secret key of this name, storing fresh as the key the
	// first time it is asked for.
	SiteKey(ctx context.Context, name, fresh string) (string, error)
}

// UnsubscribeKey names the site key (NotificationStore.SiteKey) that signs the "stop these
// e-mails" links; the parts signed are "unsubscribe", the person's ID and the scope.
const UnsubscribeKey = "unsubscribe"

// UnsubscribeScope is what one "stop these e-mails" link stops: a kind of notification
// ("mention") or a digest ("digest:daily", "digest:weekly").
func UnsubscribeScope(kind NoticeKind, digest MailPref) string {
	if digest.Digest() {
		return "digest:" + string(digest)
	}
	return string(kind)
}
