package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// Token creation is throttled per account and per address; the window passing lets the
// right password in again, and the audit log tells the administrator what happened.
func TestTokenThrottleAndAudit(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		create := func(ip, email, pw string) *response {
			return f.do(t, req{method: "POST", path: "/api/v1/tokens", header: map[string]string{"X-Forwarded-For": ip},
				body: map[string]string{"email": email, "password": pw, "name": "script"}})
		}

		t.Run("PerAccountThenRecovery", func(t *testing.T) {
			for i := range service.DefaultThrottle.PerAccount {
				wantError(t, create("198.51.100.20", f.carol.Email, "wrong "+string(rune('a'+i))), http.StatusUnauthorized, biebplein.CodeUnauthorized)
			}
			// Another address does not help: the account is throttled.
			wantError(t, create("198.51.100.21", f.carol.Email, password), http.StatusTooManyRequests, biebplein.CodeRateLimited)
			f.later(service.DefaultThrottle.Window + time.Minute)
			wantStatus(t, create("198.51.100.21", f.carol.Email, password), http.StatusCreated)
		})

		t.Run("PerAddressThenRecovery", func(t *testing.T) {
			for i := range service.DefaultThrottle.PerAddress {
				email := "niemand" + string(rune('a'+i)) + "@aanzee.nl"
				wantError(t, create("198.51.100.30", email, "wrong"), http.StatusUnauthorized, biebplein.CodeUnauthorized)
			}
			wantError(t, create("198.51.100.30", f.bob.Email, password), http.StatusTooManyRequests, biebplein.CodeRateLimited)
			f.later(service.DefaultThrottle.Window + time.Minute)
			wantStatus(t, create("198.51.100.30", f.bob.Email, password), http.StatusCreated)
		})

		t.Run("AuditLog", func(t *testing.T) {
			res := f.get(t, "/api/v1/audit?action=sign_in_throttled&limit=100", f.adminToken)
			got := decode[listBody[auditEventJSON]](t, res, http.StatusOK)
			var carol, address bool
			for _, e := range got.Items {
				if e.Action != "sign_in_throttled" {
					t.Fatalf("filter by action gave %q", e.Action)
				}
				carol = carol || (e.Target != nil && e.Target.ID == f.carol.ID && e.Target.Name == f.carol.Name && e.Details["limit"] == "account")
				address = address || (e.IP == "198.51.100.30" && e.Details["limit"] == "address")
			}
			if !carol || !address {
				t.Fatalf("throttled attempts in the log: %s", res.body)
			}
			all := f.get(t, "/api/v1/audit?limit=100&person_id="+f.carol.ID, f.adminToken)
			wantStatus(t, all, http.StatusOK)
			for _, secret := range []string{password, "wrong a", f.aliceToken, f.adminToken} {
				if strings.Contains(string(all.body), secret) {
					t.Fatalf("the audit log holds a secret: %s", all.body)
				}
			}
			if !strings.Contains(string(all.body), `"action":"sign_in"`) {
				t.Fatalf("carol's token after the window is not in the log: %s", all.body)
			}
		})

		t.Run("AdministratorsOnly", func(t *testing.T) {
			wantError(t, f.get(t, "/api/v1/audit", f.aliceToken), http.StatusNotFound, biebplein.CodeNotFound)
		})

		t.Run("BadQuery", func(t *testing.T) {
			for _, tc := range []struct{ query, field, key string }{
				{"action=drop", "action", "error.audit_action_invalid"},
				{"since=gisteren", "since", "error.api_time_invalid"},
				{"since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "until", "error.audit_period_invalid"},
				{"cursor=xyz", "", "error.cursor_invalid"},
			} {
				e := wantError(t, f.get(t, "/api/v1/audit?"+tc.query, f.adminToken), http.StatusBadRequest, biebplein.CodeInvalid)
				if tc.field != "" {
					f.wantField(t, e, tc.field, "nl", tc.key)
				} else if got, want := e.Message, f.bundle.T("nl", tc.key); got != want {
					t.Fatalf("%s: message %q, want %q", tc.query, got, want)
				}
			}
		})
	})
}
