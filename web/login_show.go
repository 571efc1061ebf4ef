package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

var loginForm = formSpec{ID: "login", Fields: []field{
	{Name: "email", Label: "web.login.email", Type: "email", Autocomplete: "username"},
	{Name: "password", Label: "web.login.password", Type: "password", Autocomplete: "current-password"},
}}

type loginPage struct {
	base
	Form *Form
	Next string // where to go after signing in
}

// loginShow shows the sign-in form; someone already signed in goes on at once.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if biebplein.ActorFrom(r.Context()) != nil {
		redirect(w, r, next)
		return
	}
	b := s.base(w, r, "web.login.title", "login")
	s.render(w, r, http.StatusOK, "login", loginPage{base: b, Form: newForm(b.L, loginForm), Next: next})
}
