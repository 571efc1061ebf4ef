package web

import "net/http"

// adminPersonReactivate lets a deactivated person sign in again.
func (s *Server) adminPersonReactivate(w http.ResponseWriter, r *http.Request) {
	s.setActive(w, r, true, "web.flash.person_reactivated")
}
