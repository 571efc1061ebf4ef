package web

import (
	"net/http"

	"github.com/biebplein/biebplein/httpx"
)

// adminSessionRevokeAll ends every session of a person (but the administrator's own current
// one, when it is their own page).
func (s *Server) adminSessionRevokeAll(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	keep := ""
	if sess := httpx.SessionFrom(r.Context()); sess != nil && sess.PersonID == id {
		keep = sess.ID
	}
	if err := s.svc.RevokeSessions(r.Context(), id, keep); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "web.flash.sessions_revoked")
	redirect(w, r, personAdminURL(id))
}
