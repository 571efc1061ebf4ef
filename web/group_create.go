package web

import (
	"net/http"
)

// groupCreate starts a group with the reader as its admin.
func (s *Server) groupCreate(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.group_form.new_title", "groups")
	f := newForm(b.L, groupForm).read(r)
	f.CheckText("name", "description")
	if !f.OK() {
		s.renderGroupForm(w, r, http.StatusBadRequest, groupFormPage{base: b, Form: f, Action: "/groups/new"})
		return
	}
	g, err := s.svc.CreateGroup(r.Context(), groupInput(f))
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		s.renderGroupForm(w, r, formStatus(err), groupFormPage{base: b, Form: f, Action: "/groups/new"})
		return
	}
	s.setFlash(w, "web.flash.group_created")
	redirect(w, r, groupURL(g.ID))
}
