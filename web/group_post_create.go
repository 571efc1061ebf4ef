package web

import "net/http"

// groupPostCreate saves a post written in a group page's composer.
func (s *Server) groupPostCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	g, err := s.svc.Group(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.createPost(w, r, g)
}
