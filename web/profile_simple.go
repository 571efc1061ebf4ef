package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// profileSimple switches the reader's own simple mode on (simple=on) or off (anything else):
// one button on the profile page, so that it needs no other field filled in.
func (s *Server) profileSimple(w http.ResponseWriter, r *http.Request) {
	a := biebplein.ActorFrom(r.Context())
	on := r.PostForm.Get("simple") == "on"
	if _, err := s.svc.UpdateProfile(r.Context(), a.ID, biebplein.ProfileUpdate{Simple: &on}); err != nil {
		s.fail(w, r, err)
		return
	}
	if on {
		s.setFlash(w, "web.flash.simple_on")
	} else {
		s.setFlash(w, "web.flash.simple_off")
	}
	redirect(w, r, "/profile")
}
