package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type organisationRequest struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	ParentID string `json:"parent_id"` // absent, null or "": a root
}

// organisationCreate adds an organisation (administrators): POST /api/v1/organisations.
func (s *Server) organisationCreate(w http.ResponseWriter, r *http.Request) {
	var req organisationRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	o, err := s.svc.CreateOrganisation(r.Context(), biebplein.OrganisationInput{
		Name: req.Name, Kind: biebplein.OrganisationKind(req.Kind), ParentID: req.ParentID,
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, newOrganisation(o))
}
