package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// topicPostList pages through the posts with a topic that the caller may read, newest first:
// GET /api/v1/topics/{topic}/posts (the topic without #, any case).
func (s *Server) topicPostList(w http.ResponseWriter, r *http.Request) {
	topic := biebplein.NormalizeTag(pathID(r, "topic"))
	if topic == "" {
		s.writeError(w, r, errNotFound())
		return
	}
	s.feed(w, r, biebplein.PostFilter{Feed: biebplein.FeedTopic, Topic: topic})
}
