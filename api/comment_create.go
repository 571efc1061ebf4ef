package api

import "net/http"

type commentCreateRequest struct {
	Body string `json:"body"`
	// ParentID makes the comment a reply; a reply to a reply goes under the same comment.
	ParentID string `json:"parent_id"`
}

// commentCreate answers a post the caller may read: POST /api/v1/posts/{id}/comments answers
// 201 with the comment.
func (s *Server) commentCreate(w http.ResponseWriter, r *http.Request) {
	var req commentCreateRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.svc.CreateComment(r.Context(), pathID(r, "id"), req.ParentID, req.Body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, newComment(c))
}
