package api

import "net/http"

// postDelete deletes a post (its author, group admins, site administrators):
// DELETE /api/v1/posts/{id}.
func (s *Server) postDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.DeletePost(r.Context(), pathID(r, "id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
