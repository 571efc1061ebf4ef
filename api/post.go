package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/biebplein/biebplein"
)

// postJSON is a post as the API shows it. Beyond the contract: group, mention_refs,
// my_reactions, pinned_until, read_count, read_by_me, bookmarked, attachments, comments
// (all on the post itself, the first few in lists) and deleted_at (only ever set for those
// who may restore the post).
type postJSON struct {
	ID                string           `json:"id"`
	GroupID           string           `json:"group_id"`
	Group             groupRefJSON     `json:"group"`
	Author            personRefJSON    `json:"author"`
	Kind              string           `json:"kind"`
	Body              string           `json:"body"`
	HTML              string           `json:"html"`
	CreatedAt         time.Time        `json:"created_at"`
	EditedAt          *time.Time       `json:"edited_at"`
	Mentions          []string         `json:"mentions"`
	MentionRefs       []mentionJSON    `json:"mention_refs"`
	Topics            []string         `json:"topics"`
	Reactions         map[string]int   `json:"reactions"`
	MyReactions       []string         `json:"my_reactions"`
	CommentCount      int              `json:"comment_count"`
	Poll              *pollJSON        `json:"poll"`
	AcceptedCommentID *string          `json:"accepted_comment_id"`
	PinnedUntil       *time.Time       `json:"pinned_until"`
	ReadCount         int              `json:"read_count"`
	ReadByMe          bool             `json:"read_by_me"`
	Bookmarked        bool             `json:"bookmarked"`
	Attachments       []attachmentJSON `json:"attachments"`
	Comments          []commentJSON    `json:"comments"`
	DeletedAt         *time.Time       `json:"deleted_at,omitempty"`
}

type groupRefJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// mentionJSON is a person or group named with @: kind is person or group.
type mentionJSON struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

// pollJSON is the voting part of a poll. The votes of each option are null until the caller
// has voted or the poll has closed, so that early results do not steer the vote.
type pollJSON struct {
	Options  []pollOptionJSON `json:"options"`
	Multiple bool             `json:"multiple"`
	ClosesAt *time.Time       `json:"closes_at"`
	Voters   int              `json:"voters"`
	MyVotes  []string         `json:"my_votes"`
	Closed   bool             `json:"closed"`
}

type pollOptionJSON struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Votes *int   `json:"votes"`
}

// attachmentJSON is a file on a post. ThumbURL is null when the file has no thumbnail.
type attachmentJSON struct {
	ID          string  `json:"id"`
	Kind        string  `json:"kind"`
	ContentType string  `json:"content_type"`
	Name        string  `json:"name"`
	Size        int64   `json:"size"`
	Width       int     `json:"width"`
	Height      int     `json:"height"`
	URL         string  `json:"url"`
	ThumbURL    *string `json:"thumb_url"`
}

// commentJSON is a comment; parent_id is null for a top-level comment. A deleted comment
// keeps its place with an empty body and its deleted_at.
type commentJSON struct {
	ID        string        `json:"id"`
	PostID    string        `json:"post_id"`
	ParentID  *string       `json:"parent_id"`
	Author    personRefJSON `json:"author"`
	Body      string        `json:"body"`
	HTML      string        `json:"html"`
	CreatedAt time.Time     `json:"created_at"`
	EditedAt  *time.Time    `json:"edited_at"`
	DeletedAt *time.Time    `json:"deleted_at,omitempty"`
}

// newPost renders p; now decides whether its poll has closed.
func newPost(p *biebplein.Post, now time.Time) postJSON {
	out := postJSON{
		ID: p.ID, GroupID: p.Group.ID, Group: groupRefJSON{ID: p.Group.ID, Name: p.Group.Name},
		Author: personRefJSON{ID: p.Author.ID, Name: p.Author.Name},
		Kind:   string(p.Kind), Body: p.Body, HTML: p.HTML,
		CreatedAt: p.CreatedAt.UTC(), EditedAt: utcPtr(p.EditedAt),
		Mentions: []string{}, MentionRefs: make([]mentionJSON, 0, len(p.Mentions)), Topics: nonNil(p.Topics),
		Reactions: make(map[string]int, 4), MyReactions: make([]string, 0, len(p.MyReactions)),
		CommentCount: p.CommentCount, PinnedUntil: utcPtr(p.PinnedUntil),
		ReadCount: p.ReadCount, ReadByMe: p.ReadByMe, Bookmarked: p.Bookmarked,
		Attachments: make([]attachmentJSON, 0, len(p.Attachments)),
		Comments:    make([]commentJSON, 0, len(p.Comments)),
		DeletedAt:   utcPtr(p.DeletedAt),
	}
	for _, m := range p.Mentions {
		if m.Kind == "person" {
			out.Mentions = append(out.Mentions, m.ID)
		}
		out.MentionRefs = append(out.MentionRefs, mentionJSON{Kind: m.Kind, ID: m.ID, Name: m.Name})
	}
	for _, k := range biebplein.ReactionKinds() {
		out.Reactions[string(k)] = p.Reactions[k]
	}
	for _, k := range p.MyReactions {
		out.MyReactions = append(out.MyReactions, string(k))
	}
	if p.Poll != nil {
		poll := newPoll(p.Poll, now)
		out.Poll = &poll
	}
	if p.AcceptedCommentID != "" {
		out.AcceptedCommentID = &p.AcceptedCommentID
	}
	for _, a := range p.Attachments {
		out.Attachments = append(out.Attachments, newAttachment(a))
	}
	for _, c := range p.Comments {
		out.Comments = append(out.Comments, newComment(c))
	}
	return out
}

func newPoll(p *biebplein.Poll, now time.Time) pollJSON {
	out := pollJSON{Options: make([]pollOptionJSON, 0, len(p.Options)), Multiple: p.Multiple,
		ClosesAt: utcPtr(p.ClosesAt), Voters: p.Voters, MyVotes: nonNil(p.MyVotes), Closed: p.Closed(now)}
	results := out.Closed || len(p.MyVotes) > 0
	for _, o := range p.Options {
		opt := pollOptionJSON{ID: o.ID, Label: o.Label}
		if results {
			votes := o.Votes
			opt.Votes = &votes
		}
		out.Options = append(out.Options, opt)
	}
	return out
}

// Where the site serves the files of posts.
const (
	fileURLPrefix = "/files/"
	thumbSuffix   = "/thumb"
)

func newAttachment(a *biebplein.Attachment) attachmentJSON {
	out := attachmentJSON{ID: a.ID, Kind: a.Kind, ContentType: a.ContentType, Name: a.Name, Size: a.Size,
		Width: a.Width, Height: a.Height, URL: fileURLPrefix + a.ID}
	if a.HasThumb {
		thumb := out.URL + thumbSuffix
		out.ThumbURL = &thumb
	}
	return out
}

func newComment(c *biebplein.Comment) commentJSON {
	out := commentJSON{ID: c.ID, PostID: c.PostID, Author: personRefJSON{ID: c.Author.ID, Name: c.Author.Name},
		Body: c.Body, HTML: c.HTML, CreatedAt: c.CreatedAt.UTC(), EditedAt: utcPtr(c.EditedAt), DeletedAt: utcPtr(c.DeletedAt)}
	if c.ParentID != "" {
		out.ParentID = &c.ParentID
	}
	if c.DeletedAt != nil {
		out.Body, out.HTML = "", ""
	}
	return out
}

// utcPtr returns a copy of t in UTC, or nil.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// writePosts answers a page of posts as a list.
func (s *Server) writePosts(w http.ResponseWriter, r *http.Request, posts []*biebplein.Post, next string) {
	now := time.Now()
	out := listBody[postJSON]{Items: make([]postJSON, 0, len(posts)), NextCursor: next}
	for _, p := range posts {
		out.Items = append(out.Items, newPost(p, now))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// writePost answers one post with the status.
func (s *Server) writePost(w http.ResponseWriter, r *http.Request, status int, p *biebplein.Post) {
	s.writeJSON(w, r, status, newPost(p, time.Now()))
}

// feed asks the service for a page of posts of one feed, with ?cursor= and ?limit=.
func (s *Server) feed(w http.ResponseWriter, r *http.Request, f biebplein.PostFilter) {
	q := newQuery(r)
	p := q.page()
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	f.After, f.Limit = p.cursor, p.limit
	posts, next, err := s.svc.Feed(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writePosts(w, r, posts, next)
}

// onField names field as the subject of an invalid error that names none (the store's
// errors about poll options and comments), so that callers find it in fields.
func onField(err error, field string) error {
	e, ok := errors.AsType[*biebplein.Error](err)
	if !ok || e.Code != biebplein.CodeInvalid || len(e.Fields) > 0 {
		return err
	}
	return fieldError(field, e.Message)
}
