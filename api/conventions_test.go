package api

import (
	"database/sql"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/store/storetest"
)

func TestConventions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		t.Run("UnknownPathIsJSONNotFound", func(t *testing.T) {
			for _, path := range []string{"/api/v1/", "/api/v1/nothing", "/api/v1/me/extra", "/api/v1/people/x/y"} {
				e := wantError(t, f.get(t, path, f.bobToken), http.StatusNotFound, biebplein.CodeNotFound)
				if got, want := e.Message, f.bundle.T("nl", msgRouteNotFound); got != want {
					t.Fatalf("%s: message = %q, want %q", path, got, want)
				}
			}
			// Also without signing in.
			wantError(t, f.get(t, "/api/v1/nothing", ""), http.StatusNotFound, biebplein.CodeNotFound)
		})

		t.Run("WrongMethod", func(t *testing.T) {
			for _, tc := range []struct{ method, path, allow string }{
				{"PUT", "/api/v1/me", "GET, PATCH, HEAD"},
				{"DELETE", "/api/v1/people", "GET, POST, HEAD"},
				{"GET", "/api/v1/tokens/x", "DELETE"},
			} {
				res := f.do(t, req{method: tc.method, path: tc.path, token: f.bobToken})
				e := wantError(t, res, http.StatusMethodNotAllowed, biebplein.CodeInvalid)
				if got, want := e.Message, f.bundle.T("nl", "error.method_not_allowed"); got != want {
					t.Fatalf("message = %q, want %q", got, want)
				}
				if got := res.header.Get("Allow"); got != tc.allow {
					t.Fatalf("%s %s: Allow = %q, want %q", tc.method, tc.path, got, tc.allow)
				}
			}
		})

		t.Run("Headers", func(t *testing.T) {
			for _, res := range []*response{
				f.get(t, "/api/v1/me", f.bobToken),
				f.get(t, "/api/v1/me", ""),
				f.get(t, "/api/v1/nothing", ""),
				f.do(t, req{method: "PUT", path: "/api/v1/me"}),
			} {
				for k, want := range map[string]string{
					"Content-Type":           "application/json; charset=utf-8",
					"Cache-Control":          "no-store",
					"X-Content-Type-Options": "nosniff",
				} {
					if got := res.header.Get(k); got != want {
						t.Fatalf("status %d: %s = %q, want %q", res.status, k, got, want)
					}
				}
			}
		})

		t.Run("Languages", func(t *testing.T) {
			for _, tc := range []struct{ acceptLanguage, locale string }{
				{"", "nl"}, {"nl-NL", "nl"}, {"en-GB,en;q=0.9", "en"}, {"de", "nl"},
			} {
				res := f.do(t, req{method: "GET", path: "/api/v1/me", header: map[string]string{"Accept-Language": tc.acceptLanguage}})
				e := wantError(t, res, http.StatusUnauthorized, biebplein.CodeUnauthorized)
				if got, want := e.Message, f.bundle.T(tc.locale, "error.unauthorized"); got != want {
					t.Fatalf("Accept-Language %q: message = %q, want %q", tc.acceptLanguage, got, want)
				}
			}
			res := f.do(t, req{method: "POST", path: "/api/v1/tokens", body: `{"email": "x@y.nl"}`,
				header: map[string]string{"Accept-Language": "en"}})
			e := wantError(t, res, http.StatusBadRequest, biebplein.CodeInvalid)
			f.wantField(t, e, "name", "en", "error.token_name_required")
		})

		t.Run("PathIDsThatCannotBeIDs", func(t *testing.T) {
			for _, path := range []string{"/api/v1/people/%00", "/api/v1/people/%FF", "/api/v1/organisations/a%00b", "/api/v1/people/" + strings.Repeat("x", 300)} {
				wantError(t, f.get(t, path, f.bobToken), http.StatusNotFound, biebplein.CodeNotFound)
			}
			res := f.do(t, req{method: "DELETE", path: "/api/v1/tokens/%00", token: f.bobToken})
			wantError(t, res, http.StatusNotFound, biebplein.CodeNotFound)
		})

		t.Run("CraftedCursor", func(t *testing.T) {
			cursor := func(raw string) string { return base64.RawURLEncoding.EncodeToString([]byte(raw)) }
			for _, raw := range []string{`{"n":1,"i":"x"}`, `[]`, `{"n":"a"}`} {
				wantError(t, f.get(t, "/api/v1/people?cursor="+cursor(raw), f.bobToken), http.StatusBadRequest, biebplein.CodeInvalid)
			}
			// A well-formed cursor holding text no name has may be refused or simply match
			// nothing, but it must not break the query (PostgreSQL refuses NUL bytes).
			for _, raw := range []string{`{"n":"\u0000","i":"x"}`, `{"n":"a","i":"\u0000"}`} {
				if res := f.get(t, "/api/v1/people?cursor="+cursor(raw), f.bobToken); res.status != http.StatusOK {
					wantError(t, res, http.StatusBadRequest, biebplein.CodeInvalid)
				}
			}
		})
	})
}

// TestServerErrorsAreLoggedNotShown breaks the database under a running API: the caller gets
// a plain internal or unavailable error, the log gets the cause.
func TestServerErrorsAreLoggedNotShown(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		check := func(t *testing.T, status int, code, key, cause string) {
			t.Helper()
			res := f.do(t, req{method: "GET", path: "/api/v1/me", token: f.bobToken, header: map[string]string{"Accept-Language": "en"}})
			e := wantError(t, res, status, code)
			if got, want := e.Message, f.bundle.T("en", key); got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
			if body := strings.ToLower(string(res.body)); strings.Contains(body, "sql") || strings.Contains(body, cause) {
				t.Fatalf("answer leaks the cause: %s", res.body)
			}
			if logs := f.logs.String(); !strings.Contains(logs, "status="+strconv.Itoa(status)) || !strings.Contains(logs, cause) {
				t.Fatalf("log lacks the cause %q:\n%s", cause, logs)
			}
		}

		t.Run("Internal", func(t *testing.T) {
			// A schema the code does not expect is a bug, not an outage.
			raw := openRaw(t, f)
			if _, err := raw.ExecContext(t.Context(), "ALTER TABLE api_tokens RENAME TO api_tokens_gone"); err != nil {
				t.Fatal(err)
			}
			check(t, http.StatusInternalServerError, biebplein.CodeInternal, "error.internal", "api_tokens")
			if _, err := raw.ExecContext(t.Context(), "ALTER TABLE api_tokens_gone RENAME TO api_tokens"); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("Unavailable", func(t *testing.T) {
			if err := f.db.Close(); err != nil {
				t.Fatal(err)
			}
			check(t, http.StatusServiceUnavailable, biebplein.CodeUnavailable, "error.unavailable", "closed")
		})
	})
}

// openRaw opens the fixture's database with plain database/sql, behind the store's back.
func openRaw(t *testing.T, f *fixture) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", f.dsn
	if f.dialect == storetest.SQLite {
		driver, dsn = "sqlite", strings.TrimPrefix(f.dsn, "sqlite:")
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = raw.Close() })
	return raw
}

// TestMessageKeysExist checks that every message key named in this package's code is in the
// catalogues, so that no caller ever sees a bare key.
func TestMessageKeysExist(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"(error\.[a-z_]+)"`)
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			n++
			if !bundle.Has(m[1]) {
				t.Errorf("%s: key %q is not in the catalogues", name, m[1])
			}
		}
	}
	if n == 0 {
		t.Fatal("found no message keys: the pattern is wrong")
	}
}
