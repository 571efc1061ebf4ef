package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/media"
)

var groupForm = formSpec{ID: "group", Fields: []field{
	{Name: "name", Label: "web.group_form.name", Type: "text"},
	{Name: "description", Label: "web.group_form.description", Hint: "web.group_form.description_hint", Type: "textarea", Optional: true},
	{Name: "visibility", Label: "web.group_form.visibility", Type: "radio"},
	{Name: "organisation_id", Label: "web.group_form.organisation", Hint: "web.group_form.organisation_hint", Type: "select"},
	{Name: "image", Label: "web.group_form.image", Hint: "web.group_form.image_hint", Type: "file", Optional: true},
	{Name: "remove_image", Label: "web.group_form.remove_image", Type: "checkbox"},
}}

// maxGroupFormBytes limits the body of the group form: the largest image and a little.
const maxGroupFormBytes = media.DefaultImageSize + 1<<20

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

// readGroupForm reads the posted group form, multipart with an image or a plain form. A file
// that is not an image, or that the media store refuses, is a problem of the image field.
// The image returned has been stored; the caller deletes it when the group is not saved.
// ok is false when it has answered the request itself.
func (s *Server) readGroupForm(w http.ResponseWriter, r *http.Request, b base) (f *Form, image *media.File, ok bool) {
	files, fileErr, ok := s.readUploads(w, r, "image", maxGroupFormBytes)
	if !ok {
		return nil, nil, false
	}
	f = newForm(b.L, groupForm).read(r)
	f.CheckText("name", "description")
	if fileErr != nil {
		f.AddError("image", biebplein.ErrorFields(fileErr)["file"])
	}
	for _, file := range files {
		switch {
		case image != nil:
			s.deleteFile(file.ID) // one image is enough; the field takes no more
		case file.Kind != media.KindImage:
			s.deleteFile(file.ID)
			f.AddError("image", "error.group_image_not_image")
		default:
			image = file
		}
	}
	return f, image, true
}

// groupInput builds the service's input from the group form and its new image, if any.
func groupInput(f *Form, image *media.File) biebplein.GroupInput {
	in := biebplein.GroupInput{Name: f.Get("name"), Description: f.Get("description"),
		Visibility: biebplein.Visibility(f.Get("visibility")), RemoveImage: f.Checked("remove_image")}
	if image != nil {
		in.ImageID = image.ID
	}
	if in.Visibility == biebplein.VisOrganisation {
		in.OrganisationID = f.Get("organisation_id")
	}
	return in
}
