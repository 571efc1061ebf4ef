package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type personPage struct {
	base
	Person    *biebplein.Person
	Self      bool // the reader's own profile
	Feed      *feedView
	Following bool
}

// personShow shows a profile with the person's posts that the reader may read; people the
// reader may not see do not exist for them.
func (s *Server) personShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	p, err := s.svc.Person(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := s.base(w, r, "web.person.title", "people")
	b.Title = p.Name
	self := b.Actor != nil && b.Actor.ID == p.ID
	page := personPage{base: b, Person: p, Self: self}
	admins, _, err := s.adminGroups(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Feed, err = s.loadFeed(r, &page.base, biebplein.PostFilter{Feed: biebplein.FeedPerson, AuthorID: p.ID}, admins, sinceParam(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Following, err = s.follows(r, "person", p.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "person", page)
}

// FollowPerson is the profile's follow button.
func (p personPage) FollowPerson() followView {
	return followView{base: &p.base, Action: "/people/" + p.Person.ID + "/follow", On: p.Following}
}
