package web

import (
	"net/http"
)

// groupUpdate saves the name, description, visibility and image of a group. The file of a
// replaced or removed image is deleted once the group is saved.
func (s *Server) groupUpdate(w http.ResponseWriter, r *http.Request) {
	g, ok := s.loadGroup(w, r)
	if !ok {
		return
	}
	b := s.base(w, r, "web.group_form.edit_title", "groups")
	f, image, ok := s.readGroupForm(w, r, b)
	if !ok {
		return
	}
	again := func(status int) {
		if image != nil {
			s.deleteFile(image.ID)
		}
		s.renderGroupForm(w, r, status, groupFormPage{base: b, Form: f, Group: g, Action: groupURL(g.ID) + "/edit"})
	}
	if !f.OK() {
		again(http.StatusBadRequest)
		return
	}
	saved, err := s.svc.UpdateGroup(r.Context(), g.ID, groupInput(f, image))
	if err != nil {
		if !f.Fail(err) {
			if image != nil {
				s.deleteFile(image.ID)
			}
			s.fail(w, r, err)
			return
		}
		again(formStatus(err))
		return
	}
	if g.ImageID != "" && saved.ImageID != g.ImageID {
		s.deleteFile(g.ImageID)
	}
	s.setFlash(w, "web.flash.group_saved")
	redirect(w, r, groupURL(g.ID)+"/about")
}
