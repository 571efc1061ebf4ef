package web

import "net/http"

// organisationUpdate saves the name, kind and parent of an organisation.
func (s *Server) organisationUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	o, err := s.svc.Organisation(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := s.base(w, r, "web.org.edit_title", "admin")
	f := newForm(b.L, orgForm).read(r)
	if _, err := s.svc.UpdateOrganisation(r.Context(), id, orgInput(f)); err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		s.renderOrgForm(w, r, formStatus(err), orgFormPage{base: b, Form: f, Org: o, Action: orgURL(o)})
		return
	}
	s.setFlash(w, "web.flash.org_saved")
	redirect(w, r, "/admin/organisations")
}
