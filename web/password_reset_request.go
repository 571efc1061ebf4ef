package web

import (
	"net/http"

	"github.com/biebplein/biebplein/httpx"
)

// passwordResetRequest asks the service to mail a reset link. The page that follows is the
// same whether or not the address has an account; only a malformed address or too many
// requests are told.
func (s *Server) passwordResetRequest(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.password_reset.title", "login")
	f := newForm(b.L, resetRequestForm).read(r)
	err := s.svc.RequestPasswordReset(r.Context(), f.Get("email"), httpx.ClientIP(r, s.opts.TrustProxy))
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		b.HasErrors = true
		s.render(w, r, formStatus(err), "password_reset", resetRequestPage{base: b, Form: f})
		return
	}
	s.render(w, r, http.StatusOK, "password_reset", resetRequestPage{base: b, Form: f, Sent: true})
}
