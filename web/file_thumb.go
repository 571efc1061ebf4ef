package web

import "net/http"

// fileThumb sends the thumbnail of an attached image.
func (s *Server) fileThumb(w http.ResponseWriter, r *http.Request) {
	s.serveFile(w, r, true)
}
