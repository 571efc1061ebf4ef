package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

var personEditForm = formSpec{ID: "person", Fields: []field{
	{Name: "name", Label: "web.person_form.name", Type: "text", Autocomplete: "off"},
	{Name: "organisation_id", Label: "web.person_form.organisation", Type: "select"},
	{Name: "kind", Label: "web.person_form.kind", Type: "select", Options: personKindOptions},
	{Name: "function", Label: "web.person_form.function", Hint: "web.profile.function_hint", Type: "text", Optional: true, Autocomplete: "off"},
	{Name: "admin", Label: "web.person_form.admin", Hint: "web.person_form.admin_hint", Type: "checkbox"},
	{Name: "simple", Label: "web.person_form.simple", Hint: "web.person_form.simple_hint", Type: "checkbox"},
	{Name: "advisor", Label: "web.person_form.advisor", Hint: "web.person_form.advisor_hint", Type: "checkbox"},
}}

type adminPersonPage struct {
	base
	Person   *biebplein.Person
	Form     *Form
	Sessions []*biebplein.Session
	Current  string // the reader's own session id
	// Problem is a catalogue key for an action that could not be done (deactivating the last
	// administrator, for example).
	Problem string
}

// adminPersonEdit shows a person for administration: their details, status and sessions.
func (s *Server) adminPersonEdit(w http.ResponseWriter, r *http.Request) {
	s.renderAdminPerson(w, r, http.StatusOK, nil, "")
}

// renderAdminPerson shows the administration page of the person in the path; a nil form is
// filled from the person.
func (s *Server) renderAdminPerson(w http.ResponseWriter, r *http.Request, status int, f *Form, problem string) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	p, err := s.svc.Person(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sessions, err := s.svc.Sessions(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	orgs, err := s.svc.Organisations(r.Context(), biebplein.OrganisationFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := s.base(w, r, "web.admin_person.title", "admin")
	b.Title = p.Name
	if f == nil {
		f = newForm(b.L, personEditForm)
		f.Set("name", p.Name)
		f.Set("organisation_id", p.Organisation.ID)
		f.Set("kind", string(p.Kind))
		f.Set("function", p.Function)
		f.SetChecked("admin", p.Admin)
		f.SetChecked("simple", p.Simple)
		f.SetChecked("advisor", p.Advisor)
	}
	f.L = b.L
	f.SetOptions("organisation_id", orgOptions(orgs, "web.form.choose", ""))
	page := adminPersonPage{base: b, Person: p, Form: f, Sessions: sessions, Problem: problem}
	if sess := httpx.SessionFrom(r.Context()); sess != nil {
		page.Current = sess.ID
	}
	page.HasErrors = f.HasErrors() || problem != ""
	s.render(w, r, status, "admin_person", page)
}

func personAdminURL(id string) string { return "/admin/people/" + id }

// SessionURL is where the button to end one of this person's sessions posts.
func (p adminPersonPage) SessionURL(id string) string {
	return personAdminURL(p.Person.ID) + "/sessions/" + id + "/revoke"
}
