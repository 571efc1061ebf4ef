package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/search"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The dialect seam. Everything that differs between SQLite and PostgreSQL is decided in this
// file; the query code is written once, with ? placeholders, in SQL both databases accept.
//
// What differs, and how it is bridged:
//   - placeholders: ? is rebound to $1..$n for PostgreSQL (rebind);
//   - time values: SQLite has no time type, so times are written as fixed-width UTC text that
//     sorts and compares correctly as text; PostgreSQL gets time.Time for timestamptz (args).
//     Both scan back into UTC time.Time through utcTime and nullTime;
//   - constraint violations: each driver has its own error type (isUnique, isForeignKey);
//   - locking: PostgreSQL takes a transaction-scoped advisory lock where two instances could
//     race, and row locks (SELECT … FOR UPDATE) where a transaction reads what it is about to
//     change; SQLite needs neither because all writes go through one IMMEDIATE transaction at
//     a time (lock, forUpdate);
//   - text PostgreSQL cannot hold (NUL, invalid UTF-8) is made storable for both (args);
//   - catalogue queries and the migrations table DDL.
//
// Upserts need no switch: both accept INSERT … ON CONFLICT (…) DO NOTHING and DO UPDATE SET
// col = excluded.col. Nor do CTEs (WITH … AS MATERIALIZED), window functions and partial
// indexes. Where a join order matters, CROSS JOIN fixes it for SQLite while PostgreSQL plans
// it as any inner join (see post_find.go).
//
// Case-insensitive matching needs no switch: names are stored with a lower-cased key computed
// in Go (name_key, declared COLLATE "C" on PostgreSQL so that both sort byte-wise), e-mail
// addresses and tags are stored lower case, and patterns are lowered in Go before LIKE.

const (
	dialectSQLite   = "sqlite"
	dialectPostgres = "postgres"
)

// sqliteTimeFormat is how times are stored in SQLite: fixed width, so that text comparison in
// SQL (expires_at > ?) and ORDER BY agree with time order. modernc parses it back into a
// time.Time for columns declared TIMESTAMP.
const sqliteTimeFormat = "2006-01-02 15:04:05.000000"

// dialect holds what differs between the two databases. It is a value without state.
type dialect struct {
	name string
}

// rebind rewrites ? placeholders to $1..$n for PostgreSQL. The queries of this package never
// contain a ? inside a string literal or an operator, so a plain scan is enough.
func (d dialect) rebind(query string) string {
	if d.name != dialectPostgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// args converts query arguments to what the driver should store: times become UTC with
// microsecond precision (what both databases keep), and text for SQLite; text is made
// storable (see storableText).
func (d dialect) args(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			out[i] = storableText(v)
		case time.Time:
			out[i] = d.timeArg(v)
		case *time.Time:
			if v != nil {
				out[i] = d.timeArg(*v)
			}
		default:
			out[i] = a
		}
	}
	return out
}

// storableText returns s with NUL bytes and invalid UTF-8 replaced by U+FFFD. PostgreSQL
// rejects such text with an error where SQLite takes it, so without this an ID from a URL or
// a throttle key from a sign-in form with a %00 in it would be a 500 on one database and a
// miss on the other. Text the store keeps is validated by the domain (biebplein.ValidText)
// and never contains either, so the replaced text matches nothing it would not have matched.
func storableText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

func (d dialect) timeArg(t time.Time) any {
	t = dbTime(t)
	if d.name == dialectSQLite {
		return t.Format(sqliteTimeFormat)
	}
	return t
}

// dbTime is t as the database keeps it: UTC, microseconds, no monotonic clock reading.
// Values handed back to callers are passed through it so they equal what a later read returns.
func dbTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}

// lock serialises transactions that must not run side by side on two instances (migrations,
// first-time setup). The lock is released when tx ends.
func (d dialect) lock(ctx context.Context, tx conn, key int64) error {
	if d.name != dialectPostgres {
		return nil // every SQLite write transaction already holds the database's write lock
	}
	if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(?)", key); err != nil {
		return fmt.Errorf("store: advisory lock: %w", err)
	}
	return nil
}

// forUpdate returns the clause that locks the rows a SELECT reads until the transaction ends,
// so that transactions changing the same counters take turns. SQLite has no row locks and
// needs none: a write transaction holds the database's write lock from BEGIN IMMEDIATE.
func (d dialect) forUpdate() string {
	if d.name == dialectPostgres {
		return " FOR UPDATE"
	}
	return ""
}

// skipLocked returns the clause with which several instances claim rows of a queue without
// waiting for each other: rows another transaction has locked are passed over. SQLite has
// one writer at a time, so nothing is locked by anyone else while a claim runs.
func (d dialect) skipLocked() string {
	if d.name == dialectPostgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// tableExistsQuery returns a query counting the tables named by its one argument.
func (d dialect) tableExistsQuery() string {
	if d.name == dialectPostgres {
		return `SELECT count(*) FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_name = ?`
	}
	return `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
}

// migrationsTableDDL creates the table that records applied migrations.
func (d dialect) migrationsTableDDL() string {
	timeType := "TIMESTAMP"
	if d.name == dialectPostgres {
		timeType = "TIMESTAMPTZ"
	}
	return `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at ` + timeType + ` NOT NULL
	)`
}

// isUnique reports whether err is a violation of a unique or primary key constraint.
func isUnique(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// isForeignKey reports whether err is a violation of a foreign key constraint: a reference to
// a row that does not exist.
func isForeignKey(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// utcTime scans a time column into a UTC time.Time. pgx hands back timestamptz in the local
// zone; modernc hands back time.Time for TIMESTAMP columns, or the stored text where it cannot
// see the column's declared type (expressions, RETURNING).
type utcTime struct{ t *time.Time }

// Scan implements sql.Scanner.
func (s utcTime) Scan(v any) error {
	t, err := scanTime(v)
	if err != nil {
		return err
	}
	*s.t = t
	return nil
}

// nullTime scans a nullable time column into a *time.Time in UTC, nil for NULL.
type nullTime struct{ t **time.Time }

// Scan implements sql.Scanner.
func (s nullTime) Scan(v any) error {
	if v == nil {
		*s.t = nil
		return nil
	}
	t, err := scanTime(v)
	if err != nil {
		return err
	}
	*s.t = &t
	return nil
}

func scanTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), nil
	case string:
		return parseTime(x)
	case []byte:
		return parseTime(string(x))
	case nil:
		return time.Time{}, nil
	}
	return time.Time{}, fmt.Errorf("store: cannot scan %T into a time", v)
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{sqliteTimeFormat, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("store: cannot parse time %q", s)
}

// nullString stores "" as NULL, for optional references.
func nullString(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

// isUnavailable reports whether err means the database cannot be reached (down, restarting,
// closed, connection lost) rather than a bug in a query.
func isUnavailable(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P0x: the server is shutting down or starting.
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "conn closed") ||
		strings.Contains(msg, "unexpected EOF")
}

// forgetSamples removes what ANALYZE keeps beyond the per-index averages, where that hurts.
//
// SQLite (modernc is built with SQLITE_ENABLE_STAT4) keeps samples of index values in
// sqlite_stat4. With samples, a prepared statement whose plan could depend on a bound value
// is compiled again whenever that value changes, which is every execution of a feed query: a
// prepared feed page cost as much as an unprepared one. The feed queries fix their join
// order and walk the index they name, so the samples buy nothing; the averages in
// sqlite_stat1 stay. The samples go after every ANALYZE and when the database is opened.
func (d dialect) forgetSamples(ctx context.Context, c conn) error {
	if d.name != dialectSQLite {
		return nil
	}
	var n int
	if err := c.queryRow(ctx, d.tableExistsQuery(), "sqlite_stat4").Scan(&n); err != nil || n == 0 {
		return wrap("find index samples", err)
	}
	_, err := c.exec(ctx, "DELETE FROM sqlite_stat4")
	return wrap("forget index samples", err)
}

// Full-text search. The terms are made in Go (package search) for both databases; where they
// are kept differs. SQLite keeps them in contentless FTS5 tables whose rowid is the id of the
// search_docs row: search_fts for posts and comments, search_dir_fts for people and groups, so
// that a query for people never walks the matching posts. PostgreSQL keeps them as a tsvector
// in search_docs.terms with GIN indexes (one partial for people and groups).

// searchTable names the FTS5 table of a kind.
func searchTable(kind biebplein.SearchKind) string {
	if kind == biebplein.SearchPerson || kind == biebplein.SearchGroup {
		return "search_dir_fts"
	}
	return "search_fts"
}

// searchTermsColumn returns what an INSERT into search_docs adds for the terms: a column and
// its value on PostgreSQL, nothing on SQLite (writeSearchTerms puts them in FTS5).
func (d dialect) searchTermsColumn(doc search.Doc) (col, val string, args []any) {
	if d.name == dialectPostgres {
		return ", terms", ", CAST(? AS tsvector)", []any{doc.Vector()}
	}
	return "", "", nil
}

// updateSearchTerms returns the SET part and argument of an UPDATE of search_docs for the
// terms: PostgreSQL only.
func (d dialect) updateSearchTerms(doc search.Doc) (set string, args []any) {
	if d.name == dialectPostgres {
		return ", terms = CAST(? AS tsvector)", []any{doc.Vector()}
	}
	return "", nil
}

// writeSearchTerms stores the terms of the search_docs rows ids on SQLite (replacing what was
// there when replace is set; on PostgreSQL they went in with the row), and their words in
// search_words on both.
func (d dialect) writeSearchTerms(ctx context.Context, c conn, kind biebplein.SearchKind, ids []int64, docs []search.Doc, replace bool) error {
	if len(ids) == 0 {
		return nil
	}
	if d.name != dialectPostgres {
		table := searchTable(kind)
		if replace {
			if err := d.dropSearchTerms(ctx, c, kind, ids); err != nil {
				return err
			}
		}
		values := make([]string, len(ids))
		args := make([]any, 0, 3*len(ids))
		for i, id := range ids {
			values[i] = "(?, ?, ?)"
			args = append(args, id, docs[i].Stems, docs[i].Words)
		}
		if _, err := c.exec(ctx, "INSERT INTO "+table+" (rowid, stems, words) VALUES "+strings.Join(values, ", "), args...); err != nil {
			return wrap("index terms", err)
		}
	}
	return addSearchWords(ctx, c, docs)
}

// addSearchWords adds the words of docs to search_words, each once.
func addSearchWords(ctx context.Context, c conn, docs []search.Doc) error {
	seen := map[string]bool{}
	var words []any
	for _, doc := range docs {
		for w := range strings.FieldsSeq(doc.Words) {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	for start := 0; start < len(words); start += sqliteRowsPerInsert {
		batch := words[start:min(start+sqliteRowsPerInsert, len(words))]
		values := strings.TrimSuffix(strings.Repeat("(?), ", len(batch)), ", ")
		if _, err := c.exec(ctx, "INSERT INTO search_words (word) VALUES "+values+" ON CONFLICT DO NOTHING", batch...); err != nil {
			return wrap("index words", err)
		}
	}
	return nil
}

// completePrefixes replaces the prefixes of q by the words of the index they stand for
// (search_words, migrations 0018 and 0019): FTS5 gathers every match of a prefix before the
// first, and a GIN index every match of a partial match, where of whole words both read only
// as far as they need.
func (d dialect) completePrefixes(ctx context.Context, c conn, q search.Query) (search.Query, error) {
	// Words are letters and digits: nothing in them is special to GLOB or LIKE, which take
	// the primary key for a fixed start (PostgreSQL's column has the C collation for it).
	match, wild := "word GLOB ?", "*"
	if d.name == dialectPostgres {
		match, wild = "word LIKE ?", "%"
	}
	return q.Complete(func(prefix string, max int) ([]string, error) {
		rows, err := c.query(ctx, "SELECT word FROM search_words WHERE "+match+" ORDER BY word LIMIT ?", prefix+wild, max)
		if err != nil {
			return nil, wrap("complete prefix", err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				return nil, wrap("complete prefix", err)
			}
			out = append(out, w)
		}
		return out, wrap("complete prefix", rows.Err())
	})
}

// dropSearchTerms removes the terms of the rows ids of one kind (SQLite; on PostgreSQL they
// go with the row).
func (d dialect) dropSearchTerms(ctx context.Context, c conn, kind biebplein.SearchKind, ids []int64) error {
	if d.name == dialectPostgres || len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	_, err := c.exec(ctx, "DELETE FROM "+searchTable(kind)+" WHERE rowid IN ("+placeholders(len(ids))+")", args...)
	return wrap("drop terms", err)
}

// searchMatch returns the FROM clause and match condition (its one argument is matchArg) of a
// query for the kinds of one table, with the search_docs rows aliased d, and the column of the
// entry's id to walk newest first (ORDER BY id DESC) and to page by.
func (d dialect) searchMatch(kind biebplein.SearchKind) (from, match, id string) {
	if d.name == dialectPostgres {
		return "search_docs d", "d.terms @@ CAST(? AS tsquery)", "d.id"
	}
	// CROSS JOIN keeps the FTS5 table the outer loop: its matches come newest first (rowid
	// DESC) and the walk stops at the LIMIT.
	t := searchTable(kind)
	return t + " f CROSS JOIN search_docs d ON d.id = f.rowid", t + " MATCH ?", "f.rowid"
}

// matchesInOrder reports whether searchMatch's matches come newest first at no cost: FTS5's
// do; a GIN index hands them over unordered, so that ordering them means reading every match.
func (d dialect) matchesInOrder() bool { return d.name != dialectPostgres }

// matchArg is the query in the language of searchMatch.
func (d dialect) matchArg(q search.Query) string {
	if d.name != dialectPostgres {
		return q.FTS5()
	}
	return q.TSQuery()
}

// bucketMatch is the condition on PostgreSQL that an entry is in one of the buckets named
// (searchBuckets), with its argument. It is a condition of its own rather than part of the
// query's tsquery: the GIN index then walks the matches of the words and of the buckets side
// by side, skipping ahead in each, where in one tsquery it may choose to read every match of
// a common word to check it against the buckets.
func bucketMatch(buckets []string) (string, string) {
	return "d.terms @@ CAST(? AS tsquery)", "'" + strings.Join(buckets, "' | '") + "'"
}

// clearSearch empties the index before a rebuild. On PostgreSQL the GIN indexes are dropped
// and made again at the end (restoreSearchIndexes): building them once is many times faster
// than keeping them up to date row by row.
func (d dialect) clearSearch(ctx context.Context, c conn) error {
	stmts := []string{"DELETE FROM search_docs", "DELETE FROM search_words"}
	if d.name == dialectPostgres {
		stmts = append(stmts, "DROP INDEX IF EXISTS search_docs_terms", "DROP INDEX IF EXISTS search_docs_people_terms",
			"DROP INDEX IF EXISTS search_docs_group_terms")
	} else {
		stmts = append(stmts, "INSERT INTO search_fts (search_fts) VALUES ('delete-all')",
			"INSERT INTO search_dir_fts (search_dir_fts) VALUES ('delete-all')")
	}
	for _, s := range stmts {
		if _, err := c.exec(ctx, s); err != nil {
			return wrap("clear search", err)
		}
	}
	return nil
}

// restoreSearchIndexes finishes a rebuild: the GIN indexes (as migrations 0008 and 0022 made
// them) and the id sequence on PostgreSQL; SQLite needs nothing.
func (d dialect) restoreSearchIndexes(ctx context.Context, c conn) error {
	if d.name != dialectPostgres {
		return nil
	}
	for _, s := range []string{
		"CREATE INDEX search_docs_terms ON search_docs USING gin (terms)",
		"CREATE INDEX search_docs_people_terms ON search_docs USING gin (terms) WHERE kind = 'person'",
		"CREATE INDEX search_docs_group_terms ON search_docs USING gin (terms) WHERE kind = 'group'",
		"SELECT setval(pg_get_serial_sequence('search_docs', 'id'), coalesce(max(id), 0) + 1, false) FROM search_docs",
		"ANALYZE search_docs",
	} {
		if _, err := c.exec(ctx, s); err != nil {
			return wrap("restore search indexes", err)
		}
	}
	return nil
}
