package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/live"
)

// eventsStream sends live updates as server-sent events: GET /api/v1/events?feed=home or
// ?feed=group&group=ID. Events: "count" (unread notifications), "post" ({"post_id",
// "group_id"} of a new post for that feed), "refresh" (events were lost: fetch again).
func (s *Server) eventsStream(w http.ResponseWriter, r *http.Request) {
	sub, view, err := s.svc.OpenLive(r.Context(), biebplein.FeedKind(r.URL.Query().Get("feed")), r.URL.Query().Get("group"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer sub.Close()
	_ = live.Stream(r.Context(), w, sub, live.StreamOptions{First: view.First}, view.Render)
}
