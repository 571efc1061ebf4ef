package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestProfileEdit(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		c := s.signedIn(s.staff)
		c.get("/profile")

		valid := func() url.Values {
			return url.Values{
				"name": {"Sam Leesconsulent"}, "function": {"leesconsulent"}, "bio": {"Ik lees voor."},
				"expertise": {"Voorlezen, BoekStart"}, "interests": {"digiTaalhuis"}, "locale": {"nl"},
			}
		}

		for _, tc := range []struct {
			name, field, value, wantKey, wantID string
		}{
			{"EmptyName", "name", "   ", "error.name_required", "profile-name"},
			{"LongName", "name", strings.Repeat("a", 121), "error.name_too_long", "profile-name"},
			{"InvalidUTF8Name", "name", "Sam \xff\xfe", "error.text_invalid", "profile-name"},
			{"ControlCharacterFunction", "function", "lees\x00consulent", "error.text_invalid", "profile-function"},
			{"InvalidUTF8Expertise", "expertise", "voorlezen, \xffbad", "error.text_invalid", "profile-expertise"},
			{"LongBio", "bio", strings.Repeat("b", 2001), "error.bio_too_long", "profile-bio"},
			{"BadLocale", "locale", "de", "error.locale_invalid", "profile-locale"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				form := valid()
				form.Set(tc.field, tc.value)
				r := c.post("/profile", form)
				wantStatus(t, tc.name, r, http.StatusBadRequest)
				wantBody(t, tc.name, r, text("nl", tc.wantKey),
					`id="`+tc.wantID+`-error"`, `href="#`+tc.wantID+`"`, `aria-invalid="true"`,
					`aria-describedby="`+tc.wantID)
				if tc.field != "name" {
					wantBody(t, tc.name, r, `value="Sam Leesconsulent"`)
				}
			})
		}

		t.Run("Saved", func(t *testing.T) {
			r := c.post("/profile", valid())
			wantRedirect(t, "save", r, "/profile")
			r = c.get("/profile")
			wantBody(t, "saved", r, text("nl", "web.flash.profile_saved"), `value="voorlezen, boekstart"`, "Ik lees voor.")
			r = c.get("/people/" + s.staff.ID)
			wantBody(t, "profile", r, `href="/people?expertise=voorlezen"`, "leesconsulent")
		})

		t.Run("TooLarge", func(t *testing.T) {
			r := c.postRaw("/profile", "csrf="+c.csrf+"&bio="+strings.Repeat("x", 2<<20))
			wantStatus(t, "too large", r, http.StatusRequestEntityTooLarge)
		})
	})
}

func TestPasswordChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		other := s.signedIn(s.staff)
		c := s.signedIn(s.staff)
		c.get("/profile")
		newPassword := "een-nieuw-wachtwoord"

		t.Run("Mismatch", func(t *testing.T) {
			r := c.post("/profile/password", url.Values{"current_password": {testPassword}, "password": {newPassword}, "password_repeat": {"iets-anders-dan-dat"}})
			wantStatus(t, "mismatch", r, http.StatusBadRequest)
			wantBody(t, "mismatch", r, text("nl", "error.password_mismatch"), `id="password-password-repeat-error"`)
		})

		t.Run("WrongCurrent", func(t *testing.T) {
			r := c.post("/profile/password", url.Values{"current_password": {"fout-fout-fout"}, "password": {newPassword}, "password_repeat": {newPassword}})
			wantStatus(t, "wrong current", r, http.StatusBadRequest)
			wantBody(t, "wrong current", r, text("nl", "error.password_wrong"), `id="password-current-password-error"`)
		})

		t.Run("TooShort", func(t *testing.T) {
			r := c.post("/profile/password", url.Values{"current_password": {testPassword}, "password": {"kort"}, "password_repeat": {"kort"}})
			wantStatus(t, "too short", r, http.StatusBadRequest)
			wantBody(t, "too short", r, text("nl", "error.password_too_short"))
		})

		t.Run("Changed", func(t *testing.T) {
			r := c.post("/profile/password", url.Values{"current_password": {testPassword}, "password": {newPassword}, "password_repeat": {newPassword}})
			wantRedirect(t, "change", r, "/profile")
			wantBody(t, "flash", c.get("/profile"), text("nl", "web.flash.password_changed"))
			wantRedirect(t, "other session ended", other.get("/profile"), "/login?next=%2Fprofile")
			s.client().login(s.staff.Email, newPassword)
		})
	})
}

func TestSessionsAndTokens(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		phone := s.signedIn(s.vol)
		c := s.signedIn(s.vol)

		t.Run("List", func(t *testing.T) {
			r := c.get("/profile/sessions")
			wantStatus(t, "sessions", r, http.StatusOK)
			wantBody(t, "sessions", r, text("nl", "web.sessions.this_device"), "127.0.0.1", text("nl", "web.sessions.revoke_others"))
		})

		t.Run("RevokeOthers", func(t *testing.T) {
			r := c.post("/profile/sessions/revoke-others", nil)
			wantRedirect(t, "revoke others", r, "/profile/sessions")
			wantBody(t, "flash", c.get("/profile/sessions"), text("nl", "web.flash.sessions_revoked"))
			wantRedirect(t, "phone signed out", phone.get("/"), "/login")
		})

		t.Run("RevokeUnknown", func(t *testing.T) {
			wantStatus(t, "unknown session", c.post("/profile/sessions/onbekend/revoke", nil), http.StatusNotFound)
		})

		t.Run("RevokeOwnSignsOut", func(t *testing.T) {
			r := c.get("/profile/sessions")
			m := sessionRevoke.FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("no revoke button:\n%s", excerpt(r.Body))
			}
			r = c.post(m[1], nil)
			wantRedirect(t, "revoke own", r, "/login")
			wantRedirect(t, "signed out", c.get("/"), "/login")
		})

		t.Run("Tokens", func(t *testing.T) {
			c := s.signedIn(s.vol)
			r := c.get("/profile/tokens")
			wantStatus(t, "tokens", r, http.StatusOK)
			wantBody(t, "tokens", r, text("nl", "web.tokens.none"))
			r = c.post("/profile/tokens", url.Values{"name": {""}})
			wantStatus(t, "empty name", r, http.StatusBadRequest)
			wantBody(t, "empty name", r, text("nl", "error.token_name_required"), `id="token-name-error"`)
			r = c.post("/profile/tokens", url.Values{"name": {"rooster-app"}})
			wantStatus(t, "create", r, http.StatusCreated)
			m := tokenSecret.FindStringSubmatch(r.Body)
			if m == nil || len(m[1]) < 20 {
				t.Fatalf("no secret shown:\n%s", excerpt(r.Body))
			}
			if r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", r.Header.Get("Cache-Control"))
			}
			r = c.get("/profile/tokens")
			wantBody(t, "listed", r, "rooster-app")
			notBody(t, "secret shown once", r, m[1])
			rm := tokenRevoke.FindStringSubmatch(r.Body)
			if rm == nil {
				t.Fatalf("no revoke button")
			}
			wantRedirect(t, "revoke", c.post(rm[1], nil), "/profile/tokens")
			wantBody(t, "revoked", c.get("/profile/tokens"), text("nl", "web.flash.token_revoked"), text("nl", "web.tokens.none"))
		})
	})
}
