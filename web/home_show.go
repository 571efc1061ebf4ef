package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type homePage struct {
	base
	Composer    *composer
	Feed        *feedView
	HasGroups   bool
	Suggestions []*biebplein.Group // groups to join, for people without groups
}

// homeShow shows the home feed with the composer; people without groups are welcomed with
// groups to join.
func (s *Server) homeShow(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.home.title", "home")
	s.renderHome(w, r, b, http.StatusOK, nil)
}

// renderHome draws the home page, with c as the composer (nil for an empty one).
func (s *Server) renderHome(w http.ResponseWriter, r *http.Request, b base, status int, c *composer) {
	ctx := r.Context()
	admins, groups, err := s.adminGroups(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := homePage{base: b, HasGroups: len(groups) > 0}
	p.Composer = c
	if c == nil {
		p.Composer = newComposer(&p.base, groups, admins, nil)
		if r.URL.Query().Get("kind") == string(biebplein.KindQuestion) { // links made before /questions/new
			p.Composer.Form.Set("kind", string(biebplein.KindQuestion))
			p.Composer.Asking = true
			p.Nav = "ask"
		}
	}
	since := sinceParam(r)
	if r.Method == http.MethodGet && cursor(r) == "" {
		if since, err = s.svc.SeenFeed(ctx, "home"); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if cursor(r) == "" {
		p.LiveFeed = string(biebplein.FeedHome)
	}
	if p.Feed, err = s.loadFeed(r, &p.base, biebplein.PostFilter{Feed: biebplein.FeedHome}, admins, since); err != nil {
		s.fail(w, r, err)
		return
	}
	if !p.HasGroups {
		if p.Suggestions, _, err = s.svc.Groups(ctx, biebplein.GroupFilter{Limit: 6}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p.HasErrors = p.Composer.Form.HasErrors()
	p.Mentions = p.Composer.HasGroups
	s.render(w, r, status, "home", p)
}
