package web

import (
	"html"
	"net/http"
	"net/url"
	"testing"
)

func TestAdminAudit(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		// A failed sign-in, then the administrator deactivates the volunteer.
		wrong := s.client()
		wrong.get("/login")
		wrong.post("/login", url.Values{"email": {s.staff.Email}, "password": {"geheim-fout-123"}})
		c := s.signedIn(s.admin)
		c.get("/admin/people/" + s.vol.ID)
		c.post("/admin/people/"+s.vol.ID+"/deactivate", nil)

		t.Run("ListsEvents", func(t *testing.T) {
			r := c.get("/admin/audit")
			wantStatus(t, "audit", r, http.StatusOK)
			wantBody(t, "audit", r, html.EscapeString(text("nl", "web.audit.action.sign_in_failed")),
				html.EscapeString(text("nl", "web.audit.action.person_deactivated")), html.EscapeString(s.vol.Name))
			notBody(t, "audit", r, "geheim-fout-123")
			wantBody(t, "audit", r, text("nl", "web.audit.retention", 365))
		})

		t.Run("FilterByActionAndPerson", func(t *testing.T) {
			r := c.get("/admin/audit?action=person_deactivated&person=" + s.vol.ID)
			wantStatus(t, "filtered", r, http.StatusOK)
			wantBody(t, "filtered", r, html.EscapeString(s.vol.Name))
			notBody(t, "filtered", r, "<td>"+html.EscapeString(text("nl", "web.audit.action.sign_in_failed"))+"</td>")
			r = c.get("/admin/audit?from=2000-01-01&to=2000-01-31")
			wantBody(t, "old period", r, html.EscapeString(text("nl", "web.audit.empty")))
		})

		t.Run("BadFilterIs400", func(t *testing.T) {
			for _, q := range []string{"action=wissen", "from=gisteren", "to=%FF", "from=2026-12-02&to=2026-11-01", "after=%FF%FE"} {
				r := c.get("/admin/audit?" + q)
				if q == "after=%FF%FE" {
					wantStatus(t, q, r, http.StatusOK) // an unreadable cursor starts at the newest
					continue
				}
				wantStatus(t, q, r, http.StatusBadRequest)
			}
			r := c.get("/admin/audit?from=gisteren")
			wantBody(t, "date", r, html.EscapeString(text("nl", "error.date_invalid")))
			r = c.get("/admin/audit?from=2026-12-02&to=2026-11-01")
			wantBody(t, "period", r, `id="audit-to-error"`, html.EscapeString(text("nl", "error.audit_period_invalid")))
		})
	})
}
