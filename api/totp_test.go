package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
)

// An account with two-factor on gets an API token only with totp_code; other accounts need
// no such field (adding it broke nothing).
func TestTokenWithTOTP(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		me := biebplein.NewContext(t.Context(), f.carol)
		e, err := f.svc.StartTOTP(me)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ConfirmTOTP(me, auth.TOTPCode(e.Secret, time.Now())); err != nil {
			t.Fatal(err)
		}
		f.later(time.Minute) // the next code is a new step
		create := func(body map[string]string) *response {
			return f.do(t, req{method: "POST", path: "/api/v1/tokens", header: map[string]string{"X-Forwarded-For": "198.51.100.40"}, body: body})
		}
		e1 := wantError(t, create(map[string]string{"email": f.carol.Email, "password": password, "name": "x"}), http.StatusUnauthorized, biebplein.CodeUnauthorized)
		f.wantField(t, e1, "code", "nl", "error.totp_required")
		wantError(t, create(map[string]string{"email": f.carol.Email, "password": password, "name": "x", "totp_code": "000000"}),
			http.StatusUnauthorized, biebplein.CodeUnauthorized)
		code := auth.TOTPCode(e.Secret, time.Now().Add(time.Minute))
		wantStatus(t, create(map[string]string{"email": f.carol.Email, "password": password, "name": "x", "totp_code": code}), http.StatusCreated)
		wantError(t, create(map[string]string{"email": f.carol.Email, "password": password, "name": "x", "totp_code": code}),
			http.StatusUnauthorized, biebplein.CodeUnauthorized) // the same code twice
		wantStatus(t, create(map[string]string{"email": f.bob.Email, "password": password, "name": "x", "totp_code": ""}), http.StatusCreated)
	})
}
