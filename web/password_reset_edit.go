package web

import (
	"github.com/biebplein/biebplein"
	"net/http"
)

var resetPasswordForm = formSpec{ID: "new-password", Fields: []field{
	{Name: "password", Label: "web.password_reset.password", Hint: "web.password.hint", Type: "password", Autocomplete: "new-password"},
	{Name: "password_repeat", Label: "web.password_reset.password_repeat", Type: "password", Autocomplete: "new-password"},
}}

// resetPasswordPage lets the holder of a reset link choose a new password.
type resetPasswordPage struct {
	base
	Form   *Form
	Action string
}

// passwordResetEdit shows the form for a new password, when the link still works.
func (s *Server) passwordResetEdit(w http.ResponseWriter, r *http.Request) {
	token, ok := pathID(r, "token")
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "error.password_reset_invalid")
		return
	}
	if err := s.svc.CheckPasswordReset(r.Context(), token); err != nil {
		s.resetFail(w, r, err)
		return
	}
	b := s.base(w, r, "web.password_reset.new_title", "login")
	s.render(w, r, http.StatusOK, "password_reset_edit", resetPasswordPage{base: b, Form: newForm(b.L, resetPasswordForm), Action: r.URL.Path})
}

// resetFail shows a link that no longer works as 404 with its own message; anything else is
// an ordinary failure.
func (s *Server) resetFail(w http.ResponseWriter, r *http.Request, err error) {
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		s.renderError(w, r, http.StatusNotFound, "error.password_reset_invalid")
		return
	}
	s.fail(w, r, err)
}
