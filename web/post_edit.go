package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

var postEditForm = formSpec{ID: "edit", Fields: []field{
	{Name: "body", Label: "web.post_edit.body", Hint: "web.composer.body_hint", Type: "textarea", Mentions: true},
}}

type postEditPage struct {
	base
	Post *biebplein.Post
	Form *Form
}

// postEdit shows the form to change one's own post.
func (s *Server) postEdit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPost(w, r)
	if !ok {
		return
	}
	b := s.base(w, r, "web.post_edit.title", "home")
	if p.DeletedAt != nil {
		s.notFound(w, r)
		return
	}
	if b.Actor == nil || p.Author.ID != b.Actor.ID {
		s.renderError(w, r, http.StatusForbidden, "error.post_author_only")
		return
	}
	f := newForm(b.L, postEditForm)
	f.Set("body", p.Body)
	b.Mentions = true
	s.render(w, r, http.StatusOK, "post_edit", postEditPage{base: b, Post: p, Form: f})
}
