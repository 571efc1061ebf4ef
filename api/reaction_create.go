package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type reactionRequest struct {
	Kind string `json:"kind"`
}

// reactionJSON is the caller's reaction to a post.
type reactionJSON struct {
	PostID string `json:"post_id"`
	Kind   string `json:"kind"`
}

// reactionCreate adds the caller's reaction to a post; reacting twice changes nothing:
// POST /api/v1/posts/{id}/reactions answers 201.
func (s *Server) reactionCreate(w http.ResponseWriter, r *http.Request) {
	var req reactionRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	id := pathID(r, "id")
	if err := s.svc.React(r.Context(), id, biebplein.ReactionKind(req.Kind), true); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, reactionJSON{PostID: id, Kind: req.Kind})
}
