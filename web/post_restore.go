package web

import "net/http"

// postRestore brings back a deleted post (group and site admins).
func (s *Server) postRestore(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPost(w, r)
	if !ok {
		return
	}
	if err := s.svc.RestorePost(r.Context(), p.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "web.flash.post_restored")
	redirect(w, r, postURL(p.ID))
}
