package web

import "net/http"

// groupRequestRefuse turns down a request to join (group admins).
func (s *Server) groupRequestRefuse(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, "web.flash.request_refused", func(g, p string) error {
		return s.svc.RefuseRequest(r.Context(), g, p)
	})
}
