package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

// maxFormBytes limits the body of a form: far more than any form here needs.
const maxFormBytes = 1 << 20

// handle registers a route: logged under its pattern and signed in from the session cookie
// when there is one.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.mux.Handle(pattern, httpx.Route(httpx.CookieAuth(s.svc, s.authError, h)))
}

// member lets only signed-in people through; others are sent to sign in.
func (s *Server) member(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := biebplein.ActorFrom(r.Context())
		if a == nil {
			s.toLogin(w, r)
			return
		}
		if s.mustEnrol(w, r, a) {
			return
		}
		h(w, r)
	}
}

// mustEnrol sends an administrator without two-factor to its enrolment, before anything
// else, when the site requires it; it reports whether it did.
func (s *Server) mustEnrol(w http.ResponseWriter, r *http.Request, a *biebplein.Person) bool {
	if !s.svc.TOTPRequired(a) || strings.HasPrefix(r.URL.Path, "/profile/two-factor") || r.URL.Path == "/logout" {
		return false
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		s.setFlash(w, "web.totp.required")
		redirect(w, r, "/profile/two-factor")
		return true
	}
	s.renderError(w, r, http.StatusForbidden, "web.totp.required")
	return true
}

// admin lets only administrators through. Anyone else signed in gets the plain 404 page, so
// that the administration pages do not show that they exist; a signed-out visitor is sent
// to sign in like everywhere else.
func (s *Server) admin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := biebplein.ActorFrom(r.Context())
		if a == nil {
			s.toLogin(w, r)
			return
		}
		if !biebplein.IsAdmin(a) {
			s.notFound(w, r)
			return
		}
		if s.mustEnrol(w, r, a) {
			return
		}
		h(w, r)
	}
}

// form reads a posted form (at most maxFormBytes) and, when the visitor is signed in, checks
// the session's form token. Forms sent before signing in (sign in, set up, accept an
// invitation) rely on the app's cross-origin protection and SameSite cookies instead.
func (s *Server) form(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				s.renderError(w, r, http.StatusRequestEntityTooLarge, "error.too_large")
				return
			}
			s.renderError(w, r, http.StatusBadRequest, "error.bad_request")
			return
		}
		if sess := httpx.SessionFrom(r.Context()); sess != nil {
			got := r.PostForm.Get("csrf")
			if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) != 1 {
				s.renderError(w, r, http.StatusForbidden, "error.csrf")
				return
			}
		}
		h(w, r)
	}
}

// pathID returns a path value that may be looked up: valid text of sensible length. Anything
// else can name nothing, and the caller answers 404.
func pathID(r *http.Request, name string) (string, bool) {
	v := r.PathValue(name)
	if v == "" || len(v) > 200 || !biebplein.ValidText(v) {
		return "", false
	}
	return v, true
}
