package web

import "net/http"

// postVote records or changes the reader's vote on a poll.
func (s *Server) postVote(w http.ResponseWriter, r *http.Request) {
	s.postAction(w, r, "web.flash.voted", func(id string) error {
		_, err := s.svc.Vote(r.Context(), id, r.PostForm["option_ids"])
		return err
	})
}
