package web

import (
	"net/http"
	"net/url"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

// errorPage is the page for any request that cannot be answered as asked.
type errorPage struct {
	base
	Status  int
	Message string // catalogue key
}

// errorTitles are the titles of the error pages by status.
var errorTitles = map[int]string{
	http.StatusBadRequest:            "web.error.title_400",
	http.StatusUnauthorized:          "web.error.title_401",
	http.StatusForbidden:             "web.error.title_403",
	http.StatusNotFound:              "web.error.title_404",
	http.StatusMethodNotAllowed:      "web.error.title_405",
	http.StatusConflict:              "web.error.title_409",
	http.StatusRequestEntityTooLarge: "web.error.title_413",
	http.StatusTooManyRequests:       "web.error.title_429",
	http.StatusInternalServerError:   "web.error.title_500",
	http.StatusServiceUnavailable:    "web.error.title_503",
}

// renderError shows the error page with a translated message.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, key string) {
	title, ok := errorTitles[status]
	if !ok {
		title = errorTitles[http.StatusInternalServerError]
	}
	s.render(w, r, status, "error", errorPage{base: s.base(w, r, title, ""), Status: status, Message: key})
}

// notFound shows the 404 page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "error.not_found")
}

// fail answers a domain error with its error page. Internal errors are logged with the
// request and shown only as the general message; a lost session sends the reader to sign in.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := biebplein.ErrorCode(err)
	switch code {
	case biebplein.CodeUnauthorized:
		s.toLogin(w, r)
		return
	case biebplein.CodeInternal:
		httpx.NoteError(r, err)
		s.renderError(w, r, http.StatusInternalServerError, "error.internal")
		return
	case biebplein.CodeUnavailable:
		httpx.NoteError(r, err)
		s.renderError(w, r, http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	s.renderError(w, r, httpx.Status(code), biebplein.ErrorMessage(err))
}

// authError answers when the session cannot be checked because the database fails.
func (s *Server) authError(w http.ResponseWriter, r *http.Request, err error) {
	httpx.NoteError(r, err)
	if httpx.Unavailable(err) {
		s.renderError(w, r, http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	s.renderError(w, r, http.StatusInternalServerError, "error.internal")
}

// toLogin sends a signed-out visitor to the sign-in page, coming back here afterwards when
// this was a page (a form sent while signed out cannot be replayed).
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	to := "/login"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if next := r.URL.RequestURI(); next != "/" && safeNext(next) == next {
			to += "?next=" + url.QueryEscape(next)
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// safeNext returns next when it is a path on this site, and "/" otherwise: it must start with
// a single slash (not "//" or "/\", which browsers read as another host) and hold no control
// characters.
func safeNext(next string) string {
	if len(next) == 0 || next[0] != '/' || len(next) > 2000 {
		return "/"
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
