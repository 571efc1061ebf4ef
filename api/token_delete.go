package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// tokenDelete revokes one of the caller's API tokens: DELETE /api/v1/tokens/{id}. Someone
// else's token is not_found.
func (s *Server) tokenDelete(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == "" {
		s.writeError(w, r, biebplein.Errorf(biebplein.CodeNotFound, "error.not_found"))
		return
	}
	if err := s.svc.RevokeToken(r.Context(), id); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
