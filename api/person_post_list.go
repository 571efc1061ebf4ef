package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// personPostList pages through the posts of one person that the caller may read, newest
// first: GET /api/v1/people/{id}/posts.
func (s *Server) personPostList(w http.ResponseWriter, r *http.Request) {
	id := pathID(r, "id")
	if id == "" {
		s.writeError(w, r, errNotFound())
		return
	}
	p, err := s.svc.Person(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.feed(w, r, biebplein.PostFilter{Feed: biebplein.FeedPerson, AuthorID: p.ID})
}
