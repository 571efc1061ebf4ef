package api

import "net/http"

// tagJSON is a tag in use and how often it is used.
type tagJSON struct {
	Tag  string `json:"tag"`
	Uses int    `json:"uses"`
}

// tagList suggests tags in use: GET /api/v1/tags?prefix=&limit=, most used first. One page
// only: next_cursor is always empty, and a cursor is refused.
func (s *Server) tagList(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := q.page()
	if p.cursor != "" {
		q.fail("cursor", "error.cursor_invalid")
	}
	prefix := q.text("prefix")
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	uses, err := s.svc.TagUses(r.Context(), prefix, p.limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := listBody[tagJSON]{Items: make([]tagJSON, 0, len(uses))}
	for _, u := range uses {
		out.Items = append(out.Items, tagJSON{Tag: u.Tag, Uses: u.Uses})
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
