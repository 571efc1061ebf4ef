package api

import "net/http"

// memberDelete removes a member, a request or an invitation (group admins), or, for one's
// own id, leaves the group: DELETE /api/v1/groups/{id}/members/{person_id}.
func (s *Server) memberDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RemoveMember(r.Context(), pathID(r, "id"), pathID(r, "person_id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
