package web

import "net/http"

// tokenRevoke deletes one of one's API keys.
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.svc.RevokeToken(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "web.flash.token_revoked")
	redirect(w, r, "/profile/tokens")
}
