package web

import "net/http"

// postBookmark saves (on=1) or unsaves a post for the reader.
func (s *Server) postBookmark(w http.ResponseWriter, r *http.Request) {
	flash := "web.flash.unsaved"
	if formOn(r) {
		flash = "web.flash.saved"
	}
	s.postAction(w, r, flash, func(id string) error {
		return s.svc.Bookmark(r.Context(), id, formOn(r))
	})
}
