package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

var personKindOptions = []option{
	{Value: "", Key: "web.form.choose"},
	{Value: string(biebplein.KindStaff), Key: "web.person_kind.staff"},
	{Value: string(biebplein.KindVolunteer), Key: "web.person_kind.volunteer"},
	{Value: string(biebplein.KindPartner), Key: "web.person_kind.partner"},
}

var personNewForm = formSpec{ID: "person", Fields: []field{
	{Name: "name", Label: "web.person_form.name", Type: "text", Autocomplete: "off"},
	{Name: "email", Label: "web.person_form.email", Type: "email", Autocomplete: "off"},
	{Name: "organisation_id", Label: "web.person_form.organisation", Type: "select"},
	{Name: "kind", Label: "web.person_form.kind", Type: "select", Options: personKindOptions},
	{Name: "function", Label: "web.person_form.function", Hint: "web.profile.function_hint", Type: "text", Optional: true, Autocomplete: "off"},
	{Name: "admin", Label: "web.person_form.admin", Hint: "web.person_form.admin_hint", Type: "checkbox"},
	{Name: "advisor", Label: "web.person_form.advisor", Hint: "web.person_form.advisor_hint", Type: "checkbox"},
}}

type personNewPage struct {
	base
	Form *Form
}

// adminPersonNew shows the form to invite someone.
func (s *Server) adminPersonNew(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.person_new.title", "admin")
	s.renderPersonNew(w, r, http.StatusOK, personNewPage{base: b, Form: newForm(b.L, personNewForm)})
}

func (s *Server) renderPersonNew(w http.ResponseWriter, r *http.Request, status int, p personNewPage) {
	orgs, err := s.svc.Organisations(r.Context(), biebplein.OrganisationFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Form.SetOptions("organisation_id", orgOptions(orgs, "web.form.choose", ""))
	p.HasErrors = p.Form.HasErrors()
	s.render(w, r, status, "person_new", p)
}
