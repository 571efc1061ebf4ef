package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// tokenList lists the caller's API tokens, newest first, without secrets: GET /api/v1/tokens.
func (s *Server) tokenList(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := q.page()
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	tokens, err := s.svc.Tokens(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	tokens, next, err := paginate(tokens, func(t *biebplein.APIToken) string { return t.ID }, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	current := tokenFrom(r.Context())
	out := listBody[tokenJSON]{Items: make([]tokenJSON, 0, len(tokens)), NextCursor: next}
	for _, t := range tokens {
		out.Items = append(out.Items, newToken(t, current))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
