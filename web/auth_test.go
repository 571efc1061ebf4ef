package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLogin(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)

		t.Run("FormShown", func(t *testing.T) {
			r := s.client().get("/login")
			wantStatus(t, "GET /login", r, http.StatusOK)
			wantBody(t, "login", r, `<html lang="nl">`, text("nl", "web.login.title"), `autocomplete="current-password"`)
		})

		t.Run("SuccessGoesToNext", func(t *testing.T) {
			c := s.client()
			r := c.get("/people?kind=staff")
			wantRedirect(t, "signed out", r, "/login?next="+url.QueryEscape("/people?kind=staff"))
			r = c.post("/login", url.Values{"email": {" Sam@Example.nl "}, "password": {testPassword}, "next": {"/people?kind=staff"}})
			wantRedirect(t, "login", r, "/people?kind=staff")
			r = c.get("/people?kind=staff")
			wantStatus(t, "directory", r, http.StatusOK)
		})

		t.Run("CookieIsSafe", func(t *testing.T) {
			c := s.client()
			r := c.post("/login", url.Values{"email": {s.staff.Email}, "password": {testPassword}})
			wantRedirect(t, "login", r, "/")
			got := r.Header.Get("Set-Cookie")
			for _, want := range []string{"biebplein_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
				if !strings.Contains(got, want) {
					t.Errorf("Set-Cookie = %q, lacks %q", got, want)
				}
			}
		})

		t.Run("NextMustBeLocal", func(t *testing.T) {
			for _, next := range []string{"//evil.example/x", "https://evil.example/", `/\evil.example`, "javascript:alert(1)", "/ok\r\nX: y"} {
				c := s.client()
				r := c.post("/login", url.Values{"email": {s.staff.Email}, "password": {testPassword}, "next": {next}})
				wantRedirect(t, "next="+next, r, "/")
			}
		})

		t.Run("WrongPasswordSameAsUnknownEmail", func(t *testing.T) {
			c := s.client()
			wrong := c.post("/login", url.Values{"email": {s.vol.Email}, "password": {"niet-het-goede"}})
			wantStatus(t, "wrong password", wrong, http.StatusUnauthorized)
			unknown := c.post("/login", url.Values{"email": {"niemand@example.nl"}, "password": {"niet-het-goede"}})
			wantStatus(t, "unknown e-mail", unknown, http.StatusUnauthorized)
			msg := text("nl", "error.sign_in_failed")
			wantBody(t, "wrong password", wrong, msg, `value="vera@example.nl"`)
			wantBody(t, "unknown e-mail", unknown, msg)
			notBody(t, "wrong password", wrong, "niet-het-goede")
		})

		t.Run("ThrottledAfterFiveFailures", func(t *testing.T) {
			c := s.client()
			for range 5 {
				r := c.post("/login", url.Values{"email": {s.admin.Email}, "password": {"fout-fout-fout"}})
				wantStatus(t, "failure", r, http.StatusUnauthorized)
			}
			r := c.post("/login", url.Values{"email": {s.admin.Email}, "password": {testPassword}})
			wantStatus(t, "sixth attempt", r, http.StatusTooManyRequests)
			wantBody(t, "throttled", r, text("nl", "error.too_many_attempts"))
		})

		t.Run("InvalidBytesAreNoError", func(t *testing.T) {
			r := s.client().postRaw("/login", "email=%FF%00&password=%FE")
			wantStatus(t, "invalid bytes", r, http.StatusUnauthorized)
		})

		t.Run("SignedInVisitorSkipsForm", func(t *testing.T) {
			c := s.signedIn(s.staff)
			wantRedirect(t, "GET /login", c.get("/login?next=/people"), "/people")
		})
	})
}

func TestLogout(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		c := s.signedIn(s.staff)
		r := c.post("/logout", nil)
		wantRedirect(t, "logout", r, "/login")
		r = c.get("/login")
		wantBody(t, "after logout", r, text("nl", "web.flash.signed_out"), `role="status"`)
		r = c.get("/login")
		notBody(t, "flash shown once", r, text("nl", "web.flash.signed_out"))
		wantRedirect(t, "home after logout", c.get("/"), "/login")
	})
}

func TestSetup(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newEmptySite(t, dialect)
		link, err := s.svc.SetupLink(context.Background())
		if err != nil || link == "" {
			t.Fatalf("SetupLink = %q, %v", link, err)
		}
		path := strings.TrimPrefix(link, s.URL)
		c := s.client()

		t.Run("FormShown", func(t *testing.T) {
			r := c.get(path)
			wantStatus(t, "setup form", r, http.StatusOK)
			wantBody(t, "setup form", r, text("nl", "web.setup.title"), `name="organisation_name"`)
		})

		t.Run("BadInputKept", func(t *testing.T) {
			r := c.post(path, url.Values{
				"organisation_name": {"Probiblio"}, "name": {""}, "email": {"geen-adres"},
				"password": {"kort"}, "password_repeat": {"anders"},
			})
			wantStatus(t, "bad setup", r, http.StatusBadRequest)
			wantBody(t, "bad setup", r,
				`value="Probiblio"`, `value="geen-adres"`,
				text("nl", "error.name_required"), text("nl", "error.email_invalid"),
				text("nl", "error.password_too_short"), text("nl", "error.password_mismatch"),
				`href="#setup-email"`, `aria-describedby="setup-email-error"`, `aria-invalid="true"`,
				"<title>"+text("nl", "web.layout.title_error"))
			notBody(t, "bad setup", r, `value="kort"`)
		})

		t.Run("Success", func(t *testing.T) {
			r := c.post(path, url.Values{
				"organisation_name": {"Probiblio"}, "name": {"Eerste Beheerder"}, "email": {"beheer@example.nl"},
				"password": {testPassword}, "password_repeat": {testPassword},
			})
			wantRedirect(t, "setup", r, "/welcome")
			r = c.get("/welcome")
			wantStatus(t, "welcome", r, http.StatusOK)
			wantBody(t, "welcome", r, "Eerste Beheerder", `href="/admin"`)
		})

		t.Run("LinkUsedUp", func(t *testing.T) {
			r := s.client().get(path)
			wantStatus(t, "used link", r, http.StatusNotFound)
			wantBody(t, "used link", r, text("nl", "error.invitation_invalid"))
			r = s.client().post(path, url.Values{"organisation_name": {"X"}, "name": {"Y"}, "email": {"y@example.nl"},
				"password": {testPassword}, "password_repeat": {testPassword}})
			wantStatus(t, "used link posted", r, http.StatusNotFound)
		})

		t.Run("UnknownToken", func(t *testing.T) {
			wantStatus(t, "unknown", s.client().get("/setup/onzin"), http.StatusNotFound)
			wantStatus(t, "bad bytes", s.client().get("/setup/%FF%00"), http.StatusNotFound)
		})
	})
}

func TestInvitation(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		admin := s.signedIn(s.admin)
		admin.get("/admin/people/new")

		t.Run("DuplicateEmailIsFieldError", func(t *testing.T) {
			r := admin.post("/admin/people", url.Values{
				"name": {"Nog een Sam"}, "email": {"SAM@example.nl"}, "organisation_id": {s.library.ID}, "kind": {"staff"},
			})
			wantStatus(t, "duplicate", r, http.StatusConflict)
			wantBody(t, "duplicate", r, `id="person-email-error"`, text("nl", "error.email_taken"), `value="Nog een Sam"`,
				`href="#person-email"`)
		})

		t.Run("BadInput", func(t *testing.T) {
			r := admin.post("/admin/people", url.Values{"name": {""}, "email": {""}, "kind": {"bestuurder"}})
			wantStatus(t, "bad invite", r, http.StatusBadRequest)
			wantBody(t, "bad invite", r, text("nl", "error.name_required"), text("nl", "error.email_required"),
				text("nl", "error.person_kind_invalid"), text("nl", "error.organisation_required"))
		})

		var path string
		t.Run("Invite", func(t *testing.T) {
			r := admin.post("/admin/people", url.Values{
				"name": {"Ilse Nieuw"}, "email": {"ilse@example.nl"}, "organisation_id": {s.branch.ID},
				"kind": {"volunteer"}, "function": {"VoorleesExpress"},
			})
			wantStatus(t, "invite", r, http.StatusCreated)
			m := regexpInviteLink.FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("no invitation link in:\n%s", excerpt(r.Body))
			}
			path = strings.TrimPrefix(m[1], s.URL)
		})

		c := s.client()
		t.Run("Shown", func(t *testing.T) {
			r := c.get(path)
			wantStatus(t, "invitation", r, http.StatusOK)
			wantBody(t, "invitation", r, "Ilse Nieuw", "Vestiging Duinen", "ilse@example.nl")
		})

		t.Run("Mismatch", func(t *testing.T) {
			r := c.post(path, url.Values{"password": {testPassword}, "password_repeat": {testPassword + "x"}})
			wantStatus(t, "mismatch", r, http.StatusBadRequest)
			wantBody(t, "mismatch", r, text("nl", "error.password_mismatch"), `id="invite-password-repeat-error"`)
		})

		t.Run("Accept", func(t *testing.T) {
			r := c.post(path, url.Values{"password": {testPassword}, "password_repeat": {testPassword}})
			wantRedirect(t, "accept", r, "/welcome")
			r = c.get("/welcome")
			wantStatus(t, "welcome", r, http.StatusOK)
			wantBody(t, "welcome", r, "Ilse Nieuw", `href="/profile"`, `href="/people"`)
			notBody(t, "welcome", r, `href="/admin"`)
		})

		t.Run("UsedLinkFails", func(t *testing.T) {
			r := s.client().get(path)
			wantStatus(t, "second visit", r, http.StatusNotFound)
			wantBody(t, "second visit", r, text("nl", "error.invitation_invalid"))
			r = s.client().post(path, url.Values{"password": {testPassword}, "password_repeat": {testPassword}})
			wantStatus(t, "second accept", r, http.StatusNotFound)
		})

		t.Run("SignInWithNewPassword", func(t *testing.T) {
			s.client().login("ilse@example.nl", testPassword)
		})
	})
}

func TestLanguage(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)

		t.Run("AcceptLanguageBeforeSignIn", func(t *testing.T) {
			c := s.client()
			c.lang = "en-GB,en;q=0.9"
			r := c.get("/login")
			wantBody(t, "english login", r, `<html lang="en">`, text("en", "web.login.intro"))
		})

		t.Run("SwitchRemembered", func(t *testing.T) {
			c := s.client()
			r := c.post("/language", url.Values{"lang": {"en"}, "next": {"/login"}})
			wantRedirect(t, "switch", r, "/login")
			r = c.get("/login")
			wantBody(t, "after switch", r, `<html lang="en">`, text("en", "web.login.intro"), `value="nl"`)
			r = c.post("/language", url.Values{"lang": {"xx"}})
			wantStatus(t, "bad language", r, http.StatusBadRequest)
		})

		t.Run("PersonLocaleAfterSignIn", func(t *testing.T) {
			c := s.signedIn(s.staff)
			c.get("/profile")
			r := c.post("/profile", url.Values{"name": {s.staff.Name}, "locale": {"en"}})
			wantRedirect(t, "save locale", r, "/profile")
			r = c.get("/profile")
			wantBody(t, "english profile", r, `<html lang="en">`, text("en", "web.flash.profile_saved"), text("en", "web.nav.people"))
			// The person's choice beats the browser's.
			c.lang = "nl"
			wantBody(t, "english home", c.get("/"), `<html lang="en">`)
		})
	})
}
