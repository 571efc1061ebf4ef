package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// topicShow shows the posts with a #topic, with a button to follow it.
func (s *Server) topicShow(w http.ResponseWriter, r *http.Request) {
	topic, ok := pathID(r, "topic")
	if topic = biebplein.NormalizeTag(topic); !ok || topic == "" {
		s.notFound(w, r)
		return
	}
	b := s.base(w, r, "web.topic.title", "home")
	b.Title = "#" + topic
	admins, _, err := s.adminGroups(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := feedPage{base: b, Topic: topic}
	if p.Feed, err = s.loadFeed(r, &p.base, biebplein.PostFilter{Feed: biebplein.FeedTopic, Topic: topic}, admins, sinceParam(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Following, err = s.follows(r, "topic", topic); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "topic", p)
}

// follows reports whether the reader follows a person or topic.
func (s *Server) follows(r *http.Request, kind, target string) (bool, error) {
	list, err := s.svc.Follows(r.Context())
	if err != nil {
		return false, err
	}
	for _, f := range list {
		if f.TargetKind == kind && f.Target == target {
			return true, nil
		}
	}
	return false, nil
}
