package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// savedList pages through the posts the caller saved, most recently saved first:
// GET /api/v1/saved. Posts they may no longer read drop out.
func (s *Server) savedList(w http.ResponseWriter, r *http.Request) {
	s.feed(w, r, biebplein.PostFilter{Feed: biebplein.FeedSaved})
}
