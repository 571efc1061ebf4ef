package web

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// What the notification pages share: the header's unread count, each notification as a
// sentence with its link, the catalogue keys of the kinds and the e-mail choices, and numbers
// written the reader's way.

// unreadCount is the header's count of unread notifications. It is read once, when the layout
// first shows it: a form that redirects costs no query, and a page that marks notifications
// read (a post) shows the count after doing so.
type unreadCount struct {
	once sync.Once
	load func() int
	n    int
}

// unreadCounter prepares the count for the signed-in reader of r; a failure is logged and
// shows as no count, never as a broken page.
func (s *Server) unreadCounter(r *http.Request) *unreadCount {
	ctx := r.Context()
	return &unreadCount{load: func() int {
		n, err := s.svc.UnreadCount(ctx)
		if err != nil {
			s.logger.Warn("count unread notifications", "error", err)
			return 0
		}
		return n
	}}
}

// Unread is the reader's number of unread notifications (0 when signed out).
func (b base) Unread() int {
	if b.unread == nil {
		return 0
	}
	b.unread.once.Do(func() { b.unread.n = b.unread.load() })
	return b.unread.n
}

// UnreadText is the count as the header shows it: "99+" from service.MaxUnreadCount on.
func (b base) UnreadText() string {
	n := b.Unread()
	if n >= service.MaxUnreadCount {
		return b.Number(service.MaxUnreadCount-1) + "+"
	}
	return b.Number(n)
}

// Number writes n with the reader's thousands separator: 1.234 in Dutch, 1,234 in English.
func (b base) Number(n int) string {
	sep := "."
	if b.L.Locale == biebplein.LocaleEN {
		sep = ","
	}
	digits := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var out strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			out.WriteString(sep)
		}
		out.WriteRune(d)
	}
	return sign + out.String()
}

// Catalogue keys of the kinds of notification: the name (a heading), the name within a
// sentence, what it means, and the sentence of one line in the list, for one person and for
// several.
var (
	noticeKindKeys = map[biebplein.NoticeKind]string{
		biebplein.NoticeMention:      "web.notify.kind.mention",
		biebplein.NoticeGroupMention: "web.notify.kind.group_mention",
		biebplein.NoticeReply:        "web.notify.kind.reply",
		biebplein.NoticeAnswer:       "web.notify.kind.answer",
		biebplein.NoticeAccepted:     "web.notify.kind.accepted",
		biebplein.NoticeReaction:     "web.notify.kind.reaction",
		biebplein.NoticeJoinRequest:  "web.notify.kind.join_request",
		biebplein.NoticeApproved:     "web.notify.kind.approved",
		biebplein.NoticeAnnouncement: "web.notify.kind.announcement",
		biebplein.NoticeInvitation:   "web.notify.kind.invitation",
		biebplein.NoticeAsked:        "web.notify.kind.asked",
		biebplein.NoticeEscalated:    "web.notify.kind.escalated",
	}
	noticeAboutKeys = map[biebplein.NoticeKind]string{
		biebplein.NoticeMention:      "web.notify.about.mention",
		biebplein.NoticeGroupMention: "web.notify.about.group_mention",
		biebplein.NoticeReply:        "web.notify.about.reply",
		biebplein.NoticeAnswer:       "web.notify.about.answer",
		biebplein.NoticeAccepted:     "web.notify.about.accepted",
		biebplein.NoticeReaction:     "web.notify.about.reaction",
		biebplein.NoticeJoinRequest:  "web.notify.about.join_request",
		biebplein.NoticeApproved:     "web.notify.about.approved",
		biebplein.NoticeAnnouncement: "web.notify.about.announcement",
		biebplein.NoticeInvitation:   "web.notify.about.invitation",
		biebplein.NoticeAsked:        "web.notify.about.asked",
		biebplein.NoticeEscalated:    "web.notify.about.escalated",
	}
	noticeHintKeys = map[biebplein.NoticeKind]string{
		biebplein.NoticeMention:      "web.notify.hint.mention",
		biebplein.NoticeGroupMention: "web.notify.hint.group_mention",
		biebplein.NoticeReply:        "web.notify.hint.reply",
		biebplein.NoticeAnswer:       "web.notify.hint.answer",
		biebplein.NoticeAccepted:     "web.notify.hint.accepted",
		biebplein.NoticeReaction:     "web.notify.hint.reaction",
		biebplein.NoticeJoinRequest:  "web.notify.hint.join_request",
		biebplein.NoticeApproved:     "web.notify.hint.approved",
		biebplein.NoticeAnnouncement: "web.notify.hint.announcement",
		biebplein.NoticeInvitation:   "web.notify.hint.invitation",
		biebplein.NoticeAsked:        "web.notify.hint.asked",
		biebplein.NoticeEscalated:    "web.notify.hint.escalated",
	}
	// The sentences take the actor ("Anna" or "Anna en 4 anderen"), the snippet of the post
	// (with its leading space and quotes, or "") and the group's name.
	noticeTextKeys = map[biebplein.NoticeKind][2]string{
		biebplein.NoticeMention:      {"web.notify.text.mention", "web.notify.text.mention_many"},
		biebplein.NoticeGroupMention: {"web.notify.text.group_mention", "web.notify.text.group_mention_many"},
		biebplein.NoticeReply:        {"web.notify.text.reply", "web.notify.text.reply_many"},
		biebplein.NoticeAnswer:       {"web.notify.text.answer", "web.notify.text.answer_many"},
		biebplein.NoticeAccepted:     {"web.notify.text.accepted", "web.notify.text.accepted_many"},
		biebplein.NoticeReaction:     {"web.notify.text.reaction", "web.notify.text.reaction_many"},
		biebplein.NoticeJoinRequest:  {"web.notify.text.join_request", "web.notify.text.join_request_many"},
		biebplein.NoticeApproved:     {"web.notify.text.approved", "web.notify.text.approved_many"},
		biebplein.NoticeAnnouncement: {"web.notify.text.announcement", "web.notify.text.announcement_many"},
		biebplein.NoticeInvitation:   {"web.notify.text.invitation", "web.notify.text.invitation_many"},
		biebplein.NoticeAsked:        {"web.notify.text.asked", "web.notify.text.asked_many"},
		biebplein.NoticeEscalated:    {"web.notify.text.escalated", "web.notify.text.escalated_many"},
	}
	mailPrefKeys = map[biebplein.MailPref]string{
		biebplein.MailImmediate: "web.notify.mail.immediate",
		biebplein.MailDaily:     "web.notify.mail.daily",
		biebplein.MailWeekly:    "web.notify.mail.weekly",
		biebplein.MailNever:     "web.notify.mail.never",
	}
)

// snippetRunes is how much of a post a notification quotes.
const snippetRunes = 80

// noticeView is one line of the notification list.
type noticeView struct {
	*biebplein.Notification
	Text   string // the sentence: who did what, where
	URL    string // the post (at the comment), or the group
	Unread bool
}

// newNoticeView writes n as a sentence in the reader's language.
func newNoticeView(b *base, n *biebplein.Notification) *noticeView {
	actor := n.Actor.Name
	if actor == "" {
		actor = b.T("web.notify.someone")
	}
	keys, ok := noticeTextKeys[n.Kind]
	if !ok {
		keys = [2]string{"web.notify.text.other", "web.notify.text.other"}
	}
	key := keys[0]
	switch others := n.Others(); {
	case others == 1:
		actor, key = b.T("web.notify.actor_one_other", actor), keys[1]
	case others > 1:
		actor, key = b.T("web.notify.actor_others", actor, b.Number(others)), keys[1]
	}
	quote := ""
	if s := biebplein.Snippet(n.PostText, snippetRunes); s != "" && !n.Kind.AboutGroup() {
		quote = b.T("web.notify.snippet", s)
	}
	return &noticeView{Notification: n, Text: b.T(key, actor, quote, n.Group.Name), URL: noticeURL(n), Unread: n.ReadAt == nil}
}

// noticeURL is where a notification leads: a join request to the group's requests, other
// group notices to the group, the rest to the post, at the comment when there is one.
func noticeURL(n *biebplein.Notification) string {
	switch {
	case n.Kind == biebplein.NoticeJoinRequest:
		return groupURL(n.Group.ID) + "/members"
	case n.Kind.AboutGroup() || n.PostID == "":
		return groupURL(n.Group.ID)
	case n.CommentID != "":
		return postURL(n.PostID) + "#comment-" + n.CommentID
	}
	return postURL(n.PostID)
}

// maskEmail hides most of an e-mail address: "a***@example.nl". Pages reached without
// signing in show no more of it than that.
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return "***"
	}
	r, _ := utf8.DecodeRuneInString(local)
	return string(r) + "***@" + domain
}

func noticeKindKey(k biebplein.NoticeKind) string  { return keyOr(noticeKindKeys, k) }
func noticeAboutKey(k biebplein.NoticeKind) string { return keyOr(noticeAboutKeys, k) }
func noticeHintKey(k biebplein.NoticeKind) string  { return keyOr(noticeHintKeys, k) }
func mailPrefKey(m biebplein.MailPref) string      { return keyOr(mailPrefKeys, m) }
