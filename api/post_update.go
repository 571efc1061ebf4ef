package api

import "net/http"

type postUpdateRequest struct {
	Body string `json:"body"`
}

// postUpdate changes the body of the caller's own post; the old body is kept as a revision:
// PATCH /api/v1/posts/{id}.
func (s *Server) postUpdate(w http.ResponseWriter, r *http.Request) {
	var req postUpdateRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.svc.UpdatePost(r.Context(), pathID(r, "id"), req.Body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writePost(w, r, http.StatusOK, p)
}
