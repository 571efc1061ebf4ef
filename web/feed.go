package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/biebplein/biebplein"
)

// The feed partial: posts as the home, group, topic, person and saved pages show them.

// postView is a post ready to draw, with what the reader's buttons need.
type postView struct {
	*base
	*biebplein.Post
	// HTML is the post's body as the renderer made it: parsed from Markdown and sanitised by
	// bluemonday before it was stored. It is the only text on these pages marked safe.
	HTML      template.HTML
	Comments  []*commentView
	Reactions []reactionView
	Poll      *pollView
	Pinned    bool
	New       bool // newer than the reader's previous visit
	Manage    bool // the reader administers the group: pin, restore (the service decides)
	Mine      bool
	Full      bool // shown on its own page rather than in a feed
	Back      string
	Previews  []preview
}

// commentView is a comment with its replies (one level).
type commentView struct {
	*base
	*biebplein.Comment
	HTML     template.HTML // sanitised by the renderer, like the post's body
	Replies  []*commentView
	Accepted bool
	Reply    bool // the reply form shows under this comment
}

type reactionView struct {
	Kind  biebplein.ReactionKind
	Count int
	Mine  bool
}

type pollView struct {
	Options  []pollOptionView
	Multiple bool
	Closed   bool
	Voted    bool
	Results  bool // shown after voting or closing
	Voters   int
	ClosesAt *time.Time
}

type pollOptionView struct {
	ID      string
	Label   string
	Votes   int
	Percent int
	Mine    bool
}

// feedView is a page of posts.
type feedView struct {
	*base
	Pinned  []*postView
	Posts   []*postView
	NextURL string
	Since   time.Time // the reader's previous visit, zero when unknown
}

// viewerOf is the domain's viewer for actor, for deciding which buttons a page shows. It has
// no organisation chain: enough for CanManageGroup and CanPost, which rest on the membership
// and the admin flag. The service decides again when a button is used.
func viewerOf(actor *biebplein.Person) biebplein.Viewer {
	if actor == nil {
		return biebplein.Viewer{}
	}
	return biebplein.Viewer{PersonID: actor.ID, Kind: actor.Kind, Admin: biebplein.IsAdmin(actor)}
}

// manages reports whether actor administers g, for showing the admins' buttons.
func manages(actor *biebplein.Person, g *biebplein.Group) bool {
	return viewerOf(actor).CanManageGroup(g, g.Membership)
}

// newPostView prepares p for the reader. admins holds the ids of the groups the reader
// administers.
func newPostView(b *base, p *biebplein.Post, admins map[string]bool, backTo string) *postView {
	now := time.Now()
	v := &postView{base: b, Post: p, HTML: template.HTML(p.HTML), Pinned: p.Pinned(now),
		Manage: biebplein.IsAdmin(b.Actor) || admins[p.Group.ID], Back: backTo + "#post-" + p.ID}
	v.Mine = b.Actor != nil && p.Author.ID == b.Actor.ID
	for _, k := range biebplein.ReactionKinds() {
		v.Reactions = append(v.Reactions, reactionView{Kind: k, Count: p.Reactions[k], Mine: slices.Contains(p.MyReactions, k)})
	}
	if p.Poll != nil {
		v.Poll = newPollView(p.Poll, now)
	}
	v.Comments = commentTree(b, p)
	return v
}

func newPollView(p *biebplein.Poll, now time.Time) *pollView {
	pv := &pollView{Multiple: p.Multiple, Closed: p.Closed(now), Voted: len(p.MyVotes) > 0, Voters: p.Voters, ClosesAt: p.ClosesAt}
	pv.Results = pv.Voted || pv.Closed
	total := 0
	for _, o := range p.Options {
		total += o.Votes
	}
	for _, o := range p.Options {
		ov := pollOptionView{ID: o.ID, Label: o.Label, Votes: o.Votes, Mine: slices.Contains(p.MyVotes, o.ID)}
		if total > 0 {
			ov.Percent = o.Votes * 100 / total
		}
		pv.Options = append(pv.Options, ov)
	}
	return pv
}

// commentTree arranges comments as top-level answers with their replies, the accepted answer
// first.
func commentTree(b *base, p *biebplein.Post) []*commentView {
	var top []*commentView
	byID := map[string]*commentView{}
	for _, c := range p.Comments {
		cv := &commentView{base: b, Comment: c, HTML: template.HTML(c.HTML), Accepted: c.ID == p.AcceptedCommentID}
		if c.ParentID == "" {
			top = append(top, cv)
			byID[c.ID] = cv
		}
	}
	for _, c := range p.Comments {
		if parent := byID[c.ParentID]; c.ParentID != "" && parent != nil {
			parent.Replies = append(parent.Replies, &commentView{base: b, Comment: c, HTML: template.HTML(c.HTML)})
		}
	}
	for i, cv := range top {
		if cv.Accepted && i > 0 {
			top = append(append([]*commentView{cv}, top[:i]...), top[i+1:]...)
			break
		}
	}
	return top
}

// adminGroups returns the ids of the groups the reader administers, from their own groups.
func (s *Server) adminGroups(r *http.Request) (map[string]bool, []*biebplein.Group, error) {
	groups, _, err := s.svc.Groups(r.Context(), biebplein.GroupFilter{Member: true, Limit: 100})
	if err != nil {
		return nil, nil, err
	}
	out := map[string]bool{}
	for _, g := range groups {
		if manages(biebplein.ActorFrom(r.Context()), g) {
			out[g.ID] = true
		}
	}
	return out, groups, nil
}

// loadFeed reads a page of a feed for the reader and prepares it; the buttons of its posts
// return to the current page. since is the reader's previous visit, for the "new" marker.
func (s *Server) loadFeed(r *http.Request, b *base, f biebplein.PostFilter, admins map[string]bool, since time.Time) (*feedView, error) {
	f.After = cursor(r)
	f.Limit = s.pageSize
	posts, next, err := s.svc.Feed(r.Context(), f)
	if err != nil {
		return nil, err
	}
	fv := &feedView{base: b, Since: since}
	backTo := r.URL.Path
	if f.After != "" {
		backTo = r.URL.RequestURI()
	}
	for _, p := range posts {
		v := newPostView(b, p, admins, backTo)
		v.New = !since.IsZero() && p.CreatedAt.After(since)
		if v.Pinned && f.After == "" && (f.Feed == biebplein.FeedHome || f.Feed == biebplein.FeedGroup) {
			fv.Pinned = append(fv.Pinned, v)
			continue
		}
		fv.Posts = append(fv.Posts, v)
	}
	if next != "" {
		q := r.URL.Query()
		q.Set("after", next)
		if !since.IsZero() {
			q.Set("since", since.UTC().Format(time.RFC3339))
		}
		fv.NextURL = r.URL.Path + "?" + q.Encode()
	}
	if err := s.addPreviews(r, b, append(slices.Clone(fv.Pinned), fv.Posts...)); err != nil {
		return nil, err
	}
	return fv, nil
}

// sinceParam reads the previous visit carried by the "older posts" link.
func sinceParam(r *http.Request) time.Time {
	t, err := time.Parse(time.RFC3339, r.URL.Query().Get("since"))
	if err != nil {
		return time.Time{}
	}
	return t
}

// PostURL links to a post's page.
func (v *postView) PostURL() string { return postURL(v.ID) }

// FileURL links to an attachment.
func (v *postView) FileURL(id string) string { return "/files/" + url.PathEscape(id) }
