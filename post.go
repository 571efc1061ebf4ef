package biebplein

import (
	"context"
	"time"
)

// PostKind says what a post is for.
type PostKind string

// The kinds of post.
const (
	KindPost         PostKind = "post"
	KindQuestion     PostKind = "question"     // anyone may answer; one answer can be accepted
	KindPoll         PostKind = "poll"         // two to ten options
	KindAnnouncement PostKind = "announcement" // by group or site admins; pinned, with read confirmation
)

// Valid reports whether k is a known kind.
func (k PostKind) Valid() bool {
	switch k {
	case KindPost, KindQuestion, KindPoll, KindAnnouncement:
		return true
	}
	return false
}

// ReactionKind is one of the fixed reactions.
type ReactionKind string

// The reactions.
const (
	ReactLike       ReactionKind = "like"
	ReactThanks     ReactionKind = "thanks"
	ReactInsightful ReactionKind = "insightful"
	ReactCelebrate  ReactionKind = "celebrate"
)

// ReactionKinds lists the reactions in display order.
func ReactionKinds() []ReactionKind {
	return []ReactionKind{ReactLike, ReactThanks, ReactInsightful, ReactCelebrate}
}

// Valid reports whether k is a known reaction.
func (k ReactionKind) Valid() bool {
	switch k {
	case ReactLike, ReactThanks, ReactInsightful, ReactCelebrate:
		return true
	}
	return false
}

// PersonRef is the short form of a person embedded in other records.
type PersonRef struct {
	ID   string
	Name string
}

// GroupRef is the short form of a group embedded in posts.
type GroupRef struct {
	ID         string
	Name       string
	Visibility Visibility
}

// Mention is a person or group named in a post or comment with @.
type Mention struct {
	Kind string // "person" or "group"
	ID   string
	Name string
}

// Post is a message in a group.
type Post struct {
	ID     string
	Group  GroupRef
	Author PersonRef
	Kind   PostKind
	Body   string // Markdown source as written
	HTML   string // sanitised rendering of Body
	Text   string // plain text of Body, for search, e-mail and snippets
	// Mentions and Topics are what Body mentions, resolved when it was last saved.
	Mentions []Mention
	Topics   []string
	// Reactions counts each kind; MyReactions are the viewer's own.
	Reactions    map[ReactionKind]int
	MyReactions  []ReactionKind
	CommentCount int
	// Comments holds the first comments for feeds (see PostFilter.Comments), or all comments
	// for the post page.
	Comments          []*Comment
	Attachments       []*Attachment
	Poll              *Poll
	AcceptedCommentID string
	// Asked are the people a question asks directly (QuestionInput.Ask); CreatePost writes
	// them, QuestionStore.FindQuestionState reads them.
	Asked []PersonRef
	// PinnedUntil keeps an announcement on top of its feeds until then; nil: not pinned.
	PinnedUntil *time.Time
	// ReadCount is how many people confirmed reading an announcement; ReadByMe whether the
	// viewer did.
	ReadCount  int
	ReadByMe   bool
	Bookmarked bool
	CreatedAt  time.Time
	EditedAt   *time.Time
	DeletedAt  *time.Time
	DeletedBy  string
}

// Pinned reports whether the post is pinned at time now.
func (p *Post) Pinned(now time.Time) bool {
	return p.PinnedUntil != nil && p.PinnedUntil.After(now)
}

// Comment is an answer to a post, or a reply to a comment (one level deep).
type Comment struct {
	ID        string
	PostID    string
	ParentID  string // "" for a top-level comment
	Author    PersonRef
	Body      string
	HTML      string
	Text      string
	Mentions  []Mention
	CreatedAt time.Time
	EditedAt  *time.Time
	DeletedAt *time.Time
}

// Attachment is a file on a post: an image, a document or a video.
type Attachment struct {
	ID          string // the media file id
	PostID      string
	Kind        string // "image", "document", "video"
	ContentType string
	Name        string
	Size        int64
	Width       int
	Height      int
	HasThumb    bool
	Position    int
}

// Poll is the voting part of a poll post.
type Poll struct {
	Options  []*PollOption
	Multiple bool
	ClosesAt *time.Time
	Voters   int      // how many people voted
	MyVotes  []string // option ids the viewer chose
}

// Closed reports whether voting has ended at time now.
func (p *Poll) Closed(now time.Time) bool { return p.ClosesAt != nil && !p.ClosesAt.After(now) }

// PollOption is one choice of a poll.
type PollOption struct {
	ID       string
	Label    string
	Position int
	Votes    int
}

// Limits on posts, in characters.
const (
	MaxBodyLen        = 20000
	MaxCommentLen     = 5000
	MinPollOptions    = 2
	MaxPollOptions    = 10
	MaxPollOptionLen  = 200
	DefaultPinnedDays = 14
)

// PostInput is what an author writes.
type PostInput struct {
	GroupID string
	Kind    PostKind
	Body    string
	// Poll, for KindPoll.
	PollOptions  []string
	PollMultiple bool
	PollClosesAt *time.Time
	// PinnedUntil, for KindAnnouncement; nil pins for DefaultPinnedDays.
	PinnedUntil *time.Time
	// Attachments are files saved (checked and cleaned) before the post is.
	Attachments []*Attachment
}

// Validate checks the parts the renderer does not (it checks Body).
func (in *PostInput) Validate(now time.Time) error {
	var v Validation
	v.Check(in.Kind.Valid(), "kind", "error.post_kind_invalid")
	if in.Kind == KindPoll {
		n := 0
		for _, o := range in.PollOptions {
			switch {
			case !ValidText(o):
				v.Add("poll_options", "error.text_invalid")
			case len([]rune(o)) > MaxPollOptionLen:
				v.Add("poll_options", "error.poll_option_too_long")
			case collapseSpace(o) != "":
				n++
			}
		}
		v.Check(n >= MinPollOptions && n <= MaxPollOptions, "poll_options", "error.poll_options_count")
		if in.PollClosesAt != nil {
			v.Check(in.PollClosesAt.After(now), "poll_closes_at", "error.poll_closes_past")
		}
	}
	if in.Kind == KindAnnouncement && in.PinnedUntil != nil {
		v.Check(in.PinnedUntil.After(now), "pinned_until", "error.pinned_until_past")
	}
	return v.Err()
}

// FeedKind says which feed a PostFilter asks for.
type FeedKind string

// The feeds.
const (
	// FeedHome: posts from the viewer's groups, from people and topics they follow, and
	// announcements in groups they can read that address everyone (public, network and
	// organisation groups); pinned announcements first.
	FeedHome FeedKind = "home"
	// FeedGroup: posts of one group (GroupID); pinned announcements first.
	FeedGroup FeedKind = "group"
	// FeedTopic: posts with one topic (Topic).
	FeedTopic FeedKind = "topic"
	// FeedPerson: posts by one person (AuthorID).
	FeedPerson FeedKind = "person"
	// FeedSaved: posts the viewer bookmarked, most recently saved first.
	FeedSaved FeedKind = "saved"
	// FeedQuestions: open questions (no accepted answer) in every group the viewer may read,
	// with one topic when Topic is set; newest first (issue 5).
	FeedQuestions FeedKind = "questions"
)

// PostFilter asks for a page of posts. Scope is required: the store adds the read predicate
// of GroupGrant for it, so no post of a group the viewer may not read is ever returned.
type PostFilter struct {
	Scope    GroupScope
	Feed     FeedKind
	ID       string // one post (the post page)
	GroupID  string
	AuthorID string
	Topic    string
	// Deleted includes soft-deleted posts (for group and site admins who may restore).
	Deleted bool
	// Comments is how many first comments to load per post (feeds: 2-3; the post page: all
	// with -1).
	Comments int
	After    string // cursor
	// Limit is the number of regular rows, default 20, at most 100; pinned announcements come
	// on top of the first page besides.
	Limit int
	Now   time.Time // for pinning
}

// PostStore persists posts, comments, reactions, polls, reads and bookmarks. Every read that
// returns posts takes a filter with a Scope; a page of posts with its associations costs a
// fixed number of queries whatever its size.
type PostStore interface {
	// CreatePost stores p with its poll options, attachments, mentions and topics, and the
	// notices it causes (Notice), in one transaction.
	CreatePost(ctx context.Context, p *Post, notices ...Notice) error
	// UpdatePost stores a new body (with HTML, Text, mentions, topics) and keeps the old one
	// as a revision. Returns not_found.
	UpdatePost(ctx context.Context, p *Post, editorID string) error
	// SetPostDeleted soft-deletes (at non-nil) or restores (nil) a post.
	SetPostDeleted(ctx context.Context, postID string, at *time.Time, by string) error
	// FindPosts returns a page of posts within the filter's scope with their associations,
	// and the next cursor.
	FindPosts(ctx context.Context, f PostFilter) ([]*Post, string, error)
	// FindAttachment returns the attachment with a media file id and the id of its post, in
	// one query. Returns not_found.
	FindAttachment(ctx context.Context, fileID string) (*Attachment, error)
	// FindRevisions returns the earlier bodies of a post, newest first.
	FindRevisions(ctx context.Context, postID string) ([]*Revision, error)
	// CreateComment stores c and counts it on its post, with the notices it causes.
	CreateComment(ctx context.Context, c *Comment, notices ...Notice) error
	// FindComment returns one comment, or not_found.
	FindComment(ctx context.Context, id string) (*Comment, error)
	// SetAccepted marks the accepted answer of a question ("" to clear), with the notices it
	// causes.
	SetAccepted(ctx context.Context, postID, commentID string, notices ...Notice) error
	// React adds (on) or removes a reaction of a person; idempotent. The notices are written
	// only when a reaction was added.
	React(ctx context.Context, postID, personID string, kind ReactionKind, on bool, notices ...Notice) error
	// FindReactors lists who reacted with kind, in order of reacting.
	FindReactors(ctx context.Context, postID string, kind ReactionKind) ([]PersonRef, error)
	// Vote replaces a person's votes on a poll (no options: withdraws them), keeping the
	// counts exact. now decides whether the poll has closed. Returns not_found, conflict
	// (error.poll_closed), invalid (error.poll_option_invalid for an option of another poll,
	// error.poll_single_choice for several options on a single-choice poll).
	Vote(ctx context.Context, postID, personID string, optionIDs []string, now time.Time) error
	// MarkRead records that a person confirmed reading an announcement; idempotent.
	MarkRead(ctx context.Context, postID, personID string, at time.Time) error
	// SetPinned changes until when an announcement stays pinned (nil: unpinned).
	SetPinned(ctx context.Context, postID string, until *time.Time) error
	// SetBookmark saves (on) or unsaves a post for a person; idempotent.
	SetBookmark(ctx context.Context, postID, personID string, on bool) error
	// ResolveMentions finds, with one query, the active people and the groups that mention
	// texts name: by name (any case, NFC), by handle (the lower-cased name with dots for
	// spaces, "anna.de.vries") or by group name. The keys of the result are the candidates as
	// given; candidates that name nobody are left out.
	ResolveMentions(ctx context.Context, candidates []string) (map[string]Mention, error)
}

// Revision is an earlier version of a post's body.
type Revision struct {
	PostID   string
	Body     string
	EditedAt time.Time
	EditedBy PersonRef
}

// Follow says a person follows another person or a topic.
type Follow struct {
	PersonID   string
	TargetKind string // "person" or "topic"
	Target     string // person id or normalised topic
}

// FollowStore persists follows and the "last visit" marker of feeds.
type FollowStore interface {
	// SetFollow follows (on) or unfollows; idempotent.
	SetFollow(ctx context.Context, f Follow, on bool) error
	// FindFollows lists what a person follows.
	FindFollows(ctx context.Context, personID string) ([]Follow, error)
	// SeenFeed records when a person last opened a feed and returns the previous time (zero
	// when never), for the "new since your last visit" marker.
	SeenFeed(ctx context.Context, personID, feed string, at time.Time) (time.Time, error)
}
