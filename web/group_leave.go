package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// groupLeave ends the reader's membership, request or invitation. The last admin is told
// why they cannot leave.
func (s *Server) groupLeave(w http.ResponseWriter, r *http.Request) {
	g, ok := s.loadGroup(w, r)
	if !ok {
		return
	}
	if err := s.svc.LeaveGroup(r.Context(), g.ID); err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeConflict {
			s.renderMembers(w, r, s.base(w, r, "web.group.title", "groups"), g, formStatus(err), nil, biebplein.ErrorMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "web.flash.left")
	redirect(w, r, groupURL(g.ID))
}
