package service

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/live"
)

// LiveView is what one open page (home feed or a group) hears: Wants picks the events meant
// for it, cheaply, on the publisher's goroutine; Render, on the page's own stream, turns an
// event into the message the page gets, checking what Wants could not (a followed person's
// post in a group that is not the viewer's is only told when they may read it).
type LiveView struct {
	Wants  func(live.Event) bool
	Render func(live.Event) (name, data string, ok bool)
	// First is sent when the page connects: the current unread count.
	First []live.SSEMessage
}

// Live events a page gets: "count" with the unread count, "post" with {"post_id",
// "group_id"} of a new post for the page's feed, "refresh" when events were lost.
const (
	LiveCount   = "count"
	LivePost    = "post"
	LiveRefresh = "refresh"
)

// OpenLive subscribes the actor's open page of feed to this instance's live events (see
// liveView); the caller streams them and closes the subscription. not_found when the site
// has no live updates.
func (s *Service) OpenLive(ctx context.Context, feed biebplein.FeedKind, groupID string) (*live.Subscription, *LiveView, error) {
	if s.opts.Hub == nil {
		return nil, nil, errNotFound()
	}
	view, err := s.liveView(ctx, feed, groupID)
	if err != nil {
		return nil, nil, err
	}
	return s.opts.Hub.Subscribe(view.Wants), view, nil
}

// liveView returns what the actor's page of feed hears: biebplein.FeedHome (posts in their
// groups and by people and topics they follow) or biebplein.FeedGroup with groupID (posts in
// that group, which they must be able to read; not_found or forbidden otherwise). Every page
// hears the actor's notification count.
func (s *Service) liveView(ctx context.Context, feed biebplein.FeedKind, groupID string) (*LiveView, error) {
	a, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	var groups []string // the viewer's groups, for the count of group-wide notices and the home feed
	mine, _, err := s.store.FindGroups(ctx, biebplein.GroupFilter{Scope: biebplein.GroupScope{Viewer: v}, Member: true, Limit: 1000})
	if err != nil {
		return nil, err
	}
	for _, g := range mine {
		groups = append(groups, g.ID)
	}
	var people, topics []string
	switch feed {
	case biebplein.FeedGroup:
		g, err := s.group(ctx, v, groupID)
		if err != nil {
			return nil, err
		}
		if !v.CanReadGroup(g, g.Membership) {
			return nil, errForbidden("error.group_members_only")
		}
	case biebplein.FeedHome, "":
		feed = biebplein.FeedHome
		follows, err := s.store.FindFollows(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		for _, f := range follows {
			if f.TargetKind == "person" {
				people = append(people, f.Target)
			} else {
				topics = append(topics, f.Target)
			}
		}
	default:
		return nil, fieldError(biebplein.CodeInvalid, "feed", "error.feed_invalid")
	}
	count, err := s.store.CountUnread(ctx, v, MaxUnreadCount)
	if err != nil {
		return nil, err
	}
	lv := &LiveView{First: []live.SSEMessage{{Name: LiveCount, Data: strconv.Itoa(count)}}}
	lv.Wants = func(ev live.Event) bool {
		switch ev.Type {
		case live.TypeNotifications:
			return slices.Contains(ev.PersonIDs, a.ID) || (ev.Members != "" && slices.Contains(groups, ev.Members))
		case live.TypePost:
			if ev.AuthorID == a.ID {
				return false // one's own post is on the page already
			}
			if feed == biebplein.FeedGroup {
				return ev.GroupID == groupID
			}
			return slices.Contains(groups, ev.GroupID) || slices.Contains(people, ev.AuthorID) ||
				slices.ContainsFunc(ev.Topics, func(t string) bool { return slices.Contains(topics, t) })
		}
		return false
	}
	lv.Render = func(ev live.Event) (string, string, bool) {
		switch ev.Type {
		case live.TypeNotifications:
			n, err := s.store.CountUnread(ctx, v, MaxUnreadCount)
			if err != nil {
				return "", "", false
			}
			return LiveCount, strconv.Itoa(n), true
		case live.TypePost:
			if !slices.Contains(groups, ev.GroupID) && feed == biebplein.FeedHome {
				// Followed, but in a group that is not the viewer's: tell only what they may read.
				if _, err := s.post(ctx, v, ev.PostID, 0); err != nil {
					return "", "", false
				}
			}
			b, _ := json.Marshal(map[string]string{"post_id": ev.PostID, "group_id": ev.GroupID})
			return LivePost, string(b), true
		case live.TypeLagged:
			return LiveRefresh, "{}", true
		}
		return "", "", false
	}
	return lv, nil
}
