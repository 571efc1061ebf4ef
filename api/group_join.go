package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// joinJSON is the answer to joining: member, or pending for a request to a closed group.
type joinJSON struct {
	Status string `json:"status"`
}

// groupJoin joins a group, accepts an invitation or asks to join a closed group:
// POST /api/v1/groups/{id}/join answers 200 member or 202 pending.
func (s *Server) groupJoin(w http.ResponseWriter, r *http.Request) {
	status, err := s.svc.JoinGroup(r.Context(), pathID(r, "id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	code := http.StatusOK
	if status != biebplein.StatusMember {
		code = http.StatusAccepted
	}
	s.writeJSON(w, r, code, joinJSON{Status: string(status)})
}
