package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// personShow answers one profile the caller may see: GET /api/v1/people/{id}.
func (s *Server) personShow(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == "" {
		s.writeError(w, r, biebplein.Errorf(biebplein.CodeNotFound, "error.not_found"))
		return
	}
	p, err := s.svc.Person(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, newPerson(biebplein.ActorFrom(r.Context()), p))
}
