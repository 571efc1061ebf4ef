package web

import "net/http"

// postAccept marks the best answer of a question (the asker or a group admin).
func (s *Server) postAccept(w http.ResponseWriter, r *http.Request) {
	s.postAction(w, r, "web.flash.accepted", func(id string) error {
		_, err := s.svc.Accept(r.Context(), id, r.PostForm.Get("comment_id"))
		return err
	})
}
