package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

var setupForm = formSpec{ID: "setup", Fields: []field{
	{Name: "organisation_name", Label: "web.setup.organisation_name", Hint: "web.setup.organisation_name_hint", Type: "text", Autocomplete: "organization"},
	{Name: "name", Label: "web.setup.name", Type: "text", Autocomplete: "name"},
	{Name: "email", Label: "web.setup.email", Type: "email", Autocomplete: "email"},
	{Name: "password", Label: "web.setup.password", Hint: "web.password.hint", Type: "password", Autocomplete: "new-password"},
	{Name: "password_repeat", Label: "web.setup.password_repeat", Type: "password", Autocomplete: "new-password"},
}}

type setupPage struct {
	base
	Form   *Form
	Action string
}

// setupShow shows the form in which the first administrator creates their account.
func (s *Server) setupShow(w http.ResponseWriter, r *http.Request) {
	token, ok := pathID(r, "token")
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "error.invitation_invalid")
		return
	}
	if err := s.svc.CheckSetup(r.Context(), token); err != nil {
		s.invitationFail(w, r, err)
		return
	}
	b := s.base(w, r, "web.setup.title", "")
	s.render(w, r, http.StatusOK, "setup", setupPage{base: b, Form: newForm(b.L, setupForm), Action: r.URL.Path})
}

// invitationFail answers an unusable setup or invitation link with a clear 404 page.
func (s *Server) invitationFail(w http.ResponseWriter, r *http.Request, err error) {
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		s.renderError(w, r, http.StatusNotFound, "error.invitation_invalid")
		return
	}
	s.fail(w, r, err)
}
