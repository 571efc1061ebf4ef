package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type personPage struct {
	base
	Person *biebplein.Person
	Self   bool // the reader's own profile
}

// personShow shows a profile; people the reader may not see do not exist for them.
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
	s.render(w, r, http.StatusOK, "person", personPage{base: b, Person: p, Self: self})
}
