package service

import (
	"context"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/live"
	"github.com/biebplein/biebplein/render"
)

// newRenderer makes the Markdown renderer with the site's own links.
func newRenderer(baseURL string) *render.Renderer {
	return render.New(render.Options{
		BaseURL:  baseURL,
		TopicURL: func(topic string) string { return "/topics/" + url.PathEscape(topic) },
		MaxLen:   biebplein.MaxBodyLen,
	})
}

// mentionResolver resolves @mentions through the store, keeping only groups the author can see
// so that a mention never reveals a secret group.
type mentionResolver struct {
	s   *Service
	v   biebplein.Viewer
	ctx context.Context
}

func (r mentionResolver) ResolveMentions(ctx context.Context, candidates []string) (map[string]render.Mention, error) {
	found, err := r.s.store.ResolveMentions(ctx, candidates)
	if err != nil {
		return nil, err
	}
	out := make(map[string]render.Mention, len(found))
	for cand, m := range found {
		rm := render.Mention{Kind: m.Kind, ID: m.ID, Name: m.Name, URL: "/people/" + m.ID}
		if m.Kind == "group" {
			if _, err := r.s.group(ctx, r.v, m.ID); err != nil {
				continue
			}
			rm.URL = "/groups/" + m.ID
		}
		out[cand] = rm
	}
	return out, nil
}

// renderBody renders a body for the viewer; errors about the body are reported on field.
func (s *Service) renderBody(ctx context.Context, v biebplein.Viewer, body, field string, max int) (render.Result, error) {
	if utf8.RuneCountInString(body) > max {
		return render.Result{}, fieldError(biebplein.CodeInvalid, field, "error.body_too_long")
	}
	res, err := s.renderer.Render(ctx, body, mentionResolver{s: s, v: v})
	if err != nil {
		if fields := biebplein.ErrorFields(err); fields != nil && field != "body" {
			return res, fieldError(biebplein.CodeInvalid, field, fields["body"])
		}
		return res, err
	}
	return res, nil
}

func mentions(in []render.Mention) []biebplein.Mention {
	out := make([]biebplein.Mention, len(in))
	for i, m := range in {
		out[i] = biebplein.Mention{Kind: m.Kind, ID: m.ID, Name: m.Name}
	}
	return out
}

// CreatePost writes a post in a group the actor is a member of. Announcements are for group
// and site admins and stay pinned for DefaultPinnedDays unless given another time.
func (s *Service) CreatePost(ctx context.Context, in biebplein.PostInput) (*biebplein.Post, error) {
	return s.createPost(ctx, in, nil)
}

// createPost is CreatePost; a question may ask people directly (ask, checked by
// AskQuestion), who are told in the post's transaction.
func (s *Service) createPost(ctx context.Context, in biebplein.PostInput, ask []string) (*biebplein.Post, error) {
	a, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	g, err := s.group(ctx, v, in.GroupID)
	if err != nil {
		return nil, err
	}
	if !v.CanPost(g, g.Membership) {
		return nil, errForbidden("error.post_members_only")
	}
	if in.Kind == "" {
		in.Kind = biebplein.KindPost
	}
	if in.Kind == biebplein.KindAnnouncement && !v.CanManageGroup(g, g.Membership) {
		return nil, errForbidden("error.announcement_admins_only")
	}
	// Everyone may ask in the "Vraag en antwoord" space without joining: questions only.
	if g.Questions && in.Kind != biebplein.KindQuestion && !v.CanManageGroup(g, g.Membership) {
		return nil, errForbidden("error.question_space_questions_only")
	}
	now := s.now()
	var val biebplein.Validation
	mergeFields(&val, in.Validate(now), nil)
	res, rerr := s.renderBody(ctx, v, in.Body, "body", biebplein.MaxBodyLen)
	if biebplein.ErrorCode(rerr) == biebplein.CodeInvalid {
		mergeFields(&val, rerr, nil)
	} else if rerr != nil {
		return nil, rerr
	}
	if err := val.Err(); err != nil {
		return nil, err
	}
	p := &biebplein.Post{
		ID: biebplein.NewID(now), Group: biebplein.GroupRef{ID: g.ID, Name: g.Name, Visibility: g.Visibility},
		Author: biebplein.PersonRef{ID: a.ID, Name: a.Name}, Kind: in.Kind,
		Body: in.Body, HTML: res.HTML, Text: res.Text, Mentions: mentions(res.Mentions), Topics: res.Topics,
		Attachments: in.Attachments, CreatedAt: now, Reactions: map[biebplein.ReactionKind]int{},
	}
	if in.Kind == biebplein.KindPoll {
		p.Poll = &biebplein.Poll{Multiple: in.PollMultiple, ClosesAt: in.PollClosesAt}
		for _, label := range in.PollOptions {
			if label = biebplein.NormalizeName(label); label != "" {
				p.Poll.Options = append(p.Poll.Options, &biebplein.PollOption{ID: biebplein.NewID(now), Label: label, Position: len(p.Poll.Options)})
			}
		}
	}
	if in.Kind == biebplein.KindAnnouncement {
		until := now.Add(biebplein.DefaultPinnedDays * 24 * time.Hour)
		if in.PinnedUntil != nil {
			until = in.PinnedUntil.UTC()
		}
		p.PinnedUntil = &until
	}
	for i, att := range p.Attachments {
		att.PostID, att.Position = p.ID, i
	}
	notices := s.postNotices(p)
	if len(ask) > 0 {
		for _, id := range ask {
			p.Asked = append(p.Asked, biebplein.PersonRef{ID: id})
		}
		notices = append(notices, s.notice(biebplein.NoticeAsked, a.ID, p.ID, g.ID, biebplein.Audience{People: ask}))
	}
	if err := s.store.CreatePost(ctx, p, notices...); err != nil {
		return nil, err
	}
	s.publish(ctx, live.Event{Type: live.TypePost, PostID: p.ID, GroupID: p.Group.ID, AuthorID: p.Author.ID, Topics: p.Topics})
	s.told(ctx, notices)
	return p, nil
}

// Feed returns a page of a feed, with only posts the actor may read.
func (s *Service) Feed(ctx context.Context, f biebplein.PostFilter) ([]*biebplein.Post, string, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, "", err
	}
	if f.Feed == "" {
		f.Feed = biebplein.FeedHome
	}
	f.Scope = biebplein.GroupScope{Viewer: v, Access: biebplein.AccessRead}
	f.Now = s.now()
	f.ID, f.Deleted = "", false
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = 20
	}
	if f.Comments == 0 {
		f.Comments = 2
	}
	switch f.Feed {
	case biebplein.FeedTopic, biebplein.FeedQuestions:
		f.Topic = biebplein.NormalizeTag(f.Topic)
	case biebplein.FeedGroup:
		// A group one may see but not read (closed, not a member) says so; an invisible one
		// does not exist.
		g, err := s.group(ctx, v, f.GroupID)
		if err != nil {
			return nil, "", err
		}
		if !v.CanReadGroup(g, g.Membership) {
			return nil, "", errForbidden("error.group_members_only")
		}
	case biebplein.FeedPerson:
		if _, err := s.Person(ctx, f.AuthorID); err != nil {
			return nil, "", err
		}
	}
	return s.store.FindPosts(ctx, f)
}

// Post returns one post the actor may read, with all its comments; deleted posts only to
// those who may restore them.
func (s *Service) Post(ctx context.Context, id string) (*biebplein.Post, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	return s.post(ctx, v, id, -1)
}

func (s *Service) post(ctx context.Context, v biebplein.Viewer, id string, comments int) (*biebplein.Post, error) {
	if id == "" {
		return nil, errNotFound()
	}
	posts, _, err := s.store.FindPosts(ctx, biebplein.PostFilter{
		Scope: biebplein.GroupScope{Viewer: v, Access: biebplein.AccessRead},
		ID:    id, Deleted: true, Comments: comments, Limit: 1, Now: s.now(),
	})
	if err != nil {
		return nil, err
	}
	if len(posts) == 0 {
		return nil, errNotFound()
	}
	return posts[0], nil
}

// livePost returns a readable, not deleted post and its group with the viewer's membership.
func (s *Service) livePost(ctx context.Context, id string) (*biebplein.Post, *biebplein.Group, biebplein.Viewer, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, nil, v, err
	}
	p, err := s.post(ctx, v, id, 0)
	if err != nil {
		return nil, nil, v, err
	}
	if p.DeletedAt != nil {
		return nil, nil, v, errNotFound()
	}
	g, err := s.group(ctx, v, p.Group.ID)
	if err != nil {
		return nil, nil, v, err
	}
	return p, g, v, nil
}

// UpdatePost changes the body of the actor's own post; the old body is kept as a revision.
func (s *Service) UpdatePost(ctx context.Context, id, body string) (*biebplein.Post, error) {
	p, _, v, err := s.livePost(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Author.ID != v.PersonID {
		return nil, errForbidden("error.post_author_only")
	}
	res, err := s.renderBody(ctx, v, body, "body", biebplein.MaxBodyLen)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p.Body, p.HTML, p.Text, p.Mentions, p.Topics, p.EditedAt = body, res.HTML, res.Text, mentions(res.Mentions), res.Topics, &now
	if err := s.store.UpdatePost(ctx, p, v.PersonID); err != nil {
		return nil, err
	}
	return p, nil
}

// DeletePost soft-deletes a post (its author, group admins, site admins).
func (s *Service) DeletePost(ctx context.Context, id string) error {
	p, g, v, err := s.livePost(ctx, id)
	if err != nil {
		return err
	}
	if p.Author.ID != v.PersonID && !v.CanManageGroup(g, g.Membership) {
		return errForbidden("error.post_author_only")
	}
	now := s.now()
	return s.store.SetPostDeleted(ctx, p.ID, &now, v.PersonID)
}

// RestorePost brings back a deleted post (group and site admins).
func (s *Service) RestorePost(ctx context.Context, id string) error {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return err
	}
	p, err := s.post(ctx, v, id, 0)
	if err != nil {
		return err
	}
	g, err := s.group(ctx, v, p.Group.ID)
	if err != nil {
		return err
	}
	if !v.CanManageGroup(g, g.Membership) {
		return errNotFound()
	}
	return s.store.SetPostDeleted(ctx, p.ID, nil, "")
}

// Revisions lists the earlier bodies of a post the actor may read.
func (s *Service) Revisions(ctx context.Context, id string) ([]*biebplein.Revision, error) {
	p, _, _, err := s.livePost(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.store.FindRevisions(ctx, p.ID)
}

// CreateComment answers a post (anyone who may read it). A reply to a reply is attached to the
// top-level comment: replies go one level deep.
func (s *Service) CreateComment(ctx context.Context, postID, parentID, body string) (*biebplein.Comment, error) {
	p, _, v, err := s.livePost(ctx, postID)
	if err != nil {
		return nil, err
	}
	parentAuthor := ""
	if parentID != "" {
		parent, err := s.store.FindComment(ctx, parentID)
		if err != nil || parent.PostID != p.ID || parent.DeletedAt != nil {
			return nil, fieldError(biebplein.CodeInvalid, "parent_id", "error.comment_not_on_post")
		}
		parentAuthor = parent.Author.ID
		if parent.ParentID != "" {
			parentID = parent.ParentID
		}
	}
	res, err := s.renderBody(ctx, v, body, "body", biebplein.MaxCommentLen)
	if err != nil {
		return nil, err
	}
	a := biebplein.ActorFrom(ctx)
	now := s.now()
	c := &biebplein.Comment{ID: biebplein.NewID(now), PostID: p.ID, ParentID: parentID,
		Author: biebplein.PersonRef{ID: a.ID, Name: a.Name}, Body: body, HTML: res.HTML, Text: res.Text,
		Mentions: mentions(res.Mentions), CreatedAt: now}
	notices := s.commentNotices(p, c, parentAuthor)
	if err := s.store.CreateComment(ctx, c, notices...); err != nil {
		return nil, err
	}
	s.told(ctx, notices)
	return c, nil
}

// React adds or removes the actor's reaction to a post they may read.
func (s *Service) React(ctx context.Context, postID string, kind biebplein.ReactionKind, on bool) error {
	if !kind.Valid() {
		return fieldError(biebplein.CodeInvalid, "kind", "error.reaction_invalid")
	}
	p, _, v, err := s.livePost(ctx, postID)
	if err != nil {
		return err
	}
	var notices []biebplein.Notice
	if on {
		notices = append(notices, s.notice(biebplein.NoticeReaction, v.PersonID, p.ID, p.Group.ID,
			biebplein.Audience{People: []string{p.Author.ID}}))
	}
	if err := s.store.React(ctx, p.ID, v.PersonID, kind, on, notices...); err != nil {
		return err
	}
	s.told(ctx, notices)
	return nil
}

// Reactors lists who reacted to a post with kind.
func (s *Service) Reactors(ctx context.Context, postID string, kind biebplein.ReactionKind) ([]biebplein.PersonRef, error) {
	if !kind.Valid() {
		return nil, fieldError(biebplein.CodeInvalid, "kind", "error.reaction_invalid")
	}
	p, _, _, err := s.livePost(ctx, postID)
	if err != nil {
		return nil, err
	}
	return s.store.FindReactors(ctx, p.ID, kind)
}

// Vote replaces the actor's votes on a poll; changeable until the poll closes.
func (s *Service) Vote(ctx context.Context, postID string, optionIDs []string) (*biebplein.Post, error) {
	p, _, v, err := s.livePost(ctx, postID)
	if err != nil {
		return nil, err
	}
	if p.Poll == nil {
		return nil, fieldError(biebplein.CodeInvalid, "option_ids", "error.not_a_poll")
	}
	if len(optionIDs) == 0 || (!p.Poll.Multiple && len(optionIDs) > 1) {
		return nil, fieldError(biebplein.CodeInvalid, "option_ids", "error.vote_count")
	}
	if err := s.store.Vote(ctx, p.ID, v.PersonID, optionIDs, s.now()); err != nil {
		return nil, err
	}
	return s.post(ctx, v, p.ID, 0)
}

// Accept marks the accepted answer of a question (its author or a group admin).
func (s *Service) Accept(ctx context.Context, postID, commentID string) (*biebplein.Post, error) {
	p, g, v, err := s.livePost(ctx, postID)
	if err != nil {
		return nil, err
	}
	if p.Kind != biebplein.KindQuestion {
		return nil, fieldError(biebplein.CodeInvalid, "comment_id", "error.not_a_question")
	}
	if p.Author.ID != v.PersonID && !v.CanManageGroup(g, g.Membership) {
		return nil, errForbidden("error.accept_not_allowed")
	}
	var notices []biebplein.Notice
	if commentID != "" {
		c, err := s.store.FindComment(ctx, commentID)
		if err != nil || c.PostID != p.ID || c.DeletedAt != nil {
			return nil, fieldError(biebplein.CodeInvalid, "comment_id", "error.comment_not_on_post")
		}
		n := s.notice(biebplein.NoticeAccepted, v.PersonID, p.ID, p.Group.ID, biebplein.Audience{People: []string{c.Author.ID}})
		n.CommentID = c.ID
		notices = append(notices, n)
	}
	if err := s.store.SetAccepted(ctx, p.ID, commentID, notices...); err != nil {
		return nil, err
	}
	s.told(ctx, notices)
	return s.post(ctx, v, p.ID, -1)
}

// MarkRead confirms the actor has read an announcement.
func (s *Service) MarkRead(ctx context.Context, postID string) error {
	p, _, v, err := s.livePost(ctx, postID)
	if err != nil {
		return err
	}
	if p.Kind != biebplein.KindAnnouncement {
		return biebplein.Errorf(biebplein.CodeInvalid, "error.not_an_announcement")
	}
	return s.store.MarkRead(ctx, p.ID, v.PersonID, s.now())
}

// SetPinned pins an announcement until a time, or unpins it with nil (group admins).
func (s *Service) SetPinned(ctx context.Context, postID string, until *time.Time) error {
	p, g, v, err := s.livePost(ctx, postID)
	if err != nil {
		return err
	}
	if !v.CanManageGroup(g, g.Membership) {
		return errForbidden("error.group_admins_only")
	}
	if p.Kind != biebplein.KindAnnouncement {
		return biebplein.Errorf(biebplein.CodeInvalid, "error.not_an_announcement")
	}
	return s.store.SetPinned(ctx, p.ID, until)
}

// Bookmark saves or unsaves a post for the actor.
func (s *Service) Bookmark(ctx context.Context, postID string, on bool) error {
	p, _, v, err := s.livePost(ctx, postID)
	if err != nil {
		return err
	}
	return s.store.SetBookmark(ctx, p.ID, v.PersonID, on)
}

// Follow follows or unfollows a person the actor can see, or a topic.
func (s *Service) Follow(ctx context.Context, kind, target string, on bool) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	switch kind {
	case "person":
		if _, err := s.Person(ctx, target); err != nil {
			return err
		}
	case "topic":
		if target = biebplein.NormalizeTag(target); target == "" || !biebplein.ValidText(target) {
			return fieldError(biebplein.CodeInvalid, "topic", "error.topic_invalid")
		}
	default:
		return fieldError(biebplein.CodeInvalid, "kind", "error.follow_kind_invalid")
	}
	return s.store.SetFollow(ctx, biebplein.Follow{PersonID: a.ID, TargetKind: kind, Target: target}, on)
}

// Follows lists what the actor follows.
func (s *Service) Follows(ctx context.Context) ([]biebplein.Follow, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.FindFollows(ctx, a.ID)
}

// SeenFeed records that the actor opened a feed and returns when they did so before (zero
// when never): posts newer than that are "new since your last visit".
func (s *Service) SeenFeed(ctx context.Context, feed string) (time.Time, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return s.store.SeenFeed(ctx, a.ID, feed, s.now())
}
