package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// notificationRead marks one notification read (the form's id) or, without an id, all of the
// reader's notifications, and goes back to the list the button was on.
func (s *Server) notificationRead(w http.ResponseWriter, r *http.Request) {
	var f biebplein.ReadFilter
	if id := r.PostForm.Get("id"); id != "" {
		if len(id) > 200 || !biebplein.ValidText(id) {
			s.notFound(w, r)
			return
		}
		f.IDs = []string{id}
	}
	if err := s.svc.MarkNotificationsRead(r.Context(), f); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, back(r, "/notifications"))
}
