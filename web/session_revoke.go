package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

// sessionRevoke ends one of one's own sessions. Ending this browser's own session signs out.
func (s *Server) sessionRevoke(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	a := biebplein.ActorFrom(r.Context())
	if err := s.svc.RevokeSession(r.Context(), a.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	if sess := httpx.SessionFrom(r.Context()); sess != nil && sess.ID == id {
		httpx.ClearSessionCookie(w, s.opts.SecureCookies)
		s.setFlash(w, "web.flash.signed_out")
		redirect(w, r, "/login")
		return
	}
	s.setFlash(w, "web.flash.session_revoked")
	redirect(w, r, "/profile/sessions")
}
