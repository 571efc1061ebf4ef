package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// languageSet remembers the language a signed-out visitor chose, for a year, and goes back to
// the page they were on. Signed-in people choose theirs on their profile.
func (s *Server) languageSet(w http.ResponseWriter, r *http.Request) {
	lang := r.PostForm.Get("lang")
	if !biebplein.ValidLocale(lang) {
		s.renderError(w, r, http.StatusBadRequest, "error.locale_invalid")
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
	redirect(w, r, safeNext(r.PostForm.Get("next")))
}
