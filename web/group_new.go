package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

var groupForm = formSpec{ID: "group", Fields: []field{
	{Name: "name", Label: "web.group_form.name", Type: "text"},
	{Name: "description", Label: "web.group_form.description", Hint: "web.group_form.description_hint", Type: "textarea", Optional: true},
	{Name: "visibility", Label: "web.group_form.visibility", Type: "radio"},
	{Name: "organisation_id", Label: "web.group_form.organisation", Hint: "web.group_form.organisation_hint", Type: "select"},
}}

type groupFormPage struct {
	base
	Form         *Form
	Group        *biebplein.Group // nil for a new group
	Action       string
	Visibilities []biebplein.Visibility
}

// groupNew shows the form for a new group. Who may start one is the service's rule; the
// form is shown to all, and a refusal is explained on it.
func (s *Server) groupNew(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.group_form.new_title", "groups")
	f := newForm(b.L, groupForm)
	f.Set("visibility", string(biebplein.VisNetwork))
	s.renderGroupForm(w, r, http.StatusOK, groupFormPage{base: b, Form: f, Action: "/groups/new"})
}

// renderGroupForm shows the group form with the organisations to choose from.
func (s *Server) renderGroupForm(w http.ResponseWriter, r *http.Request, status int, p groupFormPage) {
	orgs, err := s.svc.Organisations(r.Context(), biebplein.OrganisationFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Form.SetOptions("organisation_id", orgOptions(orgs, "web.form.choose", ""))
	p.Visibilities = biebplein.Visibilities()
	p.HasErrors = p.Form.HasErrors()
	s.render(w, r, status, "group_form", p)
}

func groupInput(f *Form) biebplein.GroupInput {
	in := biebplein.GroupInput{Name: f.Get("name"), Description: f.Get("description"),
		Visibility: biebplein.Visibility(f.Get("visibility"))}
	if in.Visibility == biebplein.VisOrganisation {
		in.OrganisationID = f.Get("organisation_id")
	}
	return in
}
