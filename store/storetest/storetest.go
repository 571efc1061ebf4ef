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
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/biebplein/biebplein/store"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
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
func Open(tb testing.TB, dialect string) *store.DB {
	tb.Helper()
	dsn := DSN(tb, dialect)
	db, err := store.Open(context.Background(), dsn, store.Options{Migrate: true})
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
