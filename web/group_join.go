package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// groupJoin joins a group, asks to join a closed one, or accepts an invitation.
func (s *Server) groupJoin(w http.ResponseWriter, r *http.Request) {
	g, ok := s.loadGroup(w, r)
	if !ok {
		return
	}
	status, err := s.svc.JoinGroup(r.Context(), g.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	flash := "web.flash.joined"
	if status == biebplein.StatusPending {
		flash = "web.flash.requested"
	}
	s.setFlash(w, flash)
	redirect(w, r, groupURL(g.ID))
}
