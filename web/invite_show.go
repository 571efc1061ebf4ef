package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

var inviteForm = formSpec{ID: "invite", Fields: []field{
	{Name: "password", Label: "web.invite.password", Hint: "web.password.hint", Type: "password", Autocomplete: "new-password"},
	{Name: "password_repeat", Label: "web.invite.password_repeat", Type: "password", Autocomplete: "new-password"},
}}

type invitePage struct {
	base
	Person *biebplein.Person
	Form   *Form
	Action string
}

// inviteShow shows an invited person who they are and lets them choose a password.
func (s *Server) inviteShow(w http.ResponseWriter, r *http.Request) {
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
	s.render(w, r, http.StatusOK, "invite", invitePage{base: b, Person: p, Form: newForm(b.L, inviteForm), Action: r.URL.Path})
}
