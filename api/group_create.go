package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type groupCreateRequest struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Visibility  string `json:"visibility"`
	// OrganisationID is required for, and only kept with, visibility organisation.
	OrganisationID string `json:"organisation_id"`
}

// groupCreate starts a group with the caller as its admin: POST /api/v1/groups.
func (s *Server) groupCreate(w http.ResponseWriter, r *http.Request) {
	var req groupCreateRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	g, err := s.svc.CreateGroup(r.Context(), biebplein.GroupInput{Name: req.Name, Description: req.Description,
		Visibility: biebplein.Visibility(req.Visibility), OrganisationID: req.OrganisationID})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, newGroup(g))
}
