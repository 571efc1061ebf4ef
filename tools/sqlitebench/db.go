package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	_ "github.com/mattn/go-sqlite3" // registers "sqlite3" (cgo)
	_ "modernc.org/sqlite"          // registers "sqlite" (pure Go)
)

// dsnOptions are the per-pool settings on top of the ones every connection gets (WAL,
// foreign_keys on, synchronous NORMAL).
type dsnOptions struct {
	busyTimeoutMS int
	immediate     bool // BEGIN IMMEDIATE for every transaction (the writer)
	queryOnly     bool // PRAGMA query_only (the readers)
}

// driverSpec says how to open one driver with the settings Biebplein uses in store/db.go.
type driverSpec struct {
	name    string // as printed and as given to -driver
	sqlName string // the database/sql driver name
	dsn     func(path string, o dsnOptions) string
}

// driverSpecs returns the drivers compared, the provisional choice first.
func driverSpecs() []driverSpec {
	return []driverSpec{
		{name: "modernc", sqlName: "sqlite", dsn: moderncDSN},
		{name: "mattn", sqlName: "sqlite3", dsn: mattnDSN},
	}
}

// moderncDSN is exactly what Biebplein's store builds: every pragma as a _pragma parameter.
func moderncDSN(path string, o dsnOptions) string {
	v := url.Values{}
	v.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", o.busyTimeoutMS))
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "foreign_keys(1)")
	v.Add("_pragma", "synchronous(NORMAL)")
	if o.immediate {
		v.Set("_txlock", "immediate")
	}
	if o.queryOnly {
		v.Add("_pragma", "query_only(1)")
	}
	return path + "?" + v.Encode()
}

// mattnDSN gives go-sqlite3 the same settings through its own parameter names.
func mattnDSN(path string, o dsnOptions) string {
	v := url.Values{}
	v.Set("_busy_timeout", fmt.Sprint(o.busyTimeoutMS))
	v.Set("_journal_mode", "WAL")
	v.Set("_foreign_keys", "1")
	v.Set("_synchronous", "NORMAL")
	if o.immediate {
		v.Set("_txlock", "immediate")
	}
	if o.queryOnly {
		v.Set("_query_only", "1")
	}
	return path + "?" + v.Encode()
}

// benchDB is one database file opened as Biebplein opens it: a pool of one writer connection
// and a separate pool of reader connections.
type benchDB struct {
	spec   driverSpec
	path   string
	writer *sql.DB
	reader *sql.DB
}

// openDB opens path with spec's driver: one writer connection, readers reader connections.
func openDB(spec driverSpec, path string, readers int) (*benchDB, error) {
	w, err := sql.Open(spec.sqlName, spec.dsn(path, dsnOptions{busyTimeoutMS: 5000, immediate: true}))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open(spec.sqlName, spec.dsn(path, dsnOptions{busyTimeoutMS: 5000, queryOnly: true}))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	r.SetConnMaxIdleTime(0)
	return &benchDB{spec: spec, path: path, writer: w, reader: r}, nil
}

// Close closes both pools.
func (db *benchDB) Close() error {
	return errors.Join(db.reader.Close(), db.writer.Close())
}

// schema resembles Biebplein's: the people and person_tags tables of migration 0001, and the
// posts table with its full-text index that the groups feature will need. Times are
// TIMESTAMP columns holding fixed-width UTC text, as in store/dialect.go. The FTS5 table
// indexes posts.body as external content, kept in step by triggers, so that every post
// insert pays for its index entry.
const schema = `
CREATE TABLE organisations (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE people (
    id              TEXT PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('staff', 'volunteer', 'partner')),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    function        TEXT NOT NULL DEFAULT '',
    bio             TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX people_organisation ON people (organisation_id);
CREATE TABLE person_tags (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('expertise', 'interest')),
    tag       TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (person_id, kind, tag)
);
CREATE INDEX person_tags_kind_tag ON person_tags (kind, tag, person_id);
CREATE TABLE posts (
    id         TEXT PRIMARY KEY,
    group_id   TEXT NOT NULL,
    author_id  TEXT NOT NULL REFERENCES people (id),
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX posts_group_created ON posts (group_id, created_at);
CREATE INDEX posts_author ON posts (author_id);
CREATE VIRTUAL TABLE posts_fts USING fts5 (body, content = 'posts', content_rowid = 'rowid');
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts (rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF body ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO posts_fts (rowid, body) VALUES (new.rowid, new.body);
END;
`

// createSchema creates the tables on the writer. A driver built without FTS5 fails here, with
// a hint for go-sqlite3, which leaves FTS5 out unless built with the sqlite_fts5 tag.
func (db *benchDB) createSchema(ctx context.Context) error {
	// One statement at a time: not every driver runs a multi-statement string in one Exec.
	for _, stmt := range splitStatements(schema) {
		if _, err := db.writer.ExecContext(ctx, stmt); err != nil {
			if strings.Contains(err.Error(), "no such module: fts5") {
				return fmt.Errorf("%s has no FTS5 (for go-sqlite3 build with -tags sqlite_fts5): %w", db.spec.name, err)
			}
			return fmt.Errorf("schema: %w\n%s", err, stmt)
		}
	}
	return nil
}

// splitStatements splits the schema on the semicolons that end statements, keeping the
// trigger bodies (BEGIN ... END;) whole.
func splitStatements(s string) []string {
	var out []string
	var cur strings.Builder
	inTrigger := false
	for line := range strings.Lines(s) {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		cur.WriteString(line)
		if strings.HasPrefix(t, "CREATE TRIGGER") {
			inTrigger = true
		}
		if (inTrigger && t == "END;") || (!inTrigger && strings.HasSuffix(t, ";")) {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
			inTrigger = false
		}
	}
	return out
}

// checkSettings reads back what the connections actually got, and proves that the writer's
// transactions take the write lock at BEGIN: while a writer transaction that has not written
// yet is open, a third connection with no busy timeout must fail to BEGIN IMMEDIATE.
func (db *benchDB) checkSettings(ctx context.Context) (string, error) {
	var version, journal string
	var fk, busy, syncMode, readerQueryOnly, readerFK, readerBusy int
	w := db.writer
	if err := w.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&version); err != nil {
		return "", err
	}
	for _, q := range []struct {
		sql  string
		dest any
		pool *sql.DB
	}{
		{"PRAGMA journal_mode", &journal, w},
		{"PRAGMA foreign_keys", &fk, w},
		{"PRAGMA busy_timeout", &busy, w},
		{"PRAGMA synchronous", &syncMode, w},
		{"PRAGMA query_only", &readerQueryOnly, db.reader},
		{"PRAGMA foreign_keys", &readerFK, db.reader},
		{"PRAGMA busy_timeout", &readerBusy, db.reader},
	} {
		if err := q.pool.QueryRowContext(ctx, q.sql).Scan(q.dest); err != nil {
			return "", fmt.Errorf("%s: %w", q.sql, err)
		}
	}
	if journal != "wal" || fk != 1 || busy != 5000 || syncMode != 1 || readerQueryOnly != 1 || readerFK != 1 || readerBusy != 5000 {
		return "", fmt.Errorf("%s: settings not applied: journal_mode=%s foreign_keys=%d busy_timeout=%d synchronous=%d; reader query_only=%d foreign_keys=%d busy_timeout=%d",
			db.spec.name, journal, fk, busy, syncMode, readerQueryOnly, readerFK, readerBusy)
	}

	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	probe, err := sql.Open(db.spec.sqlName, db.spec.dsn(db.path, dsnOptions{busyTimeoutMS: 0}))
	if err != nil {
		return "", err
	}
	defer probe.Close()
	conn, err := probe.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err == nil {
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		return "", fmt.Errorf("%s: the writer's BEGIN did not take the write lock: _txlock=immediate not applied", db.spec.name)
	}
	return fmt.Sprintf("SQLite %s; writer: journal_mode=%s foreign_keys=%d busy_timeout=%d synchronous=%d(NORMAL) BEGIN IMMEDIATE; readers: query_only=%d foreign_keys=%d busy_timeout=%d; FTS5 ok",
		version, journal, fk, busy, syncMode, readerQueryOnly, readerFK, readerBusy), nil
}

// checkFTS5 fails early, before any run, when a driver was built without FTS5.
func checkFTS5(ctx context.Context, spec driverSpec) error {
	db, err := sql.Open(spec.sqlName, ":memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE VIRTUAL TABLE t USING fts5 (body)"); err != nil {
		if strings.Contains(err.Error(), "no such module: fts5") {
			return fmt.Errorf("%s has no FTS5 (for go-sqlite3 build with -tags sqlite_fts5): %w", spec.name, err)
		}
		return fmt.Errorf("%s: %w", spec.name, err)
	}
	return nil
}
