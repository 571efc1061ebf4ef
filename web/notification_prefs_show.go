package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// noticePrefsForm has, for every kind of notification, a checkbox to show it in Biebplein
// (app_<kind>) and a choice of e-mail (mail_<kind>): the field names of the service's errors.
var noticePrefsForm = formSpec{ID: "notify", Fields: noticePrefsFields()}

func noticePrefsFields() []field {
	var mail []option
	for _, m := range biebplein.MailPrefs() {
		mail = append(mail, option{Value: string(m), Key: mailPrefKey(m)})
	}
	var out []field
	for _, k := range biebplein.NoticeKinds() {
		out = append(out,
			field{Name: appField(k), Label: "web.notify.prefs.app", Type: "checkbox"},
			field{Name: mailField(k), Label: "web.notify.prefs.mail", Type: "select", Options: mail})
	}
	return out
}

func appField(k biebplein.NoticeKind) string  { return "app_" + string(k) }
func mailField(k biebplein.NoticeKind) string { return "mail_" + string(k) }

type noticePrefsPage struct {
	base
	Form *Form
	Rows []noticePrefRow
}

// noticePrefRow is the fieldset of one kind.
type noticePrefRow struct {
	ID     string // of the fieldset's description
	Legend string // catalogue key
	Hint   string // catalogue key
	App    string // field names
	Mail   string
}

// noticePrefsShow shows the reader's choices for every kind of notification.
func (s *Server) noticePrefsShow(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.notify.prefs.title", "notifications")
	if r.URL.Query().Get("saved") == "1" {
		b.Flash = "web.notify.prefs.saved"
	}
	prefs, err := s.svc.NoticePrefs(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm(b.L, noticePrefsForm)
	for _, p := range prefs {
		f.SetChecked(appField(p.Kind), p.App)
		f.Set(mailField(p.Kind), string(p.Mail))
	}
	s.renderNoticePrefs(w, r, b, http.StatusOK, f)
}

// renderNoticePrefs draws the preferences page with the form f.
func (s *Server) renderNoticePrefs(w http.ResponseWriter, r *http.Request, b base, status int, f *Form) {
	p := noticePrefsPage{base: b, Form: f}
	for _, k := range biebplein.NoticeKinds() {
		p.Rows = append(p.Rows, noticePrefRow{ID: f.ID(string(k)) + "-hint", Legend: noticeKindKey(k), Hint: noticeHintKey(k),
			App: appField(k), Mail: mailField(k)})
	}
	p.HasErrors = f.HasErrors()
	s.render(w, r, status, "notification_prefs", p)
}
