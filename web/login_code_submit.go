package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/service"
)

// loginCodeSubmit completes the sign-in with the code. A wrong code is shown on the form; an
// expired pending sign-in sends the person back to the password.
func (s *Server) loginCodeSubmit(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.login_code.title", "login")
	f := newForm(b.L, loginCodeForm).read(r)
	next := safeNext(r.PostForm.Get("next"))
	c, err := r.Cookie(pendingCookie)
	if err != nil {
		redirect(w, r, "/login")
		return
	}
	sess, token, _, err := s.svc.SignInWithCode(r.Context(), c.Value, f.Get("code"), service.Credentials{
		IP: httpx.ClientIP(r, s.opts.TrustProxy), UserAgent: r.UserAgent()})
	if err != nil {
		if biebplein.ErrorMessage(err) == "error.sign_in_expired" {
			s.clearPendingCookie(w)
		}
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		b.HasErrors = true
		s.render(w, r, formStatus(err), "login_code", loginCodePage{base: b, Form: f, Next: next})
		return
	}
	s.clearPendingCookie(w)
	httpx.SetSessionCookie(w, token, sess.ExpiresAt, s.opts.SecureCookies)
	redirect(w, r, next)
}
