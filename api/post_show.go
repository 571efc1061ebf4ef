package api

import "net/http"

// postShow answers one post the caller may read, with all its comments: GET /api/v1/posts/{id}.
func (s *Server) postShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.Post(r.Context(), pathID(r, "id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writePost(w, r, http.StatusOK, p)
}
