package api

import "net/http"

// postRead confirms that the caller has read an announcement; again changes nothing:
// POST /api/v1/posts/{id}/read answers 204.
func (s *Server) postRead(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.MarkRead(r.Context(), pathID(r, "id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
