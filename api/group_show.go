package api

import "net/http"

// groupShow answers one group the caller can see: GET /api/v1/groups/{id}.
func (s *Server) groupShow(w http.ResponseWriter, r *http.Request) {
	g, err := s.svc.Group(r.Context(), pathID(r, "id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, newGroup(g))
}
