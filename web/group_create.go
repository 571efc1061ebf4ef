package web

import (
	"net/http"
)

// groupCreate starts a group with the reader as its admin. The form is multipart when it
// carries an image.
func (s *Server) groupCreate(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.group_form.new_title", "groups")
	f, image, ok := s.readGroupForm(w, r, b)
	if !ok {
		return
	}
	again := func(status int) {
		if image != nil {
			s.deleteFile(image.ID)
		}
		s.renderGroupForm(w, r, status, groupFormPage{base: b, Form: f, Action: "/groups/new"})
	}
	if !f.OK() {
		again(http.StatusBadRequest)
		return
	}
	g, err := s.svc.CreateGroup(r.Context(), groupInput(f, image))
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
	s.setFlash(w, "web.flash.group_created")
	redirect(w, r, groupURL(g.ID))
}
