package store

import "database/sql"

// Pools exposes the connection pools to the tests of package store_test, which check the
// SQLite pragmas and write raw rows.
func (db *DB) Pools() (reader, writer *sql.DB) { return db.reader, db.writer }
