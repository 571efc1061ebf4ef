package api

import "net/http"

// bookmarkCreate saves a post for the caller (see GET /saved); again changes nothing:
// PUT /api/v1/posts/{id}/bookmark answers 204.
func (s *Server) bookmarkCreate(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Bookmark(r.Context(), pathID(r, "id"), true); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
