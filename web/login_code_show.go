package web

import (
	"net/http"
	"time"

	"github.com/biebplein/biebplein/service"
)

// pendingCookie holds a pending sign-in between the password and the code: a signed,
// five-minute statement that the password was right, never a session.
const pendingCookie = "biebplein_pending"

var loginCodeForm = formSpec{ID: "code", Fields: []field{
	{Name: "code", Label: "web.login_code.code", Hint: "web.login_code.hint", Type: "text", Autocomplete: "one-time-code"},
}}

type loginCodePage struct {
	base
	Form *Form
	Next string
}

func (s *Server) setPendingCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: token, Path: "/login",
		MaxAge: int(service.PendingSignInLifetime / time.Second), HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearPendingCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: "", Path: "/login", MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// loginCodeShow asks for the code of the authenticator app (or a recovery code), after the
// right password; without a pending sign-in it goes back to the sign-in form.
func (s *Server) loginCodeShow(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if _, err := r.Cookie(pendingCookie); err != nil {
		redirect(w, r, "/login")
		return
	}
	b := s.base(w, r, "web.login_code.title", "login")
	s.render(w, r, http.StatusOK, "login_code", loginCodePage{base: b, Form: newForm(b.L, loginCodeForm), Next: next})
}
