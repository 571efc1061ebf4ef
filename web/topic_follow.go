package web

import (
	"net/http"
	"net/url"

	"github.com/biebplein/biebplein"
)

// topicFollow follows (on=1) or unfollows a topic.
func (s *Server) topicFollow(w http.ResponseWriter, r *http.Request) {
	topic, ok := pathID(r, "topic")
	if topic = biebplein.NormalizeTag(topic); !ok || topic == "" {
		s.notFound(w, r)
		return
	}
	if err := s.svc.Follow(r.Context(), "topic", topic, formOn(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	flash := "web.flash.unfollowed"
	if formOn(r) {
		flash = "web.flash.followed"
	}
	s.setFlash(w, flash)
	redirect(w, r, "/topics/"+url.PathEscape(topic))
}
