package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// groupList pages through the groups the caller can see, by name: GET /api/v1/groups, with
// ?member=me for the caller's own groups and ?q= for part of a name or description.
func (s *Server) groupList(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := q.page()
	f := biebplein.GroupFilter{Query: q.text("q"), After: p.cursor, Limit: p.limit}
	switch q.text("member") {
	case "":
	case "me":
		f.Member = true
	default:
		q.fail("member", msgMemberInvalid)
	}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	groups, next, err := s.svc.Groups(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := listBody[groupJSON]{Items: make([]groupJSON, 0, len(groups)), NextCursor: next}
	for _, g := range groups {
		out.Items = append(out.Items, newGroup(g))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
