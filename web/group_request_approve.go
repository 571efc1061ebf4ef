package web

import "net/http"

// groupRequestApprove lets someone who asked into a closed group (group admins).
func (s *Server) groupRequestApprove(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, "web.flash.request_approved", func(g, p string) error {
		return s.svc.ApproveRequest(r.Context(), g, p)
	})
}
