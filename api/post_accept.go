package api

import "net/http"

type acceptRequest struct {
	// CommentID is the accepted answer; "" takes the choice back.
	CommentID string `json:"comment_id"`
}

// postAccept marks the accepted answer of a question (its author or a group admin):
// POST /api/v1/posts/{id}/accept answers the post.
func (s *Server) postAccept(w http.ResponseWriter, r *http.Request) {
	var req acceptRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.svc.Accept(r.Context(), pathID(r, "id"), req.CommentID)
	if err != nil {
		s.writeError(w, r, onField(err, "comment_id"))
		return
	}
	s.writePost(w, r, http.StatusOK, p)
}
