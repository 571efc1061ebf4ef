package api

import "net/http"

// notificationReach answers how many people an announcement in the group would reach and how
// many of them would get an e-mail about it: GET /api/v1/groups/{id}/reach, for the group's
// admins (403 for others who can see the group, 404 for those who cannot).
func (s *Server) notificationReach(w http.ResponseWriter, r *http.Request) {
	reach, err := s.svc.AnnouncementReach(r.Context(), pathID(r, "id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, reachJSON{People: reach.People, Mailed: reach.Mailed})
}
