package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

func TestMe(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		patch := func(t *testing.T, body any) *response {
			t.Helper()
			return f.do(t, req{method: "PATCH", path: "/api/v1/me", token: f.bobToken, body: body})
		}

		t.Run("Get", func(t *testing.T) {
			res := f.get(t, "/api/v1/me", f.aliceToken)
			me := decode[personJSON](t, res, http.StatusOK)
			want := personJSON{
				ID: f.alice.ID, Name: "Alice de Vries", Kind: "staff",
				Organisation: organisationRefJSON{ID: f.library.ID, Name: "Bibliotheek Aan Zee", Kind: "library"},
				Function:     "leesconsulent", Expertise: []string{"leesbevordering", "jeugd"}, Interests: []string{},
				Email: "alice@aanzee.nl", Locale: "nl",
			}
			if !samePerson(me, want) {
				t.Fatalf("me = %+v\nwant %+v", me, want)
			}
			if !strings.Contains(string(res.body), `"interests":[]`) {
				t.Fatalf("empty interests are not []: %s", res.body)
			}
		})

		t.Run("PatchChangesOnlyGivenFields", func(t *testing.T) {
			me := decode[personJSON](t, patch(t, map[string]any{
				"function": "  vrijwilliger   taalcafé ", "expertise": []string{"#Taal", "taal", "Digitale vaardigheden"},
			}), http.StatusOK)
			if got, want := me.Function, "vrijwilliger taalcafé"; got != want {
				t.Fatalf("function = %q, want %q", got, want)
			}
			if got, want := me.Expertise, []string{"taal", "digitale vaardigheden"}; !slices.Equal(got, want) {
				t.Fatalf("expertise = %q, want %q", got, want)
			}
			me = decode[personJSON](t, patch(t, `{"bio": "Ik help op dinsdag.", "interests": null}`), http.StatusOK)
			if me.Name != "Bob Jansen" || me.Function != "vrijwilliger taalcafé" || me.Bio != "Ik help op dinsdag." || len(me.Expertise) != 2 {
				t.Fatalf("after a second patch me = %+v, want earlier fields kept", me)
			}
			// And it is stored, not just answered.
			me = decode[personJSON](t, f.get(t, "/api/v1/me", f.bobToken), http.StatusOK)
			if me.Bio != "Ik help op dinsdag." || len(me.Expertise) != 2 {
				t.Fatalf("stored me = %+v", me)
			}
			me = decode[personJSON](t, patch(t, `{"expertise": []}`), http.StatusOK)
			if me.Expertise == nil || len(me.Expertise) != 0 {
				t.Fatalf("expertise = %#v, want []", me.Expertise)
			}
		})

		t.Run("UnknownField", func(t *testing.T) {
			e := wantError(t, patch(t, `{"name": "Bob", "nickname": "bobby"}`), http.StatusBadRequest, biebplein.CodeInvalid)
			f.wantField(t, e, "nickname", "nl", "error.json_unknown_field")
		})

		t.Run("InvalidUTF8", func(t *testing.T) {
			e := wantError(t, patch(t, []byte("{\"name\": \"Bob \xff\xfe\"}")), http.StatusBadRequest, biebplein.CodeInvalid)
			if got, want := e.Message, f.bundle.T("nl", msgJSONEncoding); got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
		})

		t.Run("NameTooLong", func(t *testing.T) {
			e := wantError(t, patch(t, map[string]string{"name": strings.Repeat("é", biebplein.MaxNameLen+1)}),
				http.StatusBadRequest, biebplein.CodeInvalid)
			f.wantField(t, e, "name", "nl", "error.name_too_long")
		})

		t.Run("ControlCharacters", func(t *testing.T) {
			e := wantError(t, patch(t, `{"function": "a\u0000b"}`), http.StatusBadRequest, biebplein.CodeInvalid)
			f.wantField(t, e, "function", "nl", "error.text_invalid")
		})

		t.Run("BodyTooLarge", func(t *testing.T) {
			body := `{"bio": "` + strings.Repeat("x", MaxBodyBytes) + `"}`
			wantError(t, patch(t, body), http.StatusRequestEntityTooLarge, biebplein.CodeTooLarge)
		})

		t.Run("TrailingGarbage", func(t *testing.T) {
			for _, body := range []string{`{"bio": "x"} garbage`, `{"bio": "x"}{"bio": "y"}`} {
				e := wantError(t, patch(t, body), http.StatusBadRequest, biebplein.CodeInvalid)
				if got, want := e.Message, f.bundle.T("nl", msgJSONTrailing); got != want {
					t.Fatalf("%s: message = %q, want %q", body, got, want)
				}
			}
		})

		t.Run("NotJSON", func(t *testing.T) {
			for _, body := range []string{``, `null`, `[]`, `"bio"`, `{"bio": "x"`, `{bio: "x"}`} {
				wantError(t, patch(t, body), http.StatusBadRequest, biebplein.CodeInvalid)
			}
		})

		t.Run("WrongTypes", func(t *testing.T) {
			for _, tc := range []struct{ body, field string }{
				{`{"name": 42}`, "name"},
				{`{"expertise": "taal"}`, "expertise"},
				{`{"interests": [1, 2]}`, "interests"},
				{`{"locale": {"nl": true}}`, "locale"},
			} {
				e := wantError(t, patch(t, tc.body), http.StatusBadRequest, biebplein.CodeInvalid)
				if _, ok := e.Fields[tc.field]; !ok {
					t.Fatalf("%s: fields = %v, want %q", tc.body, e.Fields, tc.field)
				}
			}
		})

		t.Run("WrongContentType", func(t *testing.T) {
			res := f.do(t, req{method: "PATCH", path: "/api/v1/me", token: f.bobToken, body: `{"bio": "x"}`,
				header: map[string]string{"Content-Type": "text/plain"}})
			wantError(t, res, http.StatusBadRequest, biebplein.CodeInvalid)
			res = f.do(t, req{method: "PATCH", path: "/api/v1/me", token: f.bobToken, body: `{"bio": "x"}`,
				header: map[string]string{"Content-Type": "application/json; charset=UTF-8"}})
			wantStatus(t, res, http.StatusOK)
		})

		t.Run("InvalidLocale", func(t *testing.T) {
			e := wantError(t, patch(t, `{"locale": "de"}`), http.StatusBadRequest, biebplein.CodeInvalid)
			f.wantField(t, e, "locale", "nl", "error.locale_invalid")
		})

		t.Run("MessagesInThePersonsLanguage", func(t *testing.T) {
			me := decode[personJSON](t, patch(t, `{"locale": "en"}`), http.StatusOK)
			if me.Locale != "en" {
				t.Fatalf("locale = %q, want en", me.Locale)
			}
			// Their own choice wins over the browser's.
			res := f.do(t, req{method: "PATCH", path: "/api/v1/me", token: f.bobToken, body: `{"name": ""}`,
				header: map[string]string{"Accept-Language": "nl"}})
			e := wantError(t, res, http.StatusBadRequest, biebplein.CodeInvalid)
			if got, want := e.Message, f.bundle.T("en", "error.invalid_input"); got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
			f.wantField(t, e, "name", "en", "error.name_required")
			e = wantError(t, f.get(t, "/api/v1/people/nobody", f.bobToken), http.StatusNotFound, biebplein.CodeNotFound)
			if got, want := e.Message, f.bundle.T("en", "error.not_found"); got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
			wantStatus(t, patch(t, `{"locale": "nl"}`), http.StatusOK)
		})

		t.Run("Cookie", func(t *testing.T) {
			cookie, csrf := f.mustSession(t, f.alice)
			withCookie := func(method, csrfHeader string) *response {
				h := map[string]string{"Cookie": httpx.SessionCookie + "=" + cookie}
				if csrfHeader != "" {
					h[CSRFHeader] = csrfHeader
				}
				var body any
				if method != "GET" {
					body = `{"bio": "Via de browser."}`
				}
				return f.do(t, req{method: method, path: "/api/v1/me", body: body, header: h})
			}
			me := decode[personJSON](t, withCookie("GET", ""), http.StatusOK)
			if me.ID != f.alice.ID {
				t.Fatalf("me.id = %q, want %q", me.ID, f.alice.ID)
			}
			e := wantError(t, withCookie("PATCH", ""), http.StatusForbidden, biebplein.CodeForbidden)
			if got, want := e.Message, f.bundle.T("nl", msgCSRFHeader); got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
			wantError(t, withCookie("PATCH", "wrong"), http.StatusForbidden, biebplein.CodeForbidden)
			me = decode[personJSON](t, withCookie("PATCH", csrf), http.StatusOK)
			if me.Bio != "Via de browser." {
				t.Fatalf("bio = %q", me.Bio)
			}
			// An unknown cookie is no sign-in.
			res := f.do(t, req{method: "GET", path: "/api/v1/me", header: map[string]string{"Cookie": httpx.SessionCookie + "=nonsense"}})
			wantError(t, res, http.StatusUnauthorized, biebplein.CodeUnauthorized)
		})
	})
}

// samePerson compares the fields of two persons.
func samePerson(a, b personJSON) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Kind == b.Kind && a.Admin == b.Admin &&
		a.Organisation == b.Organisation && a.Function == b.Function && a.Bio == b.Bio &&
		slices.Equal(a.Expertise, b.Expertise) && slices.Equal(a.Interests, b.Interests) &&
		a.Email == b.Email && a.Locale == b.Locale && a.Status == b.Status && a.InviteURL == b.InviteURL
}
