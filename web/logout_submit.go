package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

// logoutSubmit ends this browser's session and removes the cookie.
func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) {
	if sess := httpx.SessionFrom(r.Context()); sess != nil {
		err := s.svc.SignOut(r.Context(), sess.ID)
		if err != nil && biebplein.ErrorCode(err) != biebplein.CodeNotFound {
			s.fail(w, r, err)
			return
		}
	}
	httpx.ClearSessionCookie(w, s.opts.SecureCookies)
	s.setFlash(w, "web.flash.signed_out")
	redirect(w, r, "/login")
}
