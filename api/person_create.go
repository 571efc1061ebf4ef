package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type personCreateRequest struct {
	Name           string `json:"name"`
	Email          string `json:"email"`
	Kind           string `json:"kind"`
	OrganisationID string `json:"organisation_id"`
	Function       string `json:"function"`
	Admin          bool   `json:"admin"`
	// Password lets the person sign in at once; without it they are invited.
	Password string `json:"password"`
}

// personCreate adds a person (administrators): POST /api/v1/people. Without a password the
// answer carries invite_url, the link with which the person sets one.
func (s *Server) personCreate(w http.ResponseWriter, r *http.Request) {
	var req personCreateRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, link, err := s.svc.CreatePerson(r.Context(), biebplein.PersonInput{
		Email: req.Email, Name: req.Name, Kind: biebplein.PersonKind(req.Kind),
		OrganisationID: req.OrganisationID, Admin: req.Admin, Function: req.Function, Password: req.Password,
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := newPerson(biebplein.ActorFrom(r.Context()), p)
	out.InviteURL = link
	s.writeJSON(w, r, http.StatusCreated, out)
}
