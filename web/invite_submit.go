package web

import (
	"net/http"

	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/service"
)

// inviteSubmit sets the invited person's password, uses up the link, signs them in and shows
// the welcome page.
func (s *Server) inviteSubmit(w http.ResponseWriter, r *http.Request) {
	token, ok := pathID(r, "token")
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "error.invitation_invalid")
		return
	}
	p, err := s.svc.Invitation(r.Context(), token)
	if err != nil {
		s.invitationFail(w, r, err)
		return
	}
	b := s.base(w, r, "web.invite.title", "")
	f := newForm(b.L, inviteForm).read(r)
	sess, secret, _, err := s.svc.AcceptInvitation(r.Context(), token, f.Get("password"), f.Get("password_repeat"),
		service.Credentials{IP: httpx.ClientIP(r, s.opts.TrustProxy), UserAgent: r.UserAgent()})
	if err != nil {
		if !f.Fail(err) {
			s.invitationFail(w, r, err)
			return
		}
		b.HasErrors = true
		s.render(w, r, formStatus(err), "invite", invitePage{base: b, Person: p, Form: f, Action: r.URL.Path})
		return
	}
	httpx.SetSessionCookie(w, secret, sess.ExpiresAt, s.opts.SecureCookies)
	redirect(w, r, "/welcome")
}
