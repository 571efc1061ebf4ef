package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type reactorsPage struct {
	base
	PostID   string
	Kind     biebplein.ReactionKind
	Reactors []biebplein.PersonRef
}

// postReactors lists who reacted to a post with one kind of reaction.
func (s *Server) postReactors(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	kind := biebplein.ReactionKind(r.PathValue("kind"))
	people, err := s.svc.Reactors(r.Context(), id, kind)
	if err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeInvalid {
			s.notFound(w, r)
			return
		}
		s.fail(w, r, err)
		return
	}
	b := s.base(w, r, "web.reactors.title", "home")
	s.render(w, r, http.StatusOK, "reactors", reactorsPage{base: b, PostID: id, Kind: kind, Reactors: people})
}
