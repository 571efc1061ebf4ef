package web

import (
	"bytes"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/service"
)

var (
	totpSecret   = regexp.MustCompile(`<dt>[^<]+</dt>\s*<dd><code class="copy">([A-Z2-7]+)</code></dd>`)
	recoveryCode = regexp.MustCompile(`<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>`)
)

// enrolOverHTTP sets up two-factor for the client's person through the pages and returns the
// recovery codes shown.
func enrolOverHTTP(t *testing.T, c *client) []string {
	t.Helper()
	wantStatus(t, "two-factor page", c.get("/profile/two-factor"), http.StatusOK)
	r := c.post("/profile/two-factor/start", nil)
	wantStatus(t, "start", r, http.StatusOK)
	wantBody(t, "start", r, "otpauth://totp/Biebplein:")
	m := totpSecret.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no secret on the page:\n%s", excerpt(r.Body))
	}
	wrong := c.post("/profile/two-factor/confirm", url.Values{"code": {"12345x"}})
	wantStatus(t, "wrong code", wrong, http.StatusBadRequest)
	wantBody(t, "wrong code", wrong, m[1], html.EscapeString(text("nl", "error.totp_code_wrong")))
	r = c.post("/profile/two-factor/confirm", url.Values{"code": {auth.TOTPCode(m[1], nowForTOTP())}})
	wantStatus(t, "confirm", r, http.StatusOK)
	codes := recoveryCode.FindAllStringSubmatch(r.Body, -1)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes on the page", len(codes))
	}
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("recovery codes page Cache-Control %q", got)
	}
	var out []string
	for _, c := range codes {
		out = append(out, c[1])
	}
	return out
}

func TestTwoFactorPages(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		sam := s.signedIn(s.staff) // stays signed in: enrolment ends no session
		codes := enrolOverHTTP(t, sam)

		t.Run("SignInAsksForTheCode", func(t *testing.T) {
			c := s.client()
			c.get("/login")
			r := c.post("/login", url.Values{"email": {s.staff.Email}, "password": {testPassword}, "next": {"/people"}})
			wantRedirect(t, "password", r, "/login/code?next=%2Fpeople")
			wantRedirect(t, "not signed in yet", c.get("/profile"), "/login?next=%2Fprofile")
			wantStatus(t, "code page", c.get("/login/code"), http.StatusOK)
			r = c.post("/login/code", url.Values{"code": {"000000"}, "next": {"/people"}})
			wantStatus(t, "wrong code", r, http.StatusUnauthorized)
			wantBody(t, "wrong code", r, `id="code-code-error"`)
			wantRedirect(t, "recovery code", c.post("/login/code", url.Values{"code": {codes[0]}, "next": {"/people"}}), "/people")
			wantStatus(t, "signed in", c.get("/profile"), http.StatusOK)
		})

		t.Run("NoPendingSignInGoesBack", func(t *testing.T) {
			wantRedirect(t, "get", s.client().get("/login/code"), "/login")
			wantRedirect(t, "post", s.client().post("/login/code", url.Values{"code": {"123456"}}), "/login")
		})

		t.Run("DisableNeedsPassword", func(t *testing.T) {
			c := sam
			r := c.post("/profile/two-factor/disable", url.Values{"current_password": {"fout"}})
			wantStatus(t, "wrong password", r, http.StatusBadRequest)
			wantRedirect(t, "disable", c.post("/profile/two-factor/disable", url.Values{"current_password": {testPassword}}), "/profile/two-factor")
			wantBody(t, "off", c.get("/profile/two-factor"), html.EscapeString(text("nl", "web.totp.off")))
		})
	})
}

// The QR code of a setup under way is a PNG of the signed-in person's own pending secret,
// never cached; with no setup under way there is none.
func TestTwoFactorQRCode(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		sam := s.signedIn(s.staff)
		const qr = "/profile/two-factor/qr.png"

		t.Run("NotFoundWithoutASetup", func(t *testing.T) {
			wantStatus(t, "nothing started", sam.get(qr), http.StatusNotFound)
		})

		t.Run("SignedOutGoesToLogin", func(t *testing.T) {
			wantRedirect(t, "signed out", s.client().get(qr), "/login?next=%2Fprofile%2Ftwo-factor%2Fqr.png")
		})

		t.Run("APNGOfThePendingSetup", func(t *testing.T) {
			r := sam.post("/profile/two-factor/start", nil)
			wantStatus(t, "start", r, http.StatusOK)
			wantBody(t, "start", r, `src="`+qr+`"`, `alt="`+text("nl", "web.totp.qr_alt")+`"`)
			if totpSecret.FindStringSubmatch(r.Body) == nil {
				t.Fatalf("the secret to type is gone from the page:\n%s", excerpt(r.Body))
			}
			img := sam.get(qr)
			wantStatus(t, "qr", img, http.StatusOK)
			if got := img.Header.Get("Content-Type"); got != "image/png" {
				t.Errorf("Content-Type = %q, want image/png", got)
			}
			if got := img.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			decoded, err := png.Decode(bytes.NewReader([]byte(img.Body)))
			if err != nil {
				t.Fatalf("the QR code is not a PNG: %v", err)
			}
			if b := decoded.Bounds(); b.Dx() != totpQRSize || b.Dy() != totpQRSize {
				t.Errorf("QR code %dx%d, want %dx%d", b.Dx(), b.Dy(), totpQRSize, totpQRSize)
			}
			// Another person has no setup of their own: nothing of Sam's is shown to them.
			wantStatus(t, "someone else", s.signedIn(s.vol).get(qr), http.StatusNotFound)
		})

		t.Run("NotFoundOnceConfirmed", func(t *testing.T) {
			c := s.signedIn(s.admin)
			enrolOverHTTP(t, c)
			wantStatus(t, "two-factor on", c.get(qr), http.StatusNotFound)
		})
	})
}

func TestTwoFactorRequiredForAdmins(t *testing.T) {
	s := newSite(t, "sqlite", func(o *service.Options) { o.RequireAdminTOTP = true })
	admin := s.signedInNoHome(s.admin)
	for _, p := range []string{"/", "/admin", "/admin/people", "/people"} {
		wantRedirect(t, p, admin.get(p), "/profile/two-factor")
	}
	wantStatus(t, "post", admin.post("/admin/organisations", url.Values{"name": {"x"}}), http.StatusForbidden)
	wantStatus(t, "staff is not held", s.signedIn(s.staff).get("/"), http.StatusOK)
	// The QR code is part of the setup the administrator is held at.
	wantStatus(t, "start", admin.post("/profile/two-factor/start", nil), http.StatusOK)
	wantStatus(t, "qr code", admin.get("/profile/two-factor/qr.png"), http.StatusOK)
	enrolOverHTTP(t, admin)
	// The session stays; the administrator goes on.
	wantStatus(t, "after enrolment", admin.get("/admin"), http.StatusOK)
	r := admin.get("/profile/two-factor")
	wantBody(t, "cannot turn off", r, html.EscapeString(text("nl", "web.totp.required_for_admins")))
}

// signedInNoHome signs in without the home page, which an administrator who must first set
// up two-factor does not get to; the form token comes from the two-factor page.
func (s *site) signedInNoHome(p *biebplein.Person) *client {
	s.t.Helper()
	c := s.client()
	if r := c.post("/login", url.Values{"email": {p.Email}, "password": {testPassword}}); r.Status != http.StatusSeeOther {
		s.t.Fatalf("login: %d", r.Status)
	}
	wantStatus(s.t, "two-factor page", c.get("/profile/two-factor"), http.StatusOK)
	return c
}

// nowForTOTP is the clock of the site's service (the real one).
func nowForTOTP() time.Time { return time.Now() }
