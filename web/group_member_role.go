package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// groupMemberRole makes a member an admin or a plain member (group admins).
func (s *Server) groupMemberRole(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, "web.flash.role_changed", func(g, p string) error {
		return s.svc.SetRole(r.Context(), g, p, biebplein.Role(r.PostForm.Get("role")))
	})
}
