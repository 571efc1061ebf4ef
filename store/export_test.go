package store

import "database/sql"

// Pools exposes the connection pools to the tests of package store_test, which check the
// SQLite pragmas and write raw rows.
func (db *DB) Pools() (reader, writer *sql.DB) { return db.reader, db.writer }

// QueryCount returns how many statements the database was sent, for tests that check that a
// page costs a fixed number of queries.
func (db *DB) QueryCount() int64 { return db.queries.Load() }

// SearchBucketShift is searchBucketShift, for tests that place entries in buckets.
const SearchBucketShift = searchBucketShift
