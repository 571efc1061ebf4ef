package web

import (
	"github.com/biebplein/biebplein"
	"net/http"

	"github.com/biebplein/biebplein/httpx"
)

// passwordResetSubmit sets the new password, which ends every session and API token of the
// person, and sends them to sign in with it.
func (s *Server) passwordResetSubmit(w http.ResponseWriter, r *http.Request) {
	token, ok := pathID(r, "token")
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "error.password_reset_invalid")
		return
	}
	b := s.base(w, r, "web.password_reset.new_title", "login")
	f := newForm(b.L, resetPasswordForm).read(r)
	err := s.svc.ResetPassword(r.Context(), token, f.Get("password"), f.Get("password_repeat"), httpx.ClientIP(r, s.opts.TrustProxy))
	if err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeNotFound || !f.Fail(err) {
			s.resetFail(w, r, err)
			return
		}
		b.HasErrors = true
		s.render(w, r, formStatus(err), "password_reset_edit", resetPasswordPage{base: b, Form: f, Action: r.URL.Path})
		return
	}
	s.setFlash(w, "web.password_reset.done")
	redirect(w, r, "/login")
}
