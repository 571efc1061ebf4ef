package service

import (
	"context"

	"github.com/biebplein/biebplein"
)

// audited returns ctx carrying an audit event by the actor (if any), so that the store
// writes it in the transaction of the change made with that context.
func (s *Service) audited(ctx context.Context, action biebplein.AuditAction, targetID string, details map[string]string) context.Context {
	e := &biebplein.AuditEvent{At: s.now(), Action: action, TargetID: targetID, Details: details}
	if a := biebplein.ActorFrom(ctx); a != nil {
		e.ActorID = a.ID
	}
	return biebplein.WithAudit(ctx, e)
}

// AuditLog returns a page of the audit log (administrators only; others get not_found).
func (s *Service) AuditLog(ctx context.Context, f biebplein.AuditFilter) ([]*biebplein.AuditEvent, string, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, "", err
	}
	var v biebplein.Validation
	v.Check(f.Action == "" || f.Action.Valid(), "action", "error.audit_action_invalid")
	v.Check(f.Since.IsZero() || f.Until.IsZero() || f.Since.Before(f.Until), "until", "error.audit_period_invalid")
	v.Check(biebplein.ValidText(f.PersonID) && len(f.PersonID) <= 64, "person_id", "error.text_invalid")
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	return s.store.FindAuditEvents(ctx, f)
}
