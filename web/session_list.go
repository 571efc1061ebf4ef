package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

type sessionsPage struct {
	base
	Sessions []*biebplein.Session
	Current  string // id of this browser's session
}

// sessionList shows where one is signed in, so that a forgotten session on a library
// computer can be ended.
func (s *Server) sessionList(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.sessions.title", "profile")
	sessions, err := s.svc.Sessions(r.Context(), b.Actor.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := sessionsPage{base: b, Sessions: sessions}
	if sess := httpx.SessionFrom(r.Context()); sess != nil {
		p.Current = sess.ID
	}
	s.render(w, r, http.StatusOK, "sessions", p)
}

// SessionURL is where the button to end one of the reader's own sessions posts.
func (sessionsPage) SessionURL(id string) string { return "/profile/sessions/" + id + "/revoke" }
