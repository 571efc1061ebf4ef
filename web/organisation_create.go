package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// organisationCreate adds an organisation to the tree.
func (s *Server) organisationCreate(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.org.new_title", "admin")
	f := newForm(b.L, orgForm).read(r)
	_, err := s.svc.CreateOrganisation(r.Context(), orgInput(f))
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		s.renderOrgForm(w, r, formStatus(err), orgFormPage{base: b, Form: f, Action: "/admin/organisations"})
		return
	}
	s.setFlash(w, "web.flash.org_created")
	redirect(w, r, "/admin/organisations")
}

func orgInput(f *Form) biebplein.OrganisationInput {
	hide := f.Checked("mail_hide_text")
	return biebplein.OrganisationInput{
		Name: f.Get("name"), Kind: biebplein.OrganisationKind(f.Get("kind")), ParentID: f.Get("parent_id"),
		MailHideText: &hide,
	}
}
