package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// postReact adds (on=1) or takes back a reaction of the reader.
func (s *Server) postReact(w http.ResponseWriter, r *http.Request) {
	s.postAction(w, r, "", func(id string) error {
		return s.svc.React(r.Context(), id, biebplein.ReactionKind(r.PostForm.Get("kind")), formOn(r))
	})
}
