package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// groupEdit shows the form to change a group, for those who manage it.
func (s *Server) groupEdit(w http.ResponseWriter, r *http.Request) {
	g, ok := s.loadGroup(w, r)
	if !ok {
		return
	}
	if !manages(biebplein.ActorFrom(r.Context()), g) {
		s.renderError(w, r, http.StatusForbidden, "error.group_admins_only")
		return
	}
	b := s.base(w, r, "web.group_form.edit_title", "groups")
	f := newForm(b.L, groupForm)
	f.Set("name", g.Name)
	f.Set("description", g.Description)
	f.Set("visibility", string(g.Visibility))
	f.Set("organisation_id", g.OrganisationID)
	s.renderGroupForm(w, r, http.StatusOK, groupFormPage{base: b, Form: f, Group: g, Action: groupURL(g.ID) + "/edit"})
}
