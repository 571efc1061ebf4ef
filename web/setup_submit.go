package web

import (
	"net/http"

	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/service"
)

// setupSubmit creates the root organisation and the first administrator, signs them in and
// shows the welcome page.
func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request) {
	token, ok := pathID(r, "token")
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "error.invitation_invalid")
		return
	}
	b := s.base(w, r, "web.setup.title", "")
	f := newForm(b.L, setupForm).read(r)
	sess, secret, _, err := s.svc.CompleteSetup(r.Context(), token, service.SetupInput{
		OrganisationName: f.Get("organisation_name"), Name: f.Get("name"), Email: f.Get("email"),
		Password: f.Get("password"), PasswordRepeat: f.Get("password_repeat"),
	}, service.Credentials{IP: httpx.ClientIP(r, s.opts.TrustProxy), UserAgent: r.UserAgent()})
	if err != nil {
		if !f.Fail(err) {
			s.invitationFail(w, r, err)
			return
		}
		b.HasErrors = true
		s.render(w, r, formStatus(err), "setup", setupPage{base: b, Form: f, Action: r.URL.Path})
		return
	}
	httpx.SetSessionCookie(w, secret, sess.ExpiresAt, s.opts.SecureCookies)
	redirect(w, r, "/welcome")
}
