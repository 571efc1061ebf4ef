package web

import "net/http"

// postUnpin takes an announcement off the top of its feeds (group admins).
func (s *Server) postUnpin(w http.ResponseWriter, r *http.Request) {
	s.postAction(w, r, "web.flash.unpinned", func(id string) error {
		return s.svc.SetPinned(r.Context(), id, nil)
	})
}
