package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// feedShow pages through the caller's home feed: posts of their groups, of people and topics
// they follow, and announcements for everyone, pinned ones first: GET /api/v1/feed.
func (s *Server) feedShow(w http.ResponseWriter, r *http.Request) {
	s.feed(w, r, biebplein.PostFilter{Feed: biebplein.FeedHome})
}
