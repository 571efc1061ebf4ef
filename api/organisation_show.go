package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// organisationShow answers one organisation: GET /api/v1/organisations/{id}.
func (s *Server) organisationShow(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == "" {
		s.writeError(w, r, biebplein.Errorf(biebplein.CodeNotFound, "error.not_found"))
		return
	}
	o, err := s.svc.Organisation(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, newOrganisation(o))
}
