package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// profileRequest is the body of PATCH /api/v1/me: absent (or null) fields stay as they are.
// Its fields match biebplein.ProfileUpdate one to one.
type profileRequest struct {
	Name      *string   `json:"name"`
	Function  *string   `json:"function"`
	Bio       *string   `json:"bio"`
	Expertise *[]string `json:"expertise"`
	Interests *[]string `json:"interests"`
	Locale    *string   `json:"locale"`
	Simple    *bool     `json:"simple"`
}

// meUpdate changes the signed-in person's profile: PATCH /api/v1/me.
func (s *Server) meUpdate(w http.ResponseWriter, r *http.Request) {
	var req profileRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	me := biebplein.ActorFrom(r.Context())
	p, err := s.svc.UpdateProfile(r.Context(), me.ID, biebplein.ProfileUpdate(req))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, newMe(p))
}
