package store

import (
	"context"
	"database/sql"
)

// Pools exposes the connection pools to the tests of package store_test, which check the
// SQLite pragmas and write raw rows.
func (db *DB) Pools() (reader, writer *sql.DB) { return db.reader, db.writer }

// QueryCount returns how many statements the database was sent, for tests that check that a
// page costs a fixed number of queries.
func (db *DB) QueryCount() int64 { return db.queries.Load() }

// SearchBucketShift is searchBucketShift, for tests that place entries in buckets.
const SearchBucketShift = searchBucketShift

// TermShare returns the share of search entries holding term by PostgreSQL's statistics
// (termShareCache), read anew; ok is false without statistics (and on SQLite).
func (db *DB) TermShare(ctx context.Context, term string) (share float64, ok bool, err error) {
	db.shares = &termShareCache{}
	s, err := db.shares.get(ctx, db.read())
	if s == nil || err != nil {
		return 0, false, err
	}
	return s.of(term), true, nil
}
