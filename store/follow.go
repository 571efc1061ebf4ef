package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

var _ biebplein.FollowStore = (*DB)(nil)

// Kinds of follow target, as stored in follows.target_kind.
const (
	followPerson = "person"
	followTopic  = "topic"
)

// SetFollow follows (on) or unfollows a person or a topic; doing it twice changes nothing.
// Topics are normalised (biebplein.NormalizeTag). Returns invalid for another kind of target
// or an empty one (error.follow_invalid), and not_found when following a person who does not
// exist.
func (db *DB) SetFollow(ctx context.Context, f biebplein.Follow, on bool) error {
	if f.TargetKind == followTopic {
		f.Target = biebplein.NormalizeTag(f.Target)
	}
	if (f.TargetKind != followPerson && f.TargetKind != followTopic) || f.Target == "" {
		return biebplein.Errorf(biebplein.CodeInvalid, "error.follow_invalid")
	}
	if !on {
		_, err := db.write().exec(ctx, "DELETE FROM follows WHERE person_id = ? AND target_kind = ? AND target = ?",
			f.PersonID, f.TargetKind, f.Target)
		return wrap("unfollow", err)
	}
	// A person target is a reference the schema cannot check (targets are people or topics),
	// so the insert checks it.
	res, err := db.write().exec(ctx, `INSERT INTO follows (person_id, target_kind, target, created_at)
		SELECT ?, ?, ?, ? WHERE ? <> 'person' OR EXISTS (SELECT 1 FROM people WHERE id = ?)
		ON CONFLICT DO NOTHING`,
		f.PersonID, f.TargetKind, f.Target, dbNow(), f.TargetKind, f.Target)
	if isForeignKey(err) {
		return errNotFound()
	}
	if err != nil {
		return wrap("follow", err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return wrap("follow", err)
	}
	// Nothing inserted: already followed, or a person who does not exist.
	var n int
	if err := db.read().queryRow(ctx, "SELECT count(*) FROM follows WHERE person_id = ? AND target_kind = ? AND target = ?",
		f.PersonID, f.TargetKind, f.Target).Scan(&n); err != nil {
		return wrap("follow", err)
	}
	if n == 0 {
		return errNotFound()
	}
	return nil
}

// FindFollows lists what a person follows: people, then topics, each in the order followed.
func (db *DB) FindFollows(ctx context.Context, personID string) ([]biebplein.Follow, error) {
	rows, err := db.read().query(ctx, `SELECT target_kind, target FROM follows WHERE person_id = ?
		ORDER BY target_kind, created_at, target`, personID)
	if err != nil {
		return nil, wrap("find follows", err)
	}
	defer rows.Close()
	var out []biebplein.Follow
	for rows.Next() {
		f := biebplein.Follow{PersonID: personID}
		if err := rows.Scan(&f.TargetKind, &f.Target); err != nil {
			return nil, wrap("scan follow", err)
		}
		out = append(out, f)
	}
	return out, wrap("find follows", rows.Err())
}

// SeenFeed records that a person opened a feed at the given time and returns when they did
// before (zero for never), for the "new since your last visit" marker.
func (db *DB) SeenFeed(ctx context.Context, personID, feed string, at time.Time) (time.Time, error) {
	var prev time.Time
	err := db.inTx(ctx, func(tx conn) error {
		err := tx.queryRow(ctx, "SELECT seen_at FROM feed_seen WHERE person_id = ? AND feed = ?"+tx.d.forUpdate(),
			personID, feed).Scan(utcTime{&prev})
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return wrap("find feed seen", err)
		}
		_, err = tx.exec(ctx, `INSERT INTO feed_seen (person_id, feed, seen_at) VALUES (?, ?, ?)
			ON CONFLICT (person_id, feed) DO UPDATE SET seen_at = excluded.seen_at`, personID, feed, at)
		if isForeignKey(err) {
			return errNotFound()
		}
		return wrap("set feed seen", err)
	})
	return prev, err
}
