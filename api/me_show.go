package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// meShow answers the signed-in person, with their e-mail address and language:
// GET /api/v1/me.
func (s *Server) meShow(w http.ResponseWriter, r *http.Request) {
	me := biebplein.ActorFrom(r.Context())
	s.writeJSON(w, r, http.StatusOK, newMe(me))
}

// newMe renders the signed-in person for themselves.
func newMe(me *biebplein.Person) personJSON {
	out := newPerson(me, me)
	out.Locale = me.Locale
	return out
}
