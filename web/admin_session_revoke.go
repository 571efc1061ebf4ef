package web

import "net/http"

// adminSessionRevoke ends one session of a person.
func (s *Server) adminSessionRevoke(w http.ResponseWriter, r *http.Request) {
	id, ok1 := pathID(r, "id")
	sid, ok2 := pathID(r, "sid")
	if !ok1 || !ok2 {
		s.notFound(w, r)
		return
	}
	if err := s.svc.RevokeSession(r.Context(), id, sid); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "web.flash.session_revoked")
	redirect(w, r, personAdminURL(id))
}
