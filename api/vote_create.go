package api

import (
	"net/http"
	"time"
)

type voteRequest struct {
	OptionIDs []string `json:"option_ids"`
}

// voteCreate replaces the caller's votes on a poll: POST /api/v1/posts/{id}/votes answers the
// poll, with its results.
func (s *Server) voteCreate(w http.ResponseWriter, r *http.Request) {
	var req voteRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.svc.Vote(r.Context(), pathID(r, "id"), req.OptionIDs)
	if err != nil {
		s.writeError(w, r, onField(err, "option_ids"))
		return
	}
	s.writeJSON(w, r, http.StatusOK, newPoll(p.Poll, time.Now()))
}
