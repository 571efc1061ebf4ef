package web

import "net/http"

// groupMemberRemove removes a member or withdraws an invitation (group admins).
func (s *Server) groupMemberRemove(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, "web.flash.member_removed", func(g, p string) error {
		return s.svc.RemoveMember(r.Context(), g, p)
	})
}
