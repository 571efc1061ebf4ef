package api

import (
	"time"

	"github.com/biebplein/biebplein"
)

// notificationJSON is a notification as the API shows it: one line per kind and post (or
// group), grouped. Actor is the most recent of actor_count people. Beyond the contract:
// actor_count, group, comment_id, updated_at (the list is ordered by it, newest first).
// post_id and comment_id are null when there is none; group_id is always set.
type notificationJSON struct {
	ID         string        `json:"id"`
	Kind       string        `json:"kind"`
	Actor      personRefJSON `json:"actor"`
	ActorCount int           `json:"actor_count"`
	PostID     *string       `json:"post_id"`
	GroupID    string        `json:"group_id"`
	Group      groupRefJSON  `json:"group"`
	CommentID  *string       `json:"comment_id"`
	CreatedAt  time.Time     `json:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at"`
	Read       bool          `json:"read"`
}

func newNotification(n *biebplein.Notification) notificationJSON {
	out := notificationJSON{ID: n.ID, Kind: string(n.Kind), Actor: personRefJSON{ID: n.Actor.ID, Name: n.Actor.Name},
		ActorCount: n.ActorCount, GroupID: n.Group.ID, Group: groupRefJSON{ID: n.Group.ID, Name: n.Group.Name},
		CreatedAt: n.CreatedAt.UTC(), UpdatedAt: n.UpdatedAt.UTC(), Read: n.ReadAt != nil}
	if n.PostID != "" {
		out.PostID = &n.PostID
	}
	if n.CommentID != "" {
		out.CommentID = &n.CommentID
	}
	return out
}

// notificationListJSON is a page of notifications with the caller's unread count.
type notificationListJSON struct {
	Items       []notificationJSON `json:"items"`
	NextCursor  string             `json:"next_cursor"`
	UnreadCount int                `json:"unread_count"`
}

// noticePrefJSON is the caller's choice for one kind of notification: app shows it in
// Biebplein (and counts it), mail is immediate, daily, weekly or never.
type noticePrefJSON struct {
	Kind string `json:"kind"`
	App  bool   `json:"app"`
	Mail string `json:"mail"`
}

// noticePrefsJSON is every choice: the answer of GET and PUT, and the body of PUT. It is not
// paged, so that what GET answers can be sent back as it is.
type noticePrefsJSON struct {
	Items []noticePrefJSON `json:"items"`
}

func newNoticePrefs(prefs []biebplein.NoticePref) noticePrefsJSON {
	out := noticePrefsJSON{Items: make([]noticePrefJSON, 0, len(prefs))}
	for _, p := range prefs {
		out.Items = append(out.Items, noticePrefJSON{Kind: string(p.Kind), App: p.App, Mail: string(p.Mail)})
	}
	return out
}

// reachJSON is how many people an announcement in a group would reach, and e-mail.
type reachJSON struct {
	People int `json:"people"`
	Mailed int `json:"mailed"`
}

// Message keys of the notification routes, in i18n/catalog/*/web_notify.json.
const (
	msgUnreadInvalid     = "error.api_unread_invalid"
	msgNoticeKindInvalid = "error.api_notice_kind_invalid"
	msgMailPrefInvalid   = "error.api_mail_pref_invalid"
)
