package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

// sessionRevokeOthers ends every session of the reader except this browser's.
func (s *Server) sessionRevokeOthers(w http.ResponseWriter, r *http.Request) {
	a := biebplein.ActorFrom(r.Context())
	keep := ""
	if sess := httpx.SessionFrom(r.Context()); sess != nil {
		keep = sess.ID
	}
	if err := s.svc.RevokeSessions(r.Context(), a.ID, keep); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "web.flash.sessions_revoked")
	redirect(w, r, "/profile/sessions")
}
