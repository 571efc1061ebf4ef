package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type invitationPage struct {
	base
	Person *biebplein.Person
	Link   string
}

// adminPersonCreate creates an invited person and shows the invitation link to pass on. The
// link is a secret shown once, so it is shown on the answer to the form itself.
func (s *Server) adminPersonCreate(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.person_new.title", "admin")
	f := newForm(b.L, personNewForm).read(r)
	p, link, err := s.svc.CreatePerson(r.Context(), biebplein.PersonInput{
		Name: f.Get("name"), Email: f.Get("email"), OrganisationID: f.Get("organisation_id"),
		Kind: biebplein.PersonKind(f.Get("kind")), Function: f.Get("function"), Admin: f.Checked("admin"),
		Advisor: f.Checked("advisor"),
	})
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		s.renderPersonNew(w, r, formStatus(err), personNewPage{base: b, Form: f})
		return
	}
	b.Title = b.T("web.invitation.title")
	s.render(w, r, http.StatusCreated, "invitation", invitationPage{base: b, Person: p, Link: link})
}
