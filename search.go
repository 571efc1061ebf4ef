package biebplein

import (
	"context"
	"time"
)

// SearchKind is a kind of thing search finds. Later capabilities (articles, events) add theirs.
type SearchKind string

const (
	SearchPost    SearchKind = "post"
	SearchComment SearchKind = "comment"
	SearchPerson  SearchKind = "person"
	SearchGroup   SearchKind = "group"
)

// SearchKinds lists the kinds search knows, in the order results are grouped.
func SearchKinds() []SearchKind {
	return []SearchKind{SearchPost, SearchComment, SearchPerson, SearchGroup}
}

// Valid reports whether k is a kind search knows.
func (k SearchKind) Valid() bool {
	for _, x := range SearchKinds() {
		if k == x {
			return true
		}
	}
	return false
}

// SearchOrder is how results are ordered.
type SearchOrder string

const (
	// SearchRelevance ranks the best matches first: the best of the newest SearchCandidates
	// visible matches of each kind, so a page never waits for a million rows to be scored.
	SearchRelevance SearchOrder = "relevance"
	// SearchNewest lists every visible match, newest first, without limit.
	SearchNewest SearchOrder = "newest"
)

// SearchCandidates is how many of the newest visible matches of each kind are scored when
// results are ranked by relevance; counts stop there too ("200+").
const SearchCandidates = 200

// SearchFilter asks for a page of search results. Query is what the person typed (see the
// search package for its syntax). Viewer decides what may be found: only what they may see.
type SearchFilter struct {
	Viewer   Viewer
	Query    string
	Kinds    []SearchKind // empty: every kind
	GroupID  string       // only posts and comments of this group
	AuthorID string       // only posts and comments by this person
	From     time.Time    // only things made at or after this time (zero: no bound)
	Until    time.Time    // only things made before this time (zero: no bound)
	Order    SearchOrder  // empty: relevance
	Cursor   string
	Limit    int
}

// Segment is a piece of a snippet; Mark says it is one of the words searched for.
type Segment struct {
	Text string
	Mark bool
}

// SearchHit is one result: a post, comment, person or group the viewer may see.
type SearchHit struct {
	Kind       SearchKind
	ID         string // of the post, comment, person or group
	PostID     string // the post of a comment (and of a post: itself)
	Group      GroupRef
	Author     PersonRef
	Title      string    // a group's or person's name; empty for posts and comments
	TitleMarks []Segment // the title with the matched words marked
	Snippet    []Segment // the text around the first match, the matched words marked
	CreatedAt  time.Time
	Score      float64
}

// SearchPage is a page of results with the number of visible matches of each kind asked for;
// under relevance order a count of SearchCandidates means "at least that many" (Capped).
type SearchPage struct {
	Hits   []*SearchHit
	Next   string
	Counts map[SearchKind]int
	Capped map[SearchKind]bool
}

// SearchStore is the full-text index: kept in the transactions of the changes it reflects,
// queried with the visibility rule in the query.
type SearchStore interface {
	// Search returns a page of results, only what f.Viewer may see. Returns invalid for a
	// query that cannot be searched (field q) or a cursor it did not hand out.
	Search(ctx context.Context, f SearchFilter) (*SearchPage, error)
	// RebuildSearch makes the index anew from the content (after a bulk load, or when the
	// analysis changed).
	RebuildSearch(ctx context.Context) error
}

// SearchURL is the address of the page a hit leads to (a comment: its place on its post's page).
func SearchURL(h *SearchHit) string {
	switch h.Kind {
	case SearchPost:
		return "/posts/" + h.ID
	case SearchComment:
		return "/posts/" + h.PostID + "#comment-" + h.ID
	case SearchPerson:
		return "/people/" + h.ID
	case SearchGroup:
		return "/groups/" + h.ID
	}
	return ""
}
