package web

import (
	"net/http"
	"net/url"

	"github.com/biebplein/biebplein"
)

type feedPage struct {
	base
	Feed      *feedView
	Topic     string // the topic page's topic
	Following bool
}

// savedList shows the posts the reader saved, most recently saved first.
func (s *Server) savedList(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.saved.title", "saved")
	admins, _, err := s.adminGroups(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := feedPage{base: b}
	if p.Feed, err = s.loadFeed(r, &p.base, biebplein.PostFilter{Feed: biebplein.FeedSaved}, admins, sinceParam(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "saved", p)
}

// FollowTopic is the topic page's follow button.
func (p feedPage) FollowTopic() followView {
	return followView{base: &p.base, Action: "/topics/" + url.PathEscape(p.Topic) + "/follow", On: p.Following}
}
