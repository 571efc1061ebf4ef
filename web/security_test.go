package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/biebplein/biebplein/httpx"
)

func TestCSRF(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		c := s.signedIn(s.staff)
		for _, tc := range []struct{ name, token string }{{"Missing", ""}, {"Wrong", "niet-het-token"}} {
			t.Run(tc.name, func(t *testing.T) {
				form := url.Values{"name": {"Gekaapt"}, "locale": {"nl"}}
				if tc.token != "" {
					form.Set("csrf", tc.token)
				} else {
					form["csrf"] = nil
				}
				r := c.postRaw("/profile", form.Encode())
				wantStatus(t, tc.name, r, http.StatusForbidden)
				wantBody(t, tc.name, r, text("nl", "error.csrf"))
			})
		}
		t.Run("CrossOrigin", func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/login", strings.NewReader("email=a&password=b"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			r := s.client().do(req)
			wantStatus(t, "cross-site", r, http.StatusForbidden)
		})
		if got := s.client().get("/people"); got.Status != http.StatusSeeOther {
			t.Errorf("signed out /people: %d", got.Status)
		}
	})
}

func TestHeaders(t *testing.T) {
	s := newSite(t, "sqlite")
	c := s.client()

	t.Run("Security", func(t *testing.T) {
		r := c.get("/login")
		for name, want := range map[string]string{
			"Content-Security-Policy": httpx.ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "same-origin",
			"Cache-Control":           "no-store",
			"Content-Type":            "text/html; charset=utf-8",
		} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	})

	t.Run("NoInlineStyleOrScript", func(t *testing.T) {
		admin := s.signedIn(s.admin)
		for _, p := range append(adminPaths(s)[:7], "/", "/people", "/profile", "/profile/sessions", "/profile/tokens", "/people/"+s.vol.ID) {
			r := admin.get(p)
			for _, bad := range []string{"<style", " style=", " onclick=", " onload=", " onsubmit=", "javascript:"} {
				if strings.Contains(r.Body, bad) {
					t.Errorf("%s contains %q", p, bad)
				}
			}
			// Scripts come from the site's own files only.
			if strings.Count(r.Body, "<script") != strings.Count(r.Body, `<script src="/static/`) {
				t.Errorf("%s contains an inline script", p)
			}
		}
	})

	t.Run("Static", func(t *testing.T) {
		r := c.get("/login")
		m := regexpStylesheet.FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatal("no stylesheet link")
		}
		r = c.get(strings.ReplaceAll(m[1], "&amp;", "&"))
		wantStatus(t, "css", r, http.StatusOK)
		if got := r.Header.Get("Cache-Control"); !strings.Contains(got, "immutable") {
			t.Errorf("versioned Cache-Control = %q", got)
		}
		if got := r.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/css") {
			t.Errorf("Content-Type = %q", got)
		}
		r = c.get("/static/app.css")
		if got := r.Header.Get("Cache-Control"); got != "public, max-age=3600" {
			t.Errorf("plain Cache-Control = %q", got)
		}
		wantStatus(t, "missing", c.get("/static/nope.css"), http.StatusNotFound)
		wantStatus(t, "dir", c.get("/static/"), http.StatusNotFound)
	})
}

// TestNoInputGives500 sends odd bodies to every form; the client helper fails on any 5xx.
func TestNoInputGives500(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		c := s.signedIn(s.admin)
		c.get("/profile")
		id := s.vol.ID
		paths := []string{
			"/login", "/language", "/setup/x", "/invite/x", "/profile", "/profile/password", "/profile/tokens",
			"/profile/sessions/x/revoke", "/profile/tokens/x/revoke", "/admin/organisations",
			"/admin/organisations/" + s.branch.ID, "/admin/people", "/admin/people/" + id,
			"/admin/people/" + id + "/invitation", "/admin/people/" + id + "/sessions/x/revoke",
			"/password-reset", "/password-reset/x", "/login/code", "/profile/two-factor/confirm",
			"/profile/two-factor/disable",
		}
		bodies := []string{
			"", "%zz", "name=%FF%FE&email=%00&kind=%FF&organisation_id=%FF&parent_id=%00&function=%1B&bio=%FF" +
				"&expertise=%FF&interests=%00&locale=%FF&password=%FF&password_repeat=%FF&current_password=%00" +
				"&organisation_name=%FF&lang=%FF&next=%FF&status=%FF",
			"name=" + strings.Repeat("%E2%82%AC", 5000) + "&email=" + strings.Repeat("a", 400) + "@x.nl",
		}
		for _, p := range paths {
			for _, b := range bodies {
				c.postRaw(p, "csrf="+c.csrf+"&"+b)
			}
		}
		for _, p := range []string{"/people?q=%00&organisation=%FF&expertise=%FF&after=%FF", "/admin/people?status=%FF&after=x",
			"/people/%00", "/admin/people/%FF", "/admin/organisations/%00", "/invite/%FF", "/setup/%00"} {
			c.get(p)
		}
	})
}

func TestDatabaseDown(t *testing.T) {
	s := newSite(t, "sqlite")
	c := s.signedIn(s.staff)
	c.serverErrors = true
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/people", "/login"} {
		r := c.get(p)
		if r.Status != http.StatusInternalServerError && r.Status != http.StatusServiceUnavailable {
			t.Errorf("%s: status %d, want 500 or 503", p, r.Status)
		}
		wantBody(t, p, r, `<html lang="nl">`, "<h1")
		notBody(t, p, r, "sql", "database is closed", "goroutine")
	}
}
