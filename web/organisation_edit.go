package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// organisationEdit shows the form to rename or move an organisation.
func (s *Server) organisationEdit(w http.ResponseWriter, r *http.Request) {
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
	f := newForm(b.L, orgForm)
	f.Set("name", o.Name)
	f.Set("kind", string(o.Kind))
	f.Set("parent_id", o.ParentID)
	f.SetChecked("mail_hide_text", o.MailHideText)
	s.renderOrgForm(w, r, http.StatusOK, orgFormPage{base: b, Form: f, Org: o, Action: orgURL(o)})
}

func orgURL(o *biebplein.Organisation) string { return "/admin/organisations/" + o.ID }
