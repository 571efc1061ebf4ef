package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// groupPostList pages through a group's posts, pinned announcements first, then newest first:
// GET /api/v1/groups/{id}/posts. A group the caller can see but not read (a closed group they
// are not a member of) has an empty list.
func (s *Server) groupPostList(w http.ResponseWriter, r *http.Request) {
	g, err := s.svc.Group(r.Context(), pathID(r, "id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.feed(w, r, biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: g.ID})
}
