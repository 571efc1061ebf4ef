package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type postDeletePage struct {
	base
	Post *biebplein.Post
}

// postDeleteConfirm asks whether a post should really be deleted.
func (s *Server) postDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPost(w, r)
	if !ok {
		return
	}
	if p.DeletedAt != nil {
		s.notFound(w, r)
		return
	}
	b := s.base(w, r, "web.post_delete.title", "home")
	s.render(w, r, http.StatusOK, "post_delete", postDeletePage{base: b, Post: p})
}
