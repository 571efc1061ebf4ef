package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

var orgForm = formSpec{ID: "org", Fields: []field{
	{Name: "name", Label: "web.org.name", Type: "text"},
	{Name: "kind", Label: "web.org.kind", Hint: "web.org.kind_hint", Type: "select", Options: []option{
		{Value: "", Key: "web.form.choose"},
		{Value: string(biebplein.OrgSupport), Key: "web.org_kind.support"},
		{Value: string(biebplein.OrgLibrary), Key: "web.org_kind.library"},
		{Value: string(biebplein.OrgBranch), Key: "web.org_kind.branch"},
		{Value: string(biebplein.OrgPartner), Key: "web.org_kind.partner"},
	}},
	{Name: "parent_id", Label: "web.org.parent", Hint: "web.org.parent_hint", Type: "select", Optional: true},
	{Name: "mail_hide_text", Label: "web.org.mail_hide_text", Hint: "web.org.mail_hide_text_hint", Type: "checkbox", Optional: true},
}}

type orgFormPage struct {
	base
	Form   *Form
	Org    *biebplein.Organisation // nil for a new organisation
	Action string
}

// organisationNew shows the form for a new organisation.
func (s *Server) organisationNew(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.org.new_title", "admin")
	s.renderOrgForm(w, r, http.StatusOK, orgFormPage{base: b, Form: newForm(b.L, orgForm), Action: "/admin/organisations"})
}

// renderOrgForm shows the organisation form with the possible parents filled in.
func (s *Server) renderOrgForm(w http.ResponseWriter, r *http.Request, status int, p orgFormPage) {
	orgs, err := s.svc.Organisations(r.Context(), biebplein.OrganisationFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	skip := ""
	if p.Org != nil {
		skip = p.Org.ID
	}
	p.Form.SetOptions("parent_id", orgOptions(orgs, "web.org.no_parent", skip))
	p.HasErrors = p.Form.HasErrors()
	s.render(w, r, status, "organisation_form", p)
}
