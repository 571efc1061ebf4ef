package api

import "net/http"

// requestApprove makes a person who asked to join a member (group admins):
// POST /api/v1/groups/{id}/requests/{person_id}/approve. Refusing is DELETE on the member.
func (s *Server) requestApprove(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.ApproveRequest(r.Context(), pathID(r, "id"), pathID(r, "person_id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
