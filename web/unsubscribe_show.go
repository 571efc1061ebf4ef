package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// The "stop these e-mails" link of every notification e-mail and digest. It works without
// signing in: the signed token in the path is the authorisation, and it stops one kind of
// e-mail and nothing else.

type unsubscribePage struct {
	base
	Heading string
	Text    string
	Email   string // masked: the page is reached without signing in
	Action  string
	Done    bool
}

// unsubscribeShow asks to confirm stopping the e-mail the link names.
func (s *Server) unsubscribeShow(w http.ResponseWriter, r *http.Request) {
	token, ok := pathID(r, "token")
	if !ok {
		s.notFound(w, r)
		return
	}
	u, err := s.svc.Unsubscription(r.Context(), token)
	if err != nil {
		s.unsubscribeFail(w, r, err)
		return
	}
	s.renderUnsubscribe(w, r, u, false)
}

// renderUnsubscribe draws the question, or (done) the confirmation.
func (s *Server) renderUnsubscribe(w http.ResponseWriter, r *http.Request, u *service.Unsubscription, done bool) {
	b := s.base(w, r, "web.unsubscribe.title_page", "")
	p := unsubscribePage{base: b, Email: maskEmail(u.Person.Email), Action: r.URL.Path, Done: done}
	about := b.T(noticeAboutKey(u.Kind))
	switch u.Digest {
	case biebplein.MailDaily:
		p.Heading, p.Text = b.T("web.unsubscribe.title_daily"), b.T("web.unsubscribe.intro_daily", p.Email)
	case biebplein.MailWeekly:
		p.Heading, p.Text = b.T("web.unsubscribe.title_weekly"), b.T("web.unsubscribe.intro_weekly", p.Email)
	default:
		p.Heading, p.Text = b.T("web.unsubscribe.title", about), b.T("web.unsubscribe.intro", about, p.Email)
	}
	if done {
		p.Heading = b.T("web.unsubscribe.done_title")
		switch u.Digest {
		case biebplein.MailDaily:
			p.Text = b.T("web.unsubscribe.done_daily")
		case biebplein.MailWeekly:
			p.Text = b.T("web.unsubscribe.done_weekly")
		default:
			p.Text = b.T("web.unsubscribe.done", about)
		}
	}
	p.Title = p.Heading
	s.render(w, r, http.StatusOK, "unsubscribe", p)
}

// unsubscribeFail answers a link that names nothing (forged, or its person is gone) with the
// plain 404 page, and anything else as any error.
func (s *Server) unsubscribeFail(w http.ResponseWriter, r *http.Request, err error) {
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		s.notFound(w, r)
		return
	}
	s.fail(w, r, err)
}
