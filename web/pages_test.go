package web

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/biebplein/biebplein"
)

var regexpStylesheet = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">`)

// TestEveryPageRenders opens every page as an administrator, a staff member and a volunteer,
// in both languages; the client fails the test on a missing catalogue key or a 5xx.
func TestEveryPageRenders(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		member := []string{"/", "/welcome", "/people", "/people?q=a&kind=staff", "/people/" + s.staff.ID,
			"/profile", "/profile/sessions", "/profile/tokens", "/profile/two-factor", "/bestaat-niet"}
		for _, lang := range []string{"nl", "en"} {
			for _, tc := range []struct {
				name   string
				person *biebplein.Person
			}{{"Admin", s.admin}, {"Staff", s.staff}, {"Volunteer", s.vol}} {
				t.Run(tc.name+"_"+lang, func(t *testing.T) {
					c := s.signedIn(tc.person)
					c.get("/profile")
					c.post("/profile", map[string][]string{"name": {tc.person.Name}, "locale": {lang}})
					for _, p := range member {
						r := c.get(p)
						want := http.StatusOK
						if p == "/bestaat-niet" {
							want = http.StatusNotFound
						}
						wantStatus(t, p, r, want)
						wantBody(t, p, r, `<html lang="`+lang+`">`, `<main id="main"`, `class="skip-link"`, "<h1")
					}
					admin := adminPaths(s)
					for _, p := range admin[:len(admin)-1] {
						r := c.get(p)
						want := http.StatusNotFound
						if tc.person.Admin {
							want = http.StatusOK
						}
						wantStatus(t, p, r, want)
					}
				})
			}
			t.Run("SignedOut_"+lang, func(t *testing.T) {
				c := s.client()
				c.lang = lang
				wantBody(t, "login", c.get("/login"), `<html lang="`+lang+`">`)
				wantStatus(t, "setup", c.get("/setup/x"), http.StatusNotFound)
				wantStatus(t, "invite", c.get("/invite/x"), http.StatusNotFound)
			})
		}
	})
}
