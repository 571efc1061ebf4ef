package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/service"
)

// loginSubmit signs in. A wrong address or password gets one message that does not say which
// was wrong; too many failures get 429 with the service's message.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.login.title", "login")
	f := newForm(b.L, loginForm).read(r)
	next := safeNext(r.PostForm.Get("next"))
	sess, token, _, err := s.svc.SignIn(r.Context(), service.Credentials{
		Email: f.Get("email"), Password: r.PostForm.Get("password"),
		IP: httpx.ClientIP(r, s.opts.TrustProxy), UserAgent: r.UserAgent(),
	})
	if errors.Is(err, service.ErrSecondFactor) {
		s.setPendingCookie(w, token)
		redirect(w, r, "/login/code?next="+url.QueryEscape(next))
		return
	}
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		b.HasErrors = true
		s.render(w, r, formStatus(err), "login", loginPage{base: b, Form: f, Next: next})
		return
	}
	httpx.SetSessionCookie(w, token, sess.ExpiresAt, s.opts.SecureCookies)
	redirect(w, r, next)
}
