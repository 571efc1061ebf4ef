package web

import (
	"net/http"
)

// postDelete deletes a post (its author, group admins, site admins); admins can restore it.
func (s *Server) postDelete(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPost(w, r)
	if !ok {
		return
	}
	if err := s.svc.DeletePost(r.Context(), p.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "web.flash.post_deleted")
	redirect(w, r, groupURL(p.Group.ID))
}
