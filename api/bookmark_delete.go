package api

import "net/http"

// bookmarkDelete unsaves a post: DELETE /api/v1/posts/{id}/bookmark answers 204.
func (s *Server) bookmarkDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Bookmark(r.Context(), pathID(r, "id"), false); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
