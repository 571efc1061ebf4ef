package web

import (
	"net/http"
)

var resetRequestForm = formSpec{ID: "reset", Fields: []field{
	{Name: "email", Label: "web.password_reset.email", Type: "email", Autocomplete: "username"},
}}

// resetRequestPage asks for the address to send a reset link to, or says it was sent.
type resetRequestPage struct {
	base
	Form *Form
	Sent bool
}

// passwordResetNew shows the form to ask for a new password ("Wachtwoord vergeten?").
func (s *Server) passwordResetNew(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.password_reset.title", "login")
	s.render(w, r, http.StatusOK, "password_reset", resetRequestPage{base: b, Form: newForm(b.L, resetRequestForm)})
}
