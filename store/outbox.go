package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// The outbox is a queue in a table: rows are written in the transaction of the change that
// causes the mail, so a mail is never sent for a change that was rolled back, nor lost for one
// that was committed. Workers (one per instance) claim due rows for a lease; on PostgreSQL
// with SKIP LOCKED, so that instances claiming at once take different rows, and a row whose
// lease ran out (its worker died) is claimed again.

// ClaimOutbox takes up to limit pending e-mails that are due at now and not claimed by a live
// lease, for worker until leaseUntil, counting the attempt. Oldest first.
func (db *DB) ClaimOutbox(ctx context.Context, worker string, now, leaseUntil time.Time, limit int) ([]*biebplein.OutboxItem, error) {
	var items []*biebplein.OutboxItem
	err := db.inTx(ctx, func(tx conn) error {
		rows, err := tx.query(ctx, `UPDATE outbox SET locked_by = ?, locked_until = ?, attempts = attempts + 1
			WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_at <= ?
				AND (locked_until IS NULL OR locked_until < ?) ORDER BY next_at, id LIMIT ?`+tx.d.skipLocked()+`)
			RETURNING id, kind, person_id, coalesce(notification_id, 0), coalesce(period, ''), payload, attempts, next_at, created_at`,
			worker, dbTime(leaseUntil), dbTime(now), dbTime(now), limit)
		if err != nil {
			return wrap("claim outbox", err)
		}
		defer rows.Close()
		for rows.Next() {
			var it biebplein.OutboxItem
			var id, notification int64
			if err := rows.Scan(&id, &it.Kind, &it.PersonID, &notification, &it.Period, &it.Payload, &it.Attempts,
				utcTime{&it.NextAt}, utcTime{&it.CreatedAt}); err != nil {
				return wrap("scan outbox", err)
			}
			it.ID = strconv.FormatInt(id, 10)
			if notification != 0 {
				it.NotificationID = strconv.FormatInt(notification, 10)
			}
			items = append(items, &it)
		}
		return wrap("claim outbox", rows.Err())
	})
	return items, err
}

// FinishOutbox records the end of an attempt to send a claimed e-mail: sent, dropped, failed
// (the payload, which may hold an invitation link, is emptied) or pending again at RetryAt.
// A digest that was sent or dropped moves the person's digest mark to the end of what it
// covered, in the same transaction. Returns not_found when worker no longer holds the item.
func (db *DB) FinishOutbox(ctx context.Context, worker string, item *biebplein.OutboxItem, r biebplein.OutboxResult, at time.Time) error {
	id, err := strconv.ParseInt(item.ID, 10, 64)
	if err != nil {
		return errNotFound()
	}
	return db.inTx(ctx, func(tx conn) error {
		if r.State == biebplein.OutboxPending {
			err = tx.execOne(ctx, `UPDATE outbox SET next_at = ?, last_error = ?, locked_by = NULL, locked_until = NULL
				WHERE id = ? AND locked_by = ? AND state = 'pending'`, dbTime(r.RetryAt), r.Error, id, worker)
			return wrap("retry outbox", err)
		}
		err = tx.execOne(ctx, `UPDATE outbox SET state = ?, done_at = ?, last_error = ?, payload = '',
				locked_by = NULL, locked_until = NULL
			WHERE id = ? AND locked_by = ? AND state = 'pending'`, string(r.State), dbTime(at), r.Error, id, worker)
		if err != nil {
			return wrap("finish outbox", err)
		}
		if item.Kind != biebplein.OutboxDigest || r.State == biebplein.OutboxFailed {
			return nil
		}
		_, err = tx.exec(ctx, `INSERT INTO digest_marks (person_id, period, sent_until) VALUES (?, ?, ?)
			ON CONFLICT (person_id, period) DO UPDATE SET sent_until = excluded.sent_until
			WHERE digest_marks.sent_until < excluded.sent_until`, item.PersonID, string(item.Period), dbTime(item.NextAt))
		return wrap("mark digest", err)
	})
}

// EnqueueDigests adds one digest of period, covering up to until, for every active person
// with unread notifications of kinds they want in that digest that changed after their last
// digest (or, for a first digest, after since). The dedupe key makes it idempotent, so every
// instance may call it for the same period.
func (db *DB) EnqueueDigests(ctx context.Context, period biebplein.MailPref, until time.Time) (int, error) {
	if !period.Digest() {
		return 0, biebplein.Errorf(biebplein.CodeInvalid, "error.invalid_input")
	}
	until = dbTime(until)
	since := until.Add(-period.Length())
	key := "digest:" + string(period) + ":" + until.Format(time.RFC3339) + ":"
	var n int64
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `INSERT INTO outbox (kind, person_id, period, dedupe_key, next_at, created_at)
			SELECT 'digest', x.person_id, ?, ? || x.person_id, ?, ? FROM (
				SELECT DISTINCT n.person_id FROM notifications n
				JOIN people p ON p.id = n.person_id
				LEFT JOIN digest_marks dm ON dm.person_id = n.person_id AND dm.period = ?
				WHERE n.read_at IS NULL AND n.updated_at <= ? AND n.updated_at > coalesce(dm.sent_until, ?)
					AND p.deactivated_at IS NULL AND `+mailPrefSQL("n.person_id", "n.kind")+` = ?) x
			WHERE TRUE ON CONFLICT (dedupe_key) DO NOTHING`,
			string(period), key, until, dbNow(), string(period), until, since, string(period))
		if err != nil {
			return wrap("enqueue digests", err)
		}
		n, err = res.RowsAffected()
		return wrap("enqueue digests", err)
	})
	return int(n), err
}

// DigestStart returns where the person's next digest of period starts: the end of their
// previous one, or zero before their first (which looks back period.Length()).
func (db *DB) DigestStart(ctx context.Context, personID string, period biebplein.MailPref) (time.Time, error) {
	var t time.Time
	err := db.read().queryRow(ctx, "SELECT sent_until FROM digest_marks WHERE person_id = ? AND period = ?",
		personID, string(period)).Scan(utcTime{&t})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return t, wrap("find digest mark", err)
}

// OutboxStats counts the outbox by state, with the creation time of the oldest pending mail.
func (db *DB) OutboxStats(ctx context.Context) (biebplein.OutboxStats, error) {
	var s biebplein.OutboxStats
	rows, err := db.read().query(ctx, "SELECT state, count(*) FROM outbox GROUP BY state")
	if err != nil {
		return s, wrap("count outbox", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return s, wrap("count outbox", err)
		}
		switch biebplein.OutboxState(state) {
		case biebplein.OutboxPending:
			s.Pending = n
		case biebplein.OutboxSent:
			s.Sent = n
		case biebplein.OutboxDropped:
			s.Dropped = n
		case biebplein.OutboxFailed:
			s.Failed = n
		}
	}
	if err := rows.Err(); err != nil {
		return s, wrap("count outbox", err)
	}
	err = db.read().queryRow(ctx, "SELECT min(created_at) FROM outbox WHERE state = 'pending'").Scan(nullTime{&s.OldestPending})
	return s, wrap("count outbox", err)
}

// writeInvitationMail queues the e-mail with an invitation's link, replacing a waiting one
// with an older link (which no longer works).
func writeInvitationMail(ctx context.Context, tx conn, inv *biebplein.Invitation) error {
	return writeLinkMail(ctx, tx, "invitation", inv.PersonID, inv.ID, inv.Link, inv.CreatedAt)
}

// writeLinkMail queues a mail of this kind that carries a link for one person (an invitation,
// a password reset), dropping a waiting mail of the same kind: its link no longer works.
func writeLinkMail(ctx context.Context, tx conn, kind, personID, id, link string, at time.Time) error {
	if _, err := tx.exec(ctx, `UPDATE outbox SET state = 'dropped', done_at = ?, payload = ''
		WHERE kind = ? AND person_id = ? AND state = 'pending'`, at, kind, personID); err != nil {
		return wrap("drop old "+kind+" mail", err)
	}
	_, err := tx.exec(ctx, `INSERT INTO outbox (kind, person_id, dedupe_key, payload, next_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, kind, personID, kind+":"+id, link, at, at)
	return wrap("write "+kind+" mail", err)
}

// SiteKey returns the site's secret key of this name, making it (from fresh, a random hex
// string) the first time; every instance then reads the same key. It is read on a reader:
// only the very first call writes.
func (db *DB) SiteKey(ctx context.Context, name, fresh string) (string, error) {
	var key string
	err := db.read().queryRow(ctx, "SELECT value FROM site_keys WHERE name = ?", name).Scan(&key)
	if err == nil {
		return key, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", wrap("find site key", err)
	}
	err = db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, "INSERT INTO site_keys (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, fresh); err != nil {
			return wrap("make site key", err)
		}
		return wrap("find site key", tx.queryRow(ctx, "SELECT value FROM site_keys WHERE name = ?", name).Scan(&key))
	})
	return key, err
}

// PruneNotifications removes what is no longer of use, so that nothing is kept longer than
// needed: notifications read before readBefore (with their actors) and outbox rows that were
// done before doneBefore (the text of mail is never stored; this drops who got what when).
func (db *DB) PruneNotifications(ctx context.Context, readBefore, doneBefore time.Time) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, "DELETE FROM outbox WHERE state <> 'pending' AND done_at < ?", dbTime(doneBefore))
		if err != nil {
			return wrap("prune outbox", err)
		}
		done, _ := res.RowsAffected()
		res, err = tx.exec(ctx, `DELETE FROM notifications WHERE read_at < ?
			AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.notification_id = notifications.id AND o.state = 'pending')`, dbTime(readBefore))
		if err != nil {
			return wrap("prune notifications", err)
		}
		read, _ := res.RowsAffected()
		n = done + read
		return nil
	})
	return int(n), err
}
