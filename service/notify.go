package service

import (
	"context"
	"slices"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/live"
)

// Who is told what. The notices of a change are built here and written by the store in the
// change's own transaction; live events go out after it committed. Whether a person may see
// what they are told is decided when the notification is read or mailed, with the rule of
// every list, so a mention in a group someone cannot read tells them nothing.

// DefaultMailDelay is how long an immediate e-mail waits, so that what was seen in the
// application meanwhile is not mailed.
const DefaultMailDelay = 5 * time.Minute

// MaxUnreadCount is where the header's count stops ("99+").
const MaxUnreadCount = 100

// notice returns a notice by the actor at the current time.
func (s *Service) notice(kind biebplein.NoticeKind, actorID, postID, groupID string, to biebplein.Audience) biebplein.Notice {
	now := s.now()
	return biebplein.Notice{Kind: kind, ActorID: actorID, PostID: postID, GroupID: groupID, To: to,
		At: now, MailAt: now.Add(s.opts.MailDelay)}
}

// mentionNotices tells the people mentioned (and the members of mentioned groups) in a body.
// A group mention of the post's own group in an announcement adds nothing: its members are
// told about the announcement.
func (s *Service) mentionNotices(actorID, postID, groupID string, ms []biebplein.Mention, skipGroup string) []biebplein.Notice {
	var people []string
	var out []biebplein.Notice
	for _, m := range ms {
		switch {
		case m.Kind == "person" && !slices.Contains(people, m.ID):
			people = append(people, m.ID)
		case m.Kind == "group" && m.ID != skipGroup:
			out = append(out, s.notice(biebplein.NoticeGroupMention, actorID, postID, groupID, biebplein.Audience{MembersOf: m.ID}))
		}
	}
	if len(people) > 0 {
		out = append(out, s.notice(biebplein.NoticeMention, actorID, postID, groupID, biebplein.Audience{People: people}))
	}
	return out
}

// postNotices are the notices of a new post: its mentions, and an announcement for the
// members of its group.
func (s *Service) postNotices(p *biebplein.Post) []biebplein.Notice {
	skip := ""
	var out []biebplein.Notice
	if p.Kind == biebplein.KindAnnouncement {
		skip = p.Group.ID
		out = append(out, s.notice(biebplein.NoticeAnnouncement, p.Author.ID, p.ID, p.Group.ID, biebplein.Audience{MembersOf: p.Group.ID}))
	}
	return append(out, s.mentionNotices(p.Author.ID, p.ID, p.Group.ID, p.Mentions, skip)...)
}

// commentNotices are the notices of a new comment: the post's author (an answer, for a
// question), the author of the comment replied to, and the mentions.
func (s *Service) commentNotices(p *biebplein.Post, c *biebplein.Comment, parentAuthor string) []biebplein.Notice {
	kind := biebplein.NoticeReply
	if p.Kind == biebplein.KindQuestion && c.ParentID == "" {
		kind = biebplein.NoticeAnswer
	}
	out := []biebplein.Notice{s.notice(kind, c.Author.ID, p.ID, p.Group.ID, biebplein.Audience{People: []string{p.Author.ID}})}
	if parentAuthor != "" && parentAuthor != p.Author.ID {
		out = append(out, s.notice(biebplein.NoticeReply, c.Author.ID, p.ID, p.Group.ID, biebplein.Audience{People: []string{parentAuthor}}))
	}
	for _, n := range s.mentionNotices(c.Author.ID, p.ID, p.Group.ID, c.Mentions, "") {
		n.CommentID = c.ID
		out = append(out, n)
	}
	return out
}

// told publishes, after the change committed, that the notices' people have something new,
// so that their open pages update the count.
func (s *Service) told(ctx context.Context, notices []biebplein.Notice) {
	var people []string
	for _, n := range notices {
		people = append(people, n.To.People...)
		for _, g := range []string{n.To.MembersOf, n.To.AdminsOf} {
			if g != "" {
				s.publish(ctx, live.Event{Type: live.TypeNotifications, Members: g})
			}
		}
	}
	if len(people) > 0 {
		slices.Sort(people)
		s.publish(ctx, live.Event{Type: live.TypeNotifications, PersonIDs: slices.Compact(people)})
	}
}

// publish raises a live event. Live updates are a convenience on top of what a reload shows,
// so a failure is logged, never the caller's error.
func (s *Service) publish(ctx context.Context, ev live.Event) {
	if s.opts.Events == nil {
		return
	}
	if err := s.opts.Events.Publish(context.WithoutCancel(ctx), ev); err != nil {
		s.logger.Warn("publish live event", "type", ev.Type, "err", err)
	}
}

// Notifications returns a page of the actor's notifications about what they may still see.
func (s *Service) Notifications(ctx context.Context, f biebplein.NotificationFilter) ([]*biebplein.Notification, string, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, "", err
	}
	f.Viewer = v
	f.ChangedAfter, f.ChangedBefore = time.Time{}, time.Time{}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = 20
	}
	return s.store.FindNotifications(ctx, f)
}

// UnreadCount counts the actor's unread notifications, up to MaxUnreadCount.
func (s *Service) UnreadCount(ctx context.Context) (int, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return 0, err
	}
	return s.store.CountUnread(ctx, v, MaxUnreadCount)
}

// MarkNotificationsRead marks the actor's notifications read (those of the filter; all when
// it is empty) and tells their other open pages.
func (s *Service) MarkNotificationsRead(ctx context.Context, f biebplein.ReadFilter) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if len(f.IDs) > MaxPageSize {
		return fieldError(biebplein.CodeInvalid, "ids", "error.too_many_ids")
	}
	n, err := s.store.MarkNotificationsRead(ctx, a.ID, f, s.now())
	if err != nil {
		return err
	}
	if n > 0 {
		s.publish(ctx, live.Event{Type: live.TypeNotifications, PersonIDs: []string{a.ID}})
	}
	return nil
}

// NoticePrefs returns the actor's choices for every kind of notification.
func (s *Service) NoticePrefs(ctx context.Context) ([]biebplein.NoticePref, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.FindNoticePrefs(ctx, a.ID)
}

// SaveNoticePrefs stores the actor's choices. A kind turned off in the application is not
// e-mailed either.
func (s *Service) SaveNoticePrefs(ctx context.Context, prefs []biebplein.NoticePref) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	for i, p := range prefs {
		if !p.Kind.Valid() {
			return fieldError(biebplein.CodeInvalid, "kind", "error.notice_kind_invalid")
		}
		if !p.Mail.Valid() {
			return fieldError(biebplein.CodeInvalid, "mail_"+string(p.Kind), "error.mail_pref_invalid")
		}
		if !p.App {
			prefs[i].Mail = biebplein.MailNever
		}
	}
	return s.store.SaveNoticePrefs(ctx, a.ID, prefs)
}

// AnnouncementReach says how many people an announcement in a group would reach and how many
// of them would get it by e-mail (group admins, before they post).
func (s *Service) AnnouncementReach(ctx context.Context, groupID string) (biebplein.Reach, error) {
	g, v, err := s.managedGroup(ctx, groupID)
	if err != nil {
		return biebplein.Reach{}, err
	}
	return s.store.CountReach(ctx, g.ID, v.PersonID, biebplein.NoticeAnnouncement)
}

// MailStatus says how e-mail is doing, for administrators: the outbox by state, and whether
// a mail server is set.
type MailStatus struct {
	biebplein.OutboxStats
	Configured bool
}

// MailStatus counts the e-mail outbox (administrators only).
func (s *Service) MailStatus(ctx context.Context) (*MailStatus, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	st, err := s.store.OutboxStats(ctx)
	if err != nil {
		return nil, err
	}
	return &MailStatus{OutboxStats: st, Configured: s.opts.MailConfigured}, nil
}
