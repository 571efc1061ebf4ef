package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type postHistoryPage struct {
	base
	Post      *biebplein.Post
	Revisions []*biebplein.Revision
}

// postHistory shows the earlier texts of an edited post.
func (s *Server) postHistory(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPost(w, r)
	if !ok {
		return
	}
	revs, err := s.svc.Revisions(r.Context(), p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := s.base(w, r, "web.post_history.title", "home")
	s.render(w, r, http.StatusOK, "post_history", postHistoryPage{base: b, Post: p, Revisions: revs})
}
