package api

import (
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/biebplein/biebplein"
)

// searchHitJSON is one search result: the contract's {type, id, title, snippet, url} and what
// a client needs to show it without another request.
type searchHitJSON struct {
	Type        string    `json:"type"`
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Snippet     string    `json:"snippet"`
	URL         string    `json:"url"`
	TitleHTML   string    `json:"title_html"`   // the title with <mark> around the matched words
	SnippetHTML string    `json:"snippet_html"` // the snippet likewise
	PostID      string    `json:"post_id,omitempty"`
	Group       *refJSON  `json:"group,omitempty"`
	Author      *refJSON  `json:"author,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	Score       float64   `json:"score,omitempty"`
}

// refJSON names another resource.
type refJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// searchBody is the answer of GET /search: a list, with the number of visible matches of each
// type (a count marked capped is "at least").
type searchBody struct {
	Items      []searchHitJSON `json:"items"`
	NextCursor string          `json:"next_cursor"`
	Counts     map[string]int  `json:"counts"`
	Capped     map[string]bool `json:"capped"`
}

// search answers GET /api/v1/search?q=&type= with ?group_id=, ?author_id=, ?from=, ?until=
// (RFC 3339), ?order=relevance|newest and the cursor. type may be repeated or comma separated.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := q.page()
	f := biebplein.SearchFilter{
		Query:    q.values.Get("q"),
		GroupID:  q.text("group_id"),
		AuthorID: q.text("author_id"),
		From:     q.time("from"),
		Until:    q.time("until"),
		Order:    biebplein.SearchOrder(q.text("order")),
		Cursor:   p.cursor,
		Limit:    p.limit,
	}
	if !biebplein.ValidText(f.Query) {
		q.fail("q", "error.text_invalid")
	}
	for _, v := range q.values["type"] {
		for t := range strings.SplitSeq(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				f.Kinds = append(f.Kinds, biebplein.SearchKind(t))
			}
		}
	}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := s.svc.Search(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := searchBody{Items: make([]searchHitJSON, 0, len(page.Hits)), NextCursor: page.Next,
		Counts: map[string]int{}, Capped: map[string]bool{}}
	for k, n := range page.Counts {
		out.Counts[string(k)] = n
	}
	for k, c := range page.Capped {
		out.Capped[string(k)] = c
	}
	for _, h := range page.Hits {
		out.Items = append(out.Items, newSearchHit(h))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

func newSearchHit(h *biebplein.SearchHit) searchHitJSON {
	j := searchHitJSON{
		Type: string(h.Kind), ID: h.ID, Title: h.Title, URL: biebplein.SearchURL(h),
		Snippet: segmentsText(h.Snippet), SnippetHTML: segmentsHTML(h.Snippet), TitleHTML: segmentsHTML(h.TitleMarks),
		CreatedAt: h.CreatedAt, Score: h.Score,
	}
	if h.Kind == biebplein.SearchPost || h.Kind == biebplein.SearchComment {
		j.PostID = h.PostID
		j.Group = &refJSON{ID: h.Group.ID, Name: h.Group.Name}
		j.Author = &refJSON{ID: h.Author.ID, Name: h.Author.Name}
	}
	return j
}

func segmentsText(segs []biebplein.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return b.String()
}

func segmentsHTML(segs []biebplein.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Mark {
			b.WriteString("<mark>" + html.EscapeString(s.Text) + "</mark>")
		} else {
			b.WriteString(html.EscapeString(s.Text))
		}
	}
	return b.String()
}
