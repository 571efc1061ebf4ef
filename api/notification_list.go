package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// notificationList pages through the caller's notifications about what they may still see,
// most recently changed first, with their unread count: GET /api/v1/notifications, with
// ?unread=true for the unread ones only.
func (s *Server) notificationList(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := q.page()
	f := biebplein.NotificationFilter{After: p.cursor, Limit: p.limit}
	switch q.text("unread") {
	case "", "false":
	case "true":
		f.Unread = true
	default:
		q.fail("unread", msgUnreadInvalid)
	}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	ctx := r.Context()
	list, next, err := s.svc.Notifications(ctx, f)
	if err != nil {
		s.writeError(w, r, onField(err, "cursor"))
		return
	}
	unread, err := s.svc.UnreadCount(ctx)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := notificationListJSON{Items: make([]notificationJSON, 0, len(list)), NextCursor: next, UnreadCount: unread}
	for _, n := range list {
		out.Items = append(out.Items, newNotification(n))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
