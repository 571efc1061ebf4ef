package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// RecordAudit stores events that come with no change of their own (a refused sign-in).
func (db *DB) RecordAudit(ctx context.Context, events ...*biebplein.AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	return db.inTx(biebplein.WithAudit(ctx, events...), func(conn) error { return nil }) // inTx writes them
}

// change runs fn, a change of one statement, on the writer; in a transaction when ctx carries
// audit events, so that they are written with it.
func (db *DB) change(ctx context.Context, fn func(c conn) error) error {
	if len(biebplein.AuditFrom(ctx)) == 0 {
		return fn(db.write())
	}
	return db.inTx(ctx, fn)
}

// writeAudit inserts the events of ctx in the transaction tx, in one statement, setting
// their IDs and times. inTx calls it for every transaction, so a change made with a context
// from biebplein.WithAudit is recorded with it or not at all.
func writeAudit(ctx context.Context, tx conn, events []*biebplein.AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	values := make([]string, 0, len(events))
	args := make([]any, 0, 8*len(events))
	for _, e := range events {
		if e.At.IsZero() {
			e.At = dbNow()
		}
		e.At = dbTime(e.At)
		if e.ID == "" {
			e.ID = biebplein.NewID(e.At)
		}
		details := "{}"
		if len(e.Details) > 0 {
			b, _ := json.Marshal(e.Details) // a map of strings always marshals
			details = string(b)
		}
		values = append(values, "(?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, e.ID, e.At, nullString(e.ActorID), string(e.Action), e.TargetID,
			storableText(e.Email), storableText(e.IP), details)
	}
	_, err := tx.exec(ctx, `INSERT INTO audit_events (id, at, actor_id, action, target_id, email, ip, details)
		VALUES `+strings.Join(values, ", "), args...)
	return wrap("write audit", err)
}

// FindAuditEvents returns a page of events newest first, with the names of actors and of
// targets that are people or organisations, and the cursor of the next page. Returns
// invalid (error.cursor_invalid) for a cursor this store did not hand out.
func (db *DB) FindAuditEvents(ctx context.Context, f biebplein.AuditFilter) ([]*biebplein.AuditEvent, string, error) {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	var where []string
	var args []any
	if f.Action != "" {
		where, args = append(where, "e.action = ?"), append(args, string(f.Action))
	}
	if f.PersonID != "" {
		where, args = append(where, "(e.actor_id = ? OR e.target_id = ?)"), append(args, f.PersonID, f.PersonID)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "e.at >= ?"), append(args, dbTime(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "e.at < ?"), append(args, dbTime(f.Until))
	}
	if f.After != "" {
		id, err := decodeAuditCursor(f.After)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "e.id < ?"), append(args, id)
	}
	rows, err := db.read().query(ctx, `SELECT e.id, e.at, coalesce(e.actor_id, ''), coalesce(a.name, ''), e.action,
			e.target_id, coalesce(tp.name, o.name, ''), e.email, e.ip, e.details
		FROM audit_events e
		LEFT JOIN people a ON a.id = e.actor_id
		LEFT JOIN people tp ON tp.id = e.target_id
		LEFT JOIN organisations o ON o.id = e.target_id`+whereClause(where)+`
		ORDER BY e.id DESC`+limitClause(f.Limit+1), args...)
	if err != nil {
		return nil, "", wrap("find audit events", err)
	}
	defer rows.Close()
	var out []*biebplein.AuditEvent
	for rows.Next() {
		var e biebplein.AuditEvent
		var details string
		if err := rows.Scan(&e.ID, utcTime{&e.At}, &e.ActorID, &e.ActorName, &e.Action, &e.TargetID, &e.TargetName,
			&e.Email, &e.IP, &details); err != nil {
			return nil, "", wrap("scan audit event", err)
		}
		if details != "{}" {
			_ = json.Unmarshal([]byte(details), &e.Details) // written by writeAudit only
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap("find audit events", err)
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		next = base64.RawURLEncoding.EncodeToString([]byte(out[f.Limit-1].ID))
	}
	return out, next, nil
}

func decodeAuditCursor(s string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 26 || storableText(string(b)) != string(b) {
		return "", biebplein.Errorf(biebplein.CodeInvalid, "error.cursor_invalid")
	}
	return string(b), nil
}

// PruneAudit removes the events that happened before before, for the retention of the log,
// and returns how many. It runs once an hour, so a scan of the table is affordable; the log
// is a few rows per sign-in, not per page.
func (db *DB) PruneAudit(ctx context.Context, before time.Time) (int, error) {
	res, err := db.write().exec(ctx, "DELETE FROM audit_events WHERE at < ?", dbTime(before))
	if err != nil {
		return 0, wrap("prune audit", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
