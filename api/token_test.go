package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

func TestTokens(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		t.Run("CreateUseRevoke", func(t *testing.T) {
			created := decode[tokenCreated](t, f.do(t, req{method: "POST", path: "/api/v1/tokens",
				body: map[string]string{"email": "Alice@AanZee.nl", "password": password, "name": "script"}}), http.StatusCreated)
			if created.ID == "" || created.Token == "" {
				t.Fatalf("created = %+v, want an id and a token", created)
			}
			me := decode[personJSON](t, f.get(t, "/api/v1/me", created.Token), http.StatusOK)
			if got, want := me.ID, f.alice.ID; got != want {
				t.Fatalf("me.id = %q, want %q", got, want)
			}

			list := f.get(t, "/api/v1/tokens", created.Token)
			tokens := decode[listBody[tokenJSON]](t, list, http.StatusOK)
			var found *tokenJSON
			for i, tok := range tokens.Items {
				if tok.ID == created.ID {
					found = &tokens.Items[i]
				}
			}
			if found == nil || found.Name != "script" || !found.Current || found.LastUsedAt == nil {
				t.Fatalf("tokens = %+v, want %q named script, current and used", tokens.Items, created.ID)
			}
			if strings.Contains(string(list.body), created.Token) {
				t.Fatalf("token list shows the secret: %s", list.body)
			}

			res := f.do(t, req{method: "DELETE", path: "/api/v1/tokens/" + created.ID, token: created.Token})
			wantStatus(t, res, http.StatusNoContent)
			res = f.get(t, "/api/v1/me", created.Token)
			wantError(t, res, http.StatusUnauthorized, biebplein.CodeUnauthorized)
			if got := res.header.Get("WWW-Authenticate"); got != "Bearer" {
				t.Fatalf("WWW-Authenticate = %q, want Bearer", got)
			}
		})

		t.Run("RevokeSomeoneElsesIsNotFound", func(t *testing.T) {
			tokens := decode[listBody[tokenJSON]](t, f.get(t, "/api/v1/tokens", f.aliceToken), http.StatusOK)
			if len(tokens.Items) == 0 {
				t.Fatal("alice has no tokens")
			}
			aliceTokenID := tokens.Items[len(tokens.Items)-1].ID
			res := f.do(t, req{method: "DELETE", path: "/api/v1/tokens/" + aliceTokenID, token: f.bobToken})
			wantError(t, res, http.StatusNotFound, biebplein.CodeNotFound)
			wantStatus(t, f.get(t, "/api/v1/me", f.aliceToken), http.StatusOK)
			res = f.do(t, req{method: "DELETE", path: "/api/v1/tokens/nonexistent", token: f.bobToken})
			wantError(t, res, http.StatusNotFound, biebplein.CodeNotFound)
		})

		t.Run("NameRequired", func(t *testing.T) {
			res := f.do(t, req{method: "POST", path: "/api/v1/tokens",
				body: map[string]string{"email": f.alice.Email, "password": password}})
			e := wantError(t, res, http.StatusBadRequest, biebplein.CodeInvalid)
			f.wantField(t, e, "name", "nl", "error.token_name_required")
		})

		t.Run("UnknownEmailAndWrongPasswordLookAlike", func(t *testing.T) {
			// From addresses of their own, so that other subtests' failures do not count.
			unknown := f.do(t, req{method: "POST", path: "/api/v1/tokens", header: map[string]string{"X-Forwarded-For": "198.51.100.1"},
				body: map[string]string{"email": "nobody@aanzee.nl", "password": password, "name": "x"}})
			wrong := f.do(t, req{method: "POST", path: "/api/v1/tokens", header: map[string]string{"X-Forwarded-For": "198.51.100.2"},
				body: map[string]string{"email": f.bob.Email, "password": "not the password", "name": "x"}})
			wantError(t, unknown, http.StatusUnauthorized, biebplein.CodeUnauthorized)
			if got, want := string(wrong.body), string(unknown.body); wrong.status != unknown.status || got != want {
				t.Fatalf("wrong password = %d %s, unknown e-mail = %d %s; want the same", wrong.status, got, unknown.status, want)
			}
		})

		t.Run("ThrottledAfterFiveFailures", func(t *testing.T) {
			attempt := func(pw string) *response {
				return f.do(t, req{method: "POST", path: "/api/v1/tokens", header: map[string]string{"X-Forwarded-For": "198.51.100.3"},
					body: map[string]string{"email": f.carol.Email, "password": pw, "name": "x"}})
			}
			for i := range service.DefaultThrottle.PerAccount {
				if res := attempt("wrong password " + string(rune('a'+i))); res.status != http.StatusUnauthorized {
					t.Fatalf("attempt %d: status = %d, want 401; body: %s", i+1, res.status, res.body)
				}
			}
			// Even the right password is refused now.
			e := wantError(t, attempt(password), http.StatusTooManyRequests, biebplein.CodeRateLimited)
			if got, want := e.Message, f.bundle.T("nl", "error.too_many_attempts"); got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
		})

		t.Run("MissingOrInvalidCredentials", func(t *testing.T) {
			for _, tc := range []struct{ name, authorization string }{
				{"None", ""},
				{"UnknownToken", "Bearer not-a-token"},
				{"EmptyBearer", "Bearer "},
				{"OtherScheme", "Basic YWxpY2U6cGFzc3dvcmQ="},
			} {
				t.Run(tc.name, func(t *testing.T) {
					r := req{method: "GET", path: "/api/v1/me"}
					if tc.authorization != "" {
						r.header = map[string]string{"Authorization": tc.authorization}
					}
					res := f.do(t, r)
					wantError(t, res, http.StatusUnauthorized, biebplein.CodeUnauthorized)
					if got := res.header.Get("WWW-Authenticate"); got != "Bearer" {
						t.Fatalf("WWW-Authenticate = %q, want Bearer", got)
					}
				})
			}
		})

		t.Run("DeactivatedPersonsTokenStops", func(t *testing.T) {
			dave := f.mustPerson(t, biebplein.PersonInput{Name: "Dave Smit", Email: "dave@aanzee.nl",
				Kind: biebplein.KindStaff, OrganisationID: f.library.ID, Password: password})
			token := f.mustToken(t, dave)
			wantStatus(t, f.get(t, "/api/v1/me", token), http.StatusOK)
			if err := f.svc.SetActive(service.System(t.Context()), dave.ID, false); err != nil {
				t.Fatal(err)
			}
			wantError(t, f.get(t, "/api/v1/me", token), http.StatusUnauthorized, biebplein.CodeUnauthorized)
			// Nor can they make a new one.
			res := f.do(t, req{method: "POST", path: "/api/v1/tokens", header: map[string]string{"X-Forwarded-For": "198.51.100.4"},
				body: map[string]string{"email": dave.Email, "password": password, "name": "x"}})
			wantError(t, res, http.StatusUnauthorized, biebplein.CodeUnauthorized)
		})
	})
}
