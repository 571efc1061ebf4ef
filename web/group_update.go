package web

import (
	"net/http"
)

// groupUpdate saves the name, description and visibility of a group.
func (s *Server) groupUpdate(w http.ResponseWriter, r *http.Request) {
	g, ok := s.loadGroup(w, r)
	if !ok {
		return
	}
	b := s.base(w, r, "web.group_form.edit_title", "groups")
	f := newForm(b.L, groupForm).read(r)
	f.CheckText("name", "description")
	page := groupFormPage{base: b, Form: f, Group: g, Action: groupURL(g.ID) + "/edit"}
	if !f.OK() {
		s.renderGroupForm(w, r, http.StatusBadRequest, page)
		return
	}
	if _, err := s.svc.UpdateGroup(r.Context(), g.ID, groupInput(f)); err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		s.renderGroupForm(w, r, formStatus(err), page)
		return
	}
	s.setFlash(w, "web.flash.group_saved")
	redirect(w, r, groupURL(g.ID)+"/about")
}
