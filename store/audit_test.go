package store_test

import (
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

func auditActions(events []*biebplein.AuditEvent) []biebplein.AuditAction {
	var out []biebplein.AuditAction
	for _, e := range events {
		out = append(out, e.Action)
	}
	return out
}

func TestAudit(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Run("RecordAndFindNewestFirst", func(t *testing.T) {
			f := newFixture(t, dialect)
			mustNil(t, f.db.RecordAudit(t.Context(),
				&biebplein.AuditEvent{At: t0, Action: biebplein.AuditSignInFailed, Email: "fatima@example.nl", IP: "192.0.2.7"},
				&biebplein.AuditEvent{At: t0.Add(time.Second), ActorID: f.person.ID, Action: biebplein.AuditSignIn,
					TargetID: f.person.ID, IP: "192.0.2.7"},
				&biebplein.AuditEvent{At: t0.Add(2 * time.Second), ActorID: f.person.ID, Action: biebplein.AuditOrganisationEdit,
					TargetID: f.library.ID, Details: map[string]string{"kind": "library"}}))
			got, next, err := f.db.FindAuditEvents(t.Context(), biebplein.AuditFilter{Limit: 10})
			mustNil(t, err)
			if next != "" || len(got) != 3 {
				t.Fatalf("got %d events, next %q; want 3 and the end", len(got), next)
			}
			e := got[0]
			if e.Action != biebplein.AuditOrganisationEdit || e.ActorName != f.person.Name || e.TargetName != f.library.Name ||
				e.Details["kind"] != "library" {
				t.Fatalf("newest event = %+v", e)
			}
			wantTime(t, "At", e.At, t0.Add(2*time.Second))
			if got[1].TargetName != f.person.Name || got[2].Email != "fatima@example.nl" || got[2].IP != "192.0.2.7" || got[2].ActorID != "" {
				t.Fatalf("older events = %+v, %+v", got[1], got[2])
			}
		})

		t.Run("FilterAndPages", func(t *testing.T) {
			f := newFixture(t, dialect)
			other := MustCreatePerson(t, f.db, newPerson(f.library, "Bram Visser", "bram@example.nl"))
			for i := range 5 {
				mustNil(t, f.db.RecordAudit(t.Context(), &biebplein.AuditEvent{At: t0.Add(time.Duration(i) * time.Minute),
					ActorID: f.person.ID, Action: biebplein.AuditSessionRevoked, TargetID: other.ID}))
			}
			mustNil(t, f.db.RecordAudit(t.Context(), &biebplein.AuditEvent{At: t0, Action: biebplein.AuditSignInFailed}))

			page1, next, err := f.db.FindAuditEvents(t.Context(), biebplein.AuditFilter{PersonID: other.ID, Limit: 3})
			mustNil(t, err)
			if len(page1) != 3 || next == "" {
				t.Fatalf("page 1: %d events, next %q", len(page1), next)
			}
			page2, next2, err := f.db.FindAuditEvents(t.Context(), biebplein.AuditFilter{PersonID: other.ID, Limit: 3, After: next})
			mustNil(t, err)
			if len(page2) != 2 || next2 != "" || !page2[0].At.Before(page1[2].At) {
				t.Fatalf("page 2: %d events, next %q", len(page2), next2)
			}
			got, _, err := f.db.FindAuditEvents(t.Context(), biebplein.AuditFilter{Action: biebplein.AuditSignInFailed})
			mustNil(t, err)
			if len(got) != 1 {
				t.Fatalf("action filter: %v", auditActions(got))
			}
			got, _, err = f.db.FindAuditEvents(t.Context(), biebplein.AuditFilter{
				Since: t0.Add(time.Minute), Until: t0.Add(3 * time.Minute)})
			mustNil(t, err)
			if len(got) != 2 {
				t.Fatalf("period filter: %d events, want 2", len(got))
			}
			_, _, err = f.db.FindAuditEvents(t.Context(), biebplein.AuditFilter{After: "not-a-cursor"})
			wantCode(t, err, biebplein.CodeInvalid, "error.cursor_invalid")
		})

		t.Run("WrittenWithTheChangeOrNotAtAll", func(t *testing.T) {
			f := newFixture(t, dialect)
			ev := &biebplein.AuditEvent{At: t0, ActorID: f.person.ID, Action: biebplein.AuditDeactivated, TargetID: f.person.ID}
			ctx := biebplein.WithAudit(t.Context(), ev)
			wantCode(t, f.db.SetDeactivated(ctx, "nobody", &t0), biebplein.CodeNotFound)
			got, _, err := f.db.FindAuditEvents(t.Context(), biebplein.AuditFilter{})
			mustNil(t, err)
			if len(got) != 0 {
				t.Fatalf("a failed change left %v", auditActions(got))
			}
			ev.ID = ""
			mustNil(t, f.db.SetDeactivated(ctx, f.person.ID, &t0))
			mustNil(t, f.db.SetPassword(biebplein.WithAudit(t.Context(),
				&biebplein.AuditEvent{At: t0.Add(time.Second), Action: biebplein.AuditPasswordChanged, TargetID: f.person.ID}), f.person.ID, "hash"))
			mustNil(t, f.db.DeleteSessions(biebplein.WithAudit(t.Context(),
				&biebplein.AuditEvent{At: t0.Add(2 * time.Second), Action: biebplein.AuditSessionsRevoked, TargetID: f.person.ID}), f.person.ID, ""))
			got, _, err = f.db.FindAuditEvents(t.Context(), biebplein.AuditFilter{})
			mustNil(t, err)
			want := []biebplein.AuditAction{biebplein.AuditSessionsRevoked, biebplein.AuditPasswordChanged, biebplein.AuditDeactivated}
			if g := auditActions(got); len(g) != 3 || g[0] != want[0] || g[1] != want[1] || g[2] != want[2] {
				t.Fatalf("recorded %v, want %v", g, want)
			}
		})

		t.Run("PruneKeepsTheRetention", func(t *testing.T) {
			f := newFixture(t, dialect)
			cutoff := t0.AddDate(0, 0, -30)
			mustNil(t, f.db.RecordAudit(t.Context(),
				&biebplein.AuditEvent{At: cutoff.Add(-24 * time.Hour), Action: biebplein.AuditSignInFailed},
				&biebplein.AuditEvent{At: cutoff.Add(-time.Second), Action: biebplein.AuditSignInThrottled},
				&biebplein.AuditEvent{At: cutoff, Action: biebplein.AuditSignIn},
				&biebplein.AuditEvent{At: t0, Action: biebplein.AuditPasswordChanged}))
			n, err := f.db.PruneAudit(t.Context(), cutoff)
			mustNil(t, err)
			if n != 2 {
				t.Errorf("pruned %d events, want the 2 before the cut-off", n)
			}
			got, _, err := f.db.FindAuditEvents(t.Context(), biebplein.AuditFilter{})
			mustNil(t, err)
			want := []biebplein.AuditAction{biebplein.AuditPasswordChanged, biebplein.AuditSignIn}
			if g := auditActions(got); len(g) != 2 || g[0] != want[0] || g[1] != want[1] {
				t.Fatalf("kept %v, want %v", g, want)
			}
			n, err = f.db.PruneAudit(t.Context(), cutoff)
			mustNil(t, err)
			if n != 0 {
				t.Errorf("a second prune removed %d events, want 0", n)
			}
		})
	})
}
