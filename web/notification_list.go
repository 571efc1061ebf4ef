package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

type notificationsPage struct {
	base
	Items      []*noticeView
	OnlyUnread bool
	FirstURL   string // the first page, when not on it
	NextURL    string // older notifications
	Here       string // this page, where the buttons come back to
}

// notificationList shows the reader's notifications, most recently changed first, all or
// only the unread ones.
func (s *Server) notificationList(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.notify.title", "notifications")
	p := notificationsPage{base: b, OnlyUnread: r.URL.Query().Get("unread") == "1", Here: r.URL.RequestURI()}
	after := cursor(r)
	list, next, err := s.svc.Notifications(r.Context(), biebplein.NotificationFilter{
		Unread: p.OnlyUnread, After: after, Limit: s.pageSize})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, n := range list {
		p.Items = append(p.Items, newNoticeView(&p.base, n))
	}
	p.FirstURL, p.NextURL = pageURLs(r, after, next)
	s.render(w, r, http.StatusOK, "notifications", p)
}
