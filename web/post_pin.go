package web

import (
	"net/http"
	"time"

	"github.com/biebplein/biebplein"
)

// postPin pins an announcement on top of its feeds for the usual time (group admins).
func (s *Server) postPin(w http.ResponseWriter, r *http.Request) {
	s.postAction(w, r, "web.flash.pinned", func(id string) error {
		until := time.Now().Add(biebplein.DefaultPinnedDays * 24 * time.Hour)
		return s.svc.SetPinned(r.Context(), id, &until)
	})
}
