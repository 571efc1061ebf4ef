package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// noticePrefsSave stores the reader's choices for every kind of notification. Whether each
// choice is valid, and that a kind not shown is not e-mailed either, is the service's rule.
func (s *Server) noticePrefsSave(w http.ResponseWriter, r *http.Request) {
	f := newForm(s.localizer(r), noticePrefsForm).read(r)
	var prefs []biebplein.NoticePref
	for _, k := range biebplein.NoticeKinds() {
		prefs = append(prefs, biebplein.NoticePref{Kind: k, App: f.Checked(appField(k)), Mail: biebplein.MailPref(f.Get(mailField(k)))})
	}
	err := s.svc.SaveNoticePrefs(r.Context(), prefs)
	if err == nil {
		redirect(w, r, "/settings/notifications?saved=1")
		return
	}
	if !f.Fail(err) {
		s.fail(w, r, err)
		return
	}
	s.renderNoticePrefs(w, r, s.base(w, r, "web.notify.prefs.title", "notifications"), formStatus(err), f)
}
