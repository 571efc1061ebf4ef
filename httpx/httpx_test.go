package httpx

import (
	"net/http/httptest"
	"testing"

	"github.com/biebplein/biebplein"
)

func TestStatus(t *testing.T) {
	for code, want := range map[string]int{
		biebplein.CodeInvalid: 400, biebplein.CodeUnauthorized: 401, biebplein.CodeForbidden: 403,
		biebplein.CodeNotFound: 404, biebplein.CodeConflict: 409, biebplein.CodeTooLarge: 413,
		biebplein.CodeRateLimited: 429, biebplein.CodeUnavailable: 503, biebplein.CodeInternal: 500, "": 200,
	} {
		if got := Status(code); got != want {
			t.Errorf("Status(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestClientIP(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "192.0.2.7:5555"
	r.Header.Set("X-Forwarded-For", "203.0.113.9, 198.51.100.1")
	if got := ClientIP(r, false); got != "192.0.2.7" {
		t.Errorf("without trusted proxy = %q, want the peer", got)
	}
	if got := ClientIP(r, true); got != "198.51.100.1" {
		t.Errorf("behind a trusted proxy = %q, want the last hop", got)
	}
	r.Header.Set("X-Forwarded-For", "not an address")
	if got := ClientIP(r, true); got != "192.0.2.7" {
		t.Errorf("garbage X-Forwarded-For = %q, want the peer", got)
	}
}
