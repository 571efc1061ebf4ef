package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/biebplein/biebplein"
)

// auditActionKey is the catalogue key naming an audited action.
func auditActionKey(a biebplein.AuditAction) string { return "web.audit.action." + string(a) }

var auditFilterForm = formSpec{ID: "audit", Fields: []field{
	{Name: "action", Label: "web.audit.action", Type: "select", Optional: true, Options: auditActionOptions()},
	{Name: "person", Label: "web.audit.person", Hint: "web.audit.person_hint", Type: "text", Optional: true},
	{Name: "from", Label: "web.audit.from", Type: "date", Optional: true},
	{Name: "to", Label: "web.audit.to", Type: "date", Optional: true},
}}

func auditActionOptions() []option {
	opts := []option{{Value: "", Key: "web.audit.any_action"}}
	for _, a := range biebplein.AuditActions {
		opts = append(opts, option{Value: string(a), Key: auditActionKey(a)})
	}
	return opts
}

// auditPage is the audit log for administrators.
type auditPage struct {
	base
	Form              *Form
	Events            []auditRow
	NextURL, FirstURL string
	RetentionDays     int // how long an event is kept; 0: not known, not said
}

// auditRow is one event as the page shows it.
type auditRow struct {
	*biebplein.AuditEvent
	ActionKey string
	Details   []string // "key: value", sorted
}

// adminAuditList shows the audit log, newest first, filtered by action, person and period
// (dates in the site's time zone, both days included).
func (s *Server) adminAuditList(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.audit.title", "admin")
	f := newForm(b.L, auditFilterForm).readQuery(r)
	p := auditPage{base: b, Form: f, RetentionDays: s.opts.AuditRetentionDays}
	f.CheckText("action", "person", "from", "to")
	filter := biebplein.AuditFilter{Action: biebplein.AuditAction(f.Get("action")), PersonID: strings.TrimSpace(f.Get("person")), Limit: s.pageSize}
	if filter.Action != "" && !filter.Action.Valid() {
		f.AddError("action", "error.audit_action_invalid")
	}
	if t := f.Time("from", s.zone, dateLayouts, false); t != nil {
		filter.Since = *t
	}
	if t := f.Time("to", s.zone, dateLayouts, false); t != nil {
		filter.Until = t.AddDate(0, 0, 1)
	}
	if !filter.Since.IsZero() && !filter.Until.IsZero() && !filter.Since.Before(filter.Until) {
		f.AddError("to", "error.audit_period_invalid")
	}
	if after := r.URL.Query().Get("after"); biebplein.ValidText(after) {
		filter.After = after
	}
	if f.OK() {
		events, next, err := s.svc.AuditLog(r.Context(), filter)
		if err != nil && !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		for _, e := range events {
			row := auditRow{AuditEvent: e, ActionKey: auditActionKey(e.Action)}
			for k, v := range e.Details {
				row.Details = append(row.Details, k+": "+v)
			}
			slices.Sort(row.Details)
			p.Events = append(p.Events, row)
		}
		q := r.URL.Query()
		q.Del("after")
		if filter.After != "" {
			p.FirstURL = r.URL.Path + "?" + q.Encode()
		}
		if next != "" {
			q.Set("after", next)
			p.NextURL = r.URL.Path + "?" + q.Encode()
		}
	}
	p.HasErrors = f.HasErrors()
	s.render(w, r, filterStatus(f), "admin_audit", p)
}
