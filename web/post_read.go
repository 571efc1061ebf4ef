package web

import "net/http"

// postRead confirms that the reader has read an announcement.
func (s *Server) postRead(w http.ResponseWriter, r *http.Request) {
	s.postAction(w, r, "web.flash.read", func(id string) error {
		return s.svc.MarkRead(r.Context(), id)
	})
}
