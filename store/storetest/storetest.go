// Package storetest opens throw-away databases for tests, on SQLite and on PostgreSQL, so
// that every package can run its tests against both. It imports only "testing" of the test
// tooling, so that _test files anywhere may use it.
//
// PostgreSQL tests run when BIEBPLEIN_TEST_POSTGRES names a server, for example
//
//	BIEBPLEIN_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' go test ./...
//
// and are skipped otherwise. Each test gets a database of its own, dropped when it ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/biebplein/biebplein/store"
)

// PostgresEnv is the environment variable that names the PostgreSQL server for tests.
const PostgresEnv = "BIEBPLEIN_TEST_POSTGRES"

// The dialects the store supports, as returned by (*store.DB).Dialect.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Dialects returns the dialects every store test should run against.
func Dialects() []string { return []string{SQLite, Postgres} }

// DSN returns the data source name of a fresh, empty database of the given dialect, removed
// when the test ends. It skips the test for PostgreSQL when no server is configured.
func DSN(tb testing.TB, dialect string) string {
	tb.Helper()
	switch dialect {
	case SQLite:
		return SQLiteDSN(tb)
	case Postgres:
		return PostgresDSN(tb)
	}
	tb.Fatalf("storetest: unknown dialect %q", dialect)
	return ""
}

// SQLiteDSN returns the DSN of a new SQLite database file in the test's temporary directory.
func SQLiteDSN(tb testing.TB) string {
	tb.Helper()
	return "sqlite:" + filepath.Join(tb.TempDir(), "biebplein.db")
}

// PostgresDSN creates a database with a random name on the server named by
// BIEBPLEIN_TEST_POSTGRES, returns its DSN and drops it when the test ends. Without the
// variable it skips the test.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		tb.Skip("PostgreSQL tests skipped: set " + PostgresEnv +
			"=postgres://user@host:5432/postgres?sslmode=disable to run them")
	}
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatalf("storetest: %s is not a URL: %v", PostgresEnv, err)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		tb.Fatalf("storetest: open %s: %v", PostgresEnv, err)
	}
	defer admin.Close()

	name := "biebplein_test_" + randomHex(tb, 8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The name is ours and made of [a-z0-9_], so it can go into the statement as it is.
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("storetest: create database: %v", err)
	}
	tb.Cleanup(func() { dropDatabase(tb, server, name) })

	u.Path = "/" + name
	return u.String()
}

func dropDatabase(tb testing.TB, server, name string) {
	tb.Helper()
	admin, err := sql.Open("pgx", server)
	if err != nil {
		tb.Errorf("storetest: open %s: %v", PostgresEnv, err)
		return
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// FORCE ends connections a test left open rather than failing the clean-up.
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		tb.Errorf("storetest: drop database %s: %v", name, err)
	}
}

func randomHex(tb testing.TB, n int) string {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatalf("storetest: random: %v", err)
	}
	return hex.EncodeToString(b)
}

// Open opens a fresh, migrated database of the given dialect and closes it when the test
// ends. It skips the test for PostgreSQL when no server is configured.
//
// The migrations run once per test process, into a template: each test gets a copy of it (a
// file on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL), which is much faster than
// migrating every database; opening the copy checks its schema as every Open does. Tests of
// the migrations themselves start from DSN, an empty database.
func Open(tb testing.TB, dialect string) *store.DB {
	tb.Helper()
	var dsn string
	switch dialect {
	case SQLite:
		dsn = sqliteCopy(tb)
	case Postgres:
		dsn = postgresCopy(tb)
	default:
		tb.Fatalf("storetest: unknown dialect %q", dialect)
	}
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		tb.Fatalf("storetest: open %s: %v", dialect, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("storetest: close %s: %v", dialect, err)
		}
	})
	return db
}

// sqliteTemplate is the content of a migrated SQLite database, made once per process.
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "biebplein-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "biebplein.db")
	db, err := store.Open(context.Background(), "sqlite:"+path, store.Options{Migrate: true})
	if err != nil {
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	// Closing the last connection checkpoints the write-ahead log into the file and removes
	// it: the file alone is then the whole database.
	if _, err := os.Stat(path + "-wal"); !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("the template's write-ahead log is still there (%v)", err)
	}
	return os.ReadFile(path)
})

// sqliteCopy writes a copy of the migrated template into the test's temporary directory.
func sqliteCopy(tb testing.TB) string {
	tb.Helper()
	data, err := sqliteTemplate()
	if err != nil {
		tb.Fatalf("storetest: migrate the SQLite template: %v", err)
	}
	path := filepath.Join(tb.TempDir(), "biebplein.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatalf("storetest: copy the SQLite template: %v", err)
	}
	return "sqlite:" + path
}

// postgresTemplate is the name of a migrated PostgreSQL database to copy, made once per
// process. It is named by a digest of the migrations and kept on the server, so that test
// processes running at once, and later runs, share it, and a database made from other
// migrations is never taken for it.
var postgresTemplate = sync.OnceValues(func() (string, error) {
	server := os.Getenv(PostgresEnv)
	digest, err := store.MigrationsDigest(Postgres)
	if err != nil {
		return "", err
	}
	name := "biebplein_template_" + digest[:16]
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var n int
	if err := admin.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		return "", err
	}
	if n > 0 {
		return name, nil
	}
	// Migrated under a name of its own and renamed when complete: a template under the
	// final name is always a whole one, whoever made it.
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	build := "biebplein_build_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+build); err != nil {
		return "", err
	}
	u, err := url.Parse(server)
	if err != nil {
		return "", err
	}
	u.Path = "/" + build
	db, err := store.Open(ctx, u.String(), store.Options{Migrate: true})
	if err == nil {
		err = db.Close()
	}
	if err == nil {
		err = retryInUse(ctx, func() error {
			_, err := admin.ExecContext(ctx, "ALTER DATABASE "+build+" RENAME TO "+name)
			return err
		})
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: another process made it first
		err = nil
	} else if err == nil {
		return name, nil
	}
	if _, dropErr := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)"); err == nil {
		err = dropErr
	}
	return name, err
})

// retryInUse runs f again while PostgreSQL answers that the database is being accessed by
// other users (55006): a connection just closed may take a moment to leave the server.
func retryInUse(ctx context.Context, f func() error) error {
	for {
		err := f()
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "55006" {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// postgresCopy creates a database from the migrated template, returns its DSN and drops it
// when the test ends. Without BIEBPLEIN_TEST_POSTGRES it skips the test.
func postgresCopy(tb testing.TB) string {
	tb.Helper()
	server := os.Getenv(PostgresEnv)
	if server == "" {
		tb.Skip("PostgreSQL tests skipped: set " + PostgresEnv +
			"=postgres://user@host:5432/postgres?sslmode=disable to run them")
	}
	template, err := postgresTemplate()
	if err != nil {
		tb.Fatalf("storetest: migrate the PostgreSQL template: %v", err)
	}
	u, err := url.Parse(server)
	if err != nil {
		tb.Fatalf("storetest: %s is not a URL: %v", PostgresEnv, err)
	}
	admin, err := sql.Open("pgx", server)
	if err != nil {
		tb.Fatalf("storetest: open %s: %v", PostgresEnv, err)
	}
	defer admin.Close()
	name := "biebplein_test_" + randomHex(tb, 8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := retryInUse(ctx, func() error {
		_, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+template)
		return err
	}); err != nil {
		tb.Fatalf("storetest: create database from %s: %v", template, err)
	}
	tb.Cleanup(func() { dropDatabase(tb, server, name) })
	u.Path = "/" + name
	return u.String()
}
