package web

import (
	"net/http"
	"strings"
)

// staticServe serves the embedded style sheet and images. A URL carrying the file's current
// hash (see staticURL) may be cached for a year; other requests for an hour.
func (s *Server) staticServe(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	hash, ok := s.staticHash[name]
	if !ok {
		s.notFound(w, r)
		return
	}
	h := w.Header()
	if r.URL.Query().Get("v") == hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=3600")
	}
	h.Set("ETag", `"`+hash+`"`)
	http.ServeFileFS(w, r, s.staticFS, name)
}
