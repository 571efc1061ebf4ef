package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type notificationReadRequest struct {
	// IDs are the notifications to mark read; absent (or null) marks all, [] none.
	IDs []string `json:"ids"`
}

// notificationRead marks the caller's notifications read: POST /api/v1/notifications/read
// answers 204. Ids that are not the caller's, or already read, change nothing.
func (s *Server) notificationRead(w http.ResponseWriter, r *http.Request) {
	var req notificationReadRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.IDs != nil && len(req.IDs) == 0 {
		writeNoContent(w)
		return
	}
	if err := s.svc.MarkNotificationsRead(r.Context(), biebplein.ReadFilter{IDs: req.IDs}); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeNoContent(w)
}
