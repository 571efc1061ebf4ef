package api

import "net/http"

// noticePrefsShow answers the caller's choice for every kind of notification:
// GET /api/v1/notifications/preferences.
func (s *Server) noticePrefsShow(w http.ResponseWriter, r *http.Request) {
	prefs, err := s.svc.NoticePrefs(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, newNoticePrefs(prefs))
}
