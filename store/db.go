// Package store is the one SQL implementation of biebplein.Store, for SQLite (the embedded
// default) and PostgreSQL (for running several instances). Queries are written once; what
// differs between the databases is kept in dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/search"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

var _ biebplein.Store = (*DB)(nil)

// Options configure Open.
type Options struct {
	// Logger receives notes about migrations; nil discards them.
	Logger *slog.Logger
	// Migrate applies pending migrations while opening. Without it, Open still refuses a
	// database whose schema is newer than this binary.
	Migrate bool
	// NoFeedCache reads every feed page from SQL, never from the heads kept in memory
	// (feedcache.go): for tests that compare the two, and for measuring without.
	NoFeedCache bool
}

// DB is a database holding everything Biebplein persists. It implements biebplein.Store and
// is safe for concurrent use.
//
// On SQLite, writes and transactions go through a single connection (SQLite allows one writer
// at a time; queueing in Go instead of in SQLite's busy handler avoids "database is locked")
// while plain reads use a pool of read-only connections, which WAL lets run beside the writer.
// On PostgreSQL both are the same pool.
type DB struct {
	writer  *sql.DB
	reader  *sql.DB
	dialect dialect
	logger  *slog.Logger
	// queries counts the statements sent, so that tests can check that a page of posts
	// costs the same number of queries whatever its size.
	queries atomic.Int64
	// stmts prepares the queries of the SQLite readers once (nil on PostgreSQL).
	stmts *stmtCache
	// feeds keeps the heads of feeds between requests, cards their posts (feedcache.go).
	feeds *feedCache
	cards *cardCache
	// profiles keeps everyone's tags and functions for the expertise finder (expert_cache.go).
	profiles *profileCache
	// shares keeps PostgreSQL's statistics of the search terms (search_shares.go).
	shares *termShareCache
	// stems remembers the stems of the words in the results it highlights (search.go), the
	// most common ones: at most highlightStems.
	stems *search.Analyzer
}

// Open opens the database named by dsn: "sqlite:<path>" (the file and its directory are
// created when missing) or a "postgres://" or "postgresql://" URL. It checks that the database
// answers and that its schema is not newer than this binary, and with opts.Migrate applies
// pending migrations.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	db := &DB{logger: logger, profiles: &profileCache{}, shares: &termShareCache{}, stems: search.NewAnalyzerOf(highlightStems)}
	if !opts.NoFeedCache {
		db.feeds, db.cards = newFeedCache(), newCardCache()
	}
	var err error
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		err = db.openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		err = db.openPostgres(dsn)
	default:
		// The DSN may hold a password: name only what was expected.
		return nil, errors.New("store: unsupported database: use sqlite:<path> or a postgres:// URL")
	}
	if err != nil {
		return nil, err
	}
	if err := db.start(ctx, opts.Migrate); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// start checks the freshly opened database and brings its schema up to date.
func (db *DB) start(ctx context.Context, migrate bool) error {
	// Before the first reader connects and loads the statistics.
	if err := db.pingWriter(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	if err := db.dialect.forgetSamples(ctx, db.write()); err != nil {
		return err
	}
	if err := db.Ping(ctx); err != nil {
		return err
	}
	if migrate {
		if _, err := db.Migrate(ctx); err != nil {
			return err
		}
		if err := db.refoldKeys(ctx); err != nil {
			return err
		}
		return db.ensureSearch(ctx)
	}
	_, err := db.checkSchema(ctx)
	return err
}

// highlightStems is how many words' stems a DB remembers for highlighting results: the
// words of most texts, in a few MB.
const highlightStems = 20_000

func (db *DB) openSQLite(path string) error {
	if path == "" || strings.HasPrefix(path, ":memory:") || strings.Contains(path, "mode=memory") {
		// Separate reader and writer connections would each see their own empty database.
		return errors.New("store: an in-memory SQLite database is not supported: give a file path")
	}
	if strings.Contains(path, "?") {
		// The driver reads what follows ? as its own parameters, which Open sets.
		return errors.New("store: the SQLite path must not contain '?'")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("store: create database directory: %w", err)
		}
	}
	db.dialect = dialect{name: dialectSQLite}

	// Pragmas go in the DSN so that every connection the pools open gets them, not just the
	// first one. busy_timeout still matters: other processes (a backup, a second binary) may
	// hold the lock briefly. cache_size is SQLite's own default, said here because it is
	// per connection and outside Go's heap: 2 MiB for the writer and for each reader, filled
	// within the first minute of use and no more (the operating system's file cache holds the
	// rest of the database). mmap_size maps the file (up to 2 GiB, SQLite's own limit on
	// Linux) so that a page outside that cache is read from the operating system's cache
	// without a system call: the expertise finder for a rare topic reads hundreds of old posts
	// and their comments, and spent a quarter of its time in pread (measured at scale 1.0).
	params := url.Values{}
	for _, p := range []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)",
		"cache_size(-2000)", "mmap_size(2147418112)"} {
		params.Add("_pragma", p)
	}
	writerParams := cloneValues(params)
	// IMMEDIATE takes the write lock at BEGIN, so a transaction never fails half-way when it
	// upgrades from reading to writing.
	writerParams.Set("_txlock", "immediate")
	readerParams := cloneValues(params)
	// A write sent to a reader by mistake fails loudly instead of competing with the writer.
	readerParams.Add("_pragma", "query_only(1)")

	var err error
	if db.writer, err = sql.Open("sqlite", path+"?"+writerParams.Encode()); err != nil {
		return fmt.Errorf("store: open sqlite: %w", err)
	}
	db.writer.SetMaxOpenConns(1)
	db.writer.SetMaxIdleConns(1)
	db.writer.SetConnMaxLifetime(0)
	db.writer.SetConnMaxIdleTime(0)

	if db.reader, err = sql.Open("sqlite", path+"?"+readerParams.Encode()); err != nil {
		db.writer.Close()
		return fmt.Errorf("store: open sqlite: %w", err)
	}
	readers := max(4, runtime.NumCPU())
	db.reader.SetMaxOpenConns(readers)
	db.reader.SetMaxIdleConns(readers)
	db.reader.SetConnMaxIdleTime(0)
	db.stmts = newStmtCache(db.reader)
	return nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func (db *DB) openPostgres(dsn string) error {
	db.dialect = dialect{name: dialectPostgres}
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("store: open postgres: %w", err)
	}
	// As many idle as open connections: under load a smaller idle pool keeps closing and
	// opening backends, which costs more than the idle connections do.
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(20)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db.writer, db.reader = pool, pool
	return nil
}

// pingWriter connects the writer. A new SQLite file that several processes open at once can
// answer "database is locked" while one of them switches it to WAL, without waiting for the
// busy timeout: that is retried for as long as the timeout would have waited.
func (db *DB) pingWriter(ctx context.Context) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := db.writer.PingContext(ctx)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Ping reports whether the database answers. On SQLite it checks both pools.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	if db.reader != db.writer {
		if err := db.reader.PingContext(ctx); err != nil {
			return fmt.Errorf("store: ping: %w", err)
		}
	}
	return nil
}

// Close closes the database.
func (db *DB) Close() error {
	var errs []error
	if db.dialect.name == dialectSQLite && db.writer != nil {
		// Let SQLite refresh the planner statistics it finds stale; cheap, and it keeps query
		// plans good as tables grow. A closed or broken database just skips it.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if _, err := db.writer.ExecContext(ctx, "PRAGMA optimize"); err == nil {
			_ = db.dialect.forgetSamples(ctx, db.write())
		}
		cancel()
	}
	if db.stmts != nil {
		db.stmts.close()
	}
	if db.reader != nil && db.reader != db.writer {
		errs = append(errs, db.reader.Close())
	}
	if db.writer != nil {
		errs = append(errs, db.writer.Close())
	}
	return errors.Join(errs...)
}

// queryer is what *sql.DB and *sql.Tx have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs queries on a pool or in a transaction, passing every query and its arguments
// through the dialect seam. All SQL of this package goes through it.
type conn struct {
	q queryer
	d dialect
	n *atomic.Int64 // the DB's statement counter
	s *stmtCache    // prepared statements for q, or nil
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.q.ExecContext(ctx, c.d.rebind(query), c.d.args(args)...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	query = c.d.rebind(query)
	if st := c.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, c.d.args(args)...)
	}
	return c.q.QueryContext(ctx, query, c.d.args(args)...)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	c.n.Add(1)
	query = c.d.rebind(query)
	if st := c.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, c.d.args(args)...)
	}
	return c.q.QueryRowContext(ctx, query, c.d.args(args)...)
}

// queryOnce is query for statements whose text is unlikely to come again (a batch of feed
// heads, whose text depends on which heads were missing): they are not kept prepared, where
// they would take the places of statements that do come again.
func (c conn) queryOnce(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.s = nil
	return c.query(ctx, query, args...)
}

// prepared returns the cached statement for query, or nil when c has no cache.
func (c conn) prepared(ctx context.Context, query string) *sql.Stmt {
	if c.s == nil {
		return nil
	}
	return c.s.get(ctx, query)
}

// execOne runs a statement that should change one row and returns notFound when it changed
// none.
func (c conn) execOne(ctx context.Context, query string, args ...any) error {
	res, err := c.exec(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return errNotFound()
	}
	return nil
}

// read returns the connections for plain queries.
func (db *DB) read() conn { return conn{q: db.reader, d: db.dialect, n: &db.queries, s: db.stmts} }

// write returns the connection for single statements that change data.
func (db *DB) write() conn { return conn{q: db.writer, d: db.dialect, n: &db.queries} }

// inTx runs fn in a transaction on the writer, committing when fn returns nil. The audit
// events that ctx carries (biebplein.WithAudit) are written in the same transaction. fn must use
// only the conn it is given: on SQLite the writer has one connection, which the transaction
// holds.
func (db *DB) inTx(ctx context.Context, fn func(tx conn) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	// Rolling back after a commit does nothing; before it, on an error or a panic, it frees
	// the writer for the next transaction.
	defer func() { _ = tx.Rollback() }()
	c := conn{q: tx, d: db.dialect, n: &db.queries}
	if err := fn(c); err != nil {
		return err
	}
	if err := writeAudit(ctx, c, biebplein.AuditFrom(ctx)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// dbNow is the current time as the database keeps it.
func dbNow() time.Time { return dbTime(time.Now()) }

func errNotFound() error { return biebplein.Errorf(biebplein.CodeNotFound, "error.not_found") }

// wrap turns an unexpected database error into an internal one, keeping domain errors as they
// are. The driver's text stays in the chain for the logs; users see only the code.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *biebplein.Error
	if errors.As(err, &e) {
		return err
	}
	if isUnavailable(err) {
		// The database is down or unreachable: callers answer 503 and the log keeps the cause.
		return fmt.Errorf("store: %s: %w: %w", op, biebplein.Errorf(biebplein.CodeUnavailable, "error.unavailable"), err)
	}
	return fmt.Errorf("store: %s: %w", op, err)
}
