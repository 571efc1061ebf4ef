package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// reactionDelete takes back the caller's reaction; without one it changes nothing:
// DELETE /api/v1/posts/{id}/reactions/{kind}.
func (s *Server) reactionDelete(w http.ResponseWriter, r *http.Request) {
	kind := biebplein.ReactionKind(r.PathValue("kind"))
	if err := s.svc.React(r.Context(), pathID(r, "id"), kind, false); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
