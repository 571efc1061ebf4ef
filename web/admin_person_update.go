package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// adminPersonUpdate saves a person's name, organisation, kind, function, admin flag and
// simple mode and advisor flag.
func (s *Server) adminPersonUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := newForm(s.localizer(r), personEditForm).read(r)
	simple, advisor := f.Checked("simple"), f.Checked("advisor")
	_, err := s.svc.UpdatePerson(r.Context(), id, service.AdminUpdate{
		Name: f.Get("name"), Kind: biebplein.PersonKind(f.Get("kind")), OrganisationID: f.Get("organisation_id"),
		Function: f.Get("function"), Admin: f.Checked("admin"), Simple: &simple,
		Advisor: &advisor,
	})
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		s.renderAdminPerson(w, r, formStatus(err), f, "")
		return
	}
	s.setFlash(w, "web.flash.person_saved")
	redirect(w, r, personAdminURL(id))
}
