// Package live tells open pages at once that something happened: a new post in a feed, a
// changed notification count. Events go from a Bus to the Hub of every instance, and from a
// Hub through a Subscription to the server-sent event stream of one page (Stream).
//
// On SQLite there is one instance and Local puts events straight into its hub. On PostgreSQL
// several instances may share the database, so Shared sends each event with NOTIFY and every
// instance, the sender included, feeds what it hears into its own hub.
//
// Events carry ids only. What a page may see is decided per subscriber by its wants
// function, which the web layer builds from the visibility rule; this package knows nothing
// of it.
package live

import "context"

// The types of events.
const (
	// TypePost is a new post: PostID, GroupID (empty outside a group), AuthorID, Topics.
	TypePost = "post"
	// TypeNotifications says that the notification counts of PersonIDs, or of every member
	// of the group Members, changed.
	TypeNotifications = "notifications"
	// TypeLagged is never published: Stream renders it when events meant for a page were
	// lost (it read too slowly, or an instance lost its database connection for a moment),
	// so that the page refreshes what it shows instead of trusting its increments.
	TypeLagged = "lagged"
)

// Event is something that happened that open pages may want to show at once. It carries ids
// only, never content, so that what reaches a browser is decided by the subscriber's filter
// (visibility is checked by the web layer's wants function, not here). Subscribers share one
// Event value and must not modify its slices.
type Event struct {
	// Type is TypePost or TypeNotifications.
	Type string `json:"t"`
	// PostID, GroupID (empty outside a group) and AuthorID, for TypePost: the new post.
	PostID   string `json:"p,omitempty"`
	GroupID  string `json:"g,omitempty"`
	AuthorID string `json:"a,omitempty"`
	// PersonIDs, for TypeNotifications: whose counts changed.
	PersonIDs []string `json:"ps,omitempty"`
	// Members, for TypeNotifications: every member of this group, for a group mention whose
	// fan-out is too large to list.
	Members string `json:"m,omitempty"`
	// Topics, for TypePost: the #topics of the post, for pages following them.
	Topics []string `json:"tp,omitempty"`
}

// Bus is how the application raises events: locally on SQLite, through PostgreSQL NOTIFY
// between instances. Publish after the change is committed, so that a page reacting to the
// event finds it.
type Bus interface {
	Publish(ctx context.Context, ev Event) error
}

// Local returns a Bus that delivers straight into h: for a single instance (SQLite).
func Local(h *Hub) Bus { return localBus{hub: h} }

type localBus struct{ hub *Hub }

func (b localBus) Publish(_ context.Context, ev Event) error {
	b.hub.Publish(ev)
	return nil
}

// Notifier is what a database offers for cross-instance fan-out; *store.DB implements it on
// PostgreSQL.
type Notifier interface {
	// Notify sends payload to every session listening on channel.
	Notify(ctx context.Context, channel, payload string) error
	// Listen calls fn for every notification on channel until ctx ends; it reconnects after a
	// lost connection (with back-off) and calls ready() each time it is (re)subscribed.
	// Returns ctx.Err() at the end, or errors.ErrUnsupported at once when the database
	// cannot (SQLite).
	Listen(ctx context.Context, channel string, ready func(), fn func(payload string)) error
}
