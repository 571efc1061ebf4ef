package store

import (
	"context"
	"strings"
	"time"
)

// RecordFailure adds a failed attempt for each key at the given time, in one statement.
func (db *DB) RecordFailure(ctx context.Context, keys []string, at time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	values := make([]string, 0, len(keys))
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		values = append(values, "(?, ?)")
		args = append(args, k, at)
	}
	return db.change(ctx, func(c conn) error {
		_, err := c.exec(ctx, "INSERT INTO login_failures (key, at) VALUES "+strings.Join(values, ", "), args...)
		return wrap("record failure", err)
	})
}

// CountFailures returns the number of failures for key at or after since.
func (db *DB) CountFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := db.read().queryRow(ctx, "SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?", key, since).Scan(&n)
	return n, wrap("count failures", err)
}

// ClearFailures forgets the failures of key (after a successful sign-in).
func (db *DB) ClearFailures(ctx context.Context, key string) error {
	_, err := db.write().exec(ctx, "DELETE FROM login_failures WHERE key = ?", key)
	return wrap("clear failures", err)
}

// PruneFailures removes failures older than before.
func (db *DB) PruneFailures(ctx context.Context, before time.Time) error {
	_, err := db.write().exec(ctx, "DELETE FROM login_failures WHERE at < ?", before)
	return wrap("prune failures", err)
}
