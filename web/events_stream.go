package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/live"
)

// eventsStream sends the live updates of an open page as server-sent events: the unread
// count, and new posts for the home feed (?feed=home) or a group (?feed=group&group=ID).
// Pages work without it; static/live.js uses it to update them without reloading.
func (s *Server) eventsStream(w http.ResponseWriter, r *http.Request) {
	sub, view, err := s.svc.OpenLive(r.Context(), biebplein.FeedKind(r.URL.Query().Get("feed")), r.URL.Query().Get("group"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer sub.Close()
	_ = live.Stream(r.Context(), w, sub, live.StreamOptions{First: view.First}, view.Render)
}
