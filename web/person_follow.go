package web

import "net/http"

// personFollow follows (on=1) or unfollows a person: their posts come in the home feed.
func (s *Server) personFollow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.svc.Follow(r.Context(), "person", id, formOn(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	flash := "web.flash.unfollowed"
	if formOn(r) {
		flash = "web.flash.followed"
	}
	s.setFlash(w, flash)
	redirect(w, r, "/people/"+id)
}
