package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
)

// resetLinkFor takes the reset link the outbox holds for p, as the mail would carry it.
func resetLinkFor(t *testing.T, s *site, p *biebplein.Person) string {
	t.Helper()
	now := time.Now()
	items, err := s.svc.Store().ClaimOutbox(t.Context(), "test", now.Add(time.Minute), now.Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Kind == biebplein.OutboxPasswordReset && it.PersonID == p.ID {
			return it.Payload
		}
	}
	t.Fatalf("no reset mail for %s in the outbox", p.Email)
	return ""
}

func TestPasswordReset(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)

		t.Run("LinkOnSignIn", func(t *testing.T) {
			r := s.client().get("/login")
			wantBody(t, "login", r, `href="/password-reset"`, html.EscapeString(text("nl", "web.login.forgot")))
			wantStatus(t, "form", s.client().get("/password-reset"), http.StatusOK)
		})

		t.Run("SameAnswerForAnyAddress", func(t *testing.T) {
			c := s.client()
			known := c.post("/password-reset", url.Values{"email": {s.vol.Email}})
			unknown := c.post("/password-reset", url.Values{"email": {"niemand@example.nl"}})
			wantStatus(t, "known", known, http.StatusOK)
			wantBody(t, "known", known, html.EscapeString(text("nl", "web.password_reset.sent")))
			if strip(known.Body) != strip(unknown.Body) {
				t.Fatalf("known and unknown addresses answer differently:\n%s\n---\n%s", excerpt(known.Body), excerpt(unknown.Body))
			}
		})

		t.Run("ErrMalformedAddress", func(t *testing.T) {
			r := s.client().post("/password-reset", url.Values{"email": {"geen adres"}})
			wantStatus(t, "malformed", r, http.StatusBadRequest)
			wantBody(t, "malformed", r, `id="reset-email-error"`, html.EscapeString(text("nl", "error.email_invalid")))
		})

		t.Run("NewPasswordThenSignIn", func(t *testing.T) {
			old := s.signedIn(s.staff)
			c := s.client()
			wantStatus(t, "request", c.post("/password-reset", url.Values{"email": {s.staff.Email}}), http.StatusOK)
			link := resetLinkFor(t, s, s.staff)
			path := strings.TrimPrefix(link, s.URL)
			wantStatus(t, "link", c.get(path), http.StatusOK)
			r := c.post(path, url.Values{"password": {"nieuw-wachtwoord-456"}, "password_repeat": {"anders-wachtwoord"}})
			wantStatus(t, "mismatch", r, http.StatusBadRequest)
			wantBody(t, "mismatch", r, html.EscapeString(text("nl", "error.password_mismatch")))
			wantRedirect(t, "save", c.post(path, url.Values{"password": {"nieuw-wachtwoord-456"}, "password_repeat": {"nieuw-wachtwoord-456"}}), "/login")
			wantBody(t, "flash", c.get("/login"), html.EscapeString(text("nl", "web.password_reset.done")))
			wantRedirect(t, "old session", old.get("/profile"), "/login?next=%2Fprofile")
			c.login(s.staff.Email, "nieuw-wachtwoord-456")
			r = s.client().get(path)
			wantStatus(t, "used link", r, http.StatusNotFound)
			wantBody(t, "used link", r, html.EscapeString(text("nl", "error.password_reset_invalid")))
		})

		t.Run("Throttled", func(t *testing.T) {
			c := s.client()
			var r *response
			for range 6 {
				r = c.post("/password-reset", url.Values{"email": {s.admin.Email}})
			}
			wantStatus(t, "sixth", r, http.StatusTooManyRequests)
			wantBody(t, "sixth", r, html.EscapeString(text("nl", "error.too_many_reset_requests")))
		})

		t.Run("UnknownLinkIs404", func(t *testing.T) {
			for _, p := range []string{"/password-reset/onbekend", "/password-reset/%FF"} {
				wantStatus(t, p, s.client().get(p), http.StatusNotFound)
			}
			wantStatus(t, "post", s.client().post("/password-reset/onbekend", url.Values{"password": {"x"}}), http.StatusNotFound)
		})
	})
}

// strip removes what differs between two renderings of one page anyway (form tokens).
func strip(body string) string {
	i := strings.Index(body, "<main")
	j := strings.Index(body, "</main>")
	if i < 0 || j < i {
		return body
	}
	return body[i:j]
}
