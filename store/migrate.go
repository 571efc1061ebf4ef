package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	biebplein "github.com/biebplein/biebplein"
)

// migrations holds the schema changes, one folder per dialect. Files are named
// NNNN_description.sql and applied in the order of their number, each in its own transaction.
// A migration is never edited once released: add a new one.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// SchemaNewerError is returned by Open and Migrate when the database was migrated by a newer
// release than this binary. Running on would risk writing data the newer schema does not
// expect, so the binary stops and asks to be upgraded.
type SchemaNewerError struct {
	Version   int // the database's schema version
	Supported int // the latest version this binary knows
}

// Error tells the operator what to do.
func (e *SchemaNewerError) Error() string {
	return fmt.Sprintf("database schema version %d is newer than this binary supports (%d): upgrade biebplein",
		e.Version, e.Supported)
}

// migrationLock is the PostgreSQL advisory lock key under which migrations run, so that two
// instances starting together apply each migration once.
const migrationLock = 0x62696562_706c6e01 // "biebpln" + 1

type migration struct {
	version int
	name    string // file name without .sql, such as "0001_init"
	sql     string
}

// MigrationsDigest returns a hex SHA-256 of the migrations of a dialect ("sqlite" or
// "postgres"), names and contents. The test helpers (storetest) name a migrated template
// database by it, so that one made from other migrations is never taken for it.
func MigrationsDigest(dialectName string) (string, error) {
	all, err := loadMigrations(dialect{name: dialectName})
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range all {
		fmt.Fprintf(h, "%s\n%d\n%s\n", m.name, len(m.sql), m.sql)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// loadMigrations reads the embedded migrations of dialect d in order.
func loadMigrations(d dialect) ([]migration, error) {
	dir := "migrations/" + d.name
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".sql")
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if err != nil || version <= 0 {
			return nil, fmt.Errorf("store: migration %s: name must start with a positive number", e.Name())
		}
		body, err := fs.ReadFile(migrations, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: version, name: name, sql: string(body)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("store: two migrations numbered %d", out[i].version)
		}
	}
	return out, nil
}

// Migrate applies the migrations the database does not have yet and returns their names.
// Applying twice is harmless: the second call applies nothing. It fails with *SchemaNewerError
// when the database has a migration this binary does not know.
func (db *DB) Migrate(ctx context.Context) (applied []string, err error) {
	all, err := loadMigrations(db.dialect)
	if err != nil {
		return nil, err
	}
	latest := all[len(all)-1].version
	for _, m := range all {
		done, err := db.applyMigration(ctx, m, latest)
		if err != nil {
			return applied, err
		}
		if done {
			db.logger.Info("applied database migration", "migration", m.name, "dialect", db.dialect.name)
			applied = append(applied, m.name)
		}
	}
	return applied, nil
}

// applyMigration applies m unless it was applied already, reporting whether it did. The
// check and the change happen in one transaction under the migration lock, so an instance
// that waited for another one's lock sees its work and skips it.
func (db *DB) applyMigration(ctx context.Context, m migration, latest int) (done bool, err error) {
	err = db.inTx(ctx, func(tx conn) error {
		if err := db.dialect.lock(ctx, tx, migrationLock); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, db.dialect.migrationsTableDDL()); err != nil {
			return fmt.Errorf("store: create schema_migrations: %w", err)
		}
		version, err := schemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		if version > latest {
			return newerError(version, latest)
		}
		var n int
		if err := tx.queryRow(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n); err != nil {
			return fmt.Errorf("store: read schema_migrations: %w", err)
		}
		if n > 0 {
			return nil
		}
		// Run as written, not rebound: a migration takes no arguments and may contain a ?
		// of its own (in a comment, or a PostgreSQL JSON operator).
		if _, err := tx.q.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		if _, err := tx.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.version, m.name, dbNow()); err != nil {
			return fmt.Errorf("store: record migration %s: %w", m.name, err)
		}
		done = true
		return nil
	})
	return done, err
}

// SchemaVersion returns the number of the latest migration applied to the database, 0 for a
// database that has none.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	c := db.read()
	var n int
	if err := c.queryRow(ctx, db.dialect.tableExistsQuery(), "schema_migrations").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: look for schema_migrations: %w", err)
	}
	if n == 0 {
		return 0, nil
	}
	return schemaVersion(ctx, c)
}

func schemaVersion(ctx context.Context, c conn) (int, error) {
	var v int
	if err := c.queryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}

// checkSchema fails when the database is newer than this binary, and returns its version.
func (db *DB) checkSchema(ctx context.Context) (int, error) {
	all, err := loadMigrations(db.dialect)
	if err != nil {
		return 0, err
	}
	version, err := db.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if latest := all[len(all)-1].version; version > latest {
		return version, newerError(version, latest)
	}
	return version, nil
}

func newerError(version, latest int) error {
	return &SchemaNewerError{Version: version, Supported: latest}
}

// SnapshotTo writes a consistent copy of an SQLite database to path (which must not exist)
// with VACUUM INTO: one read transaction, so the copy is the database at one moment while
// the server goes on writing. On PostgreSQL it returns invalid: use pg_dump.
func (db *DB) SnapshotTo(ctx context.Context, path string) error {
	if db.dialect.name != dialectSQLite {
		return biebplein.Errorf(biebplein.CodeInvalid, "robust.backup_postgres")
	}
	_, err := db.writer.ExecContext(ctx, "VACUUM INTO ?", path)
	return wrap("snapshot", err)
}

// CheckIntegrity runs SQLite's integrity_check and foreign_key_check and returns an error
// naming the first problem; on PostgreSQL it only pings.
func (db *DB) CheckIntegrity(ctx context.Context) error {
	if db.dialect.name != dialectSQLite {
		return db.Ping(ctx)
	}
	var result string
	if err := db.writer.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&result); err != nil {
		return wrap("integrity check", err)
	}
	if result != "ok" {
		return fmt.Errorf("store: integrity check: %s", result)
	}
	rows, err := db.writer.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return wrap("foreign key check", err)
	}
	defer rows.Close()
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return wrap("foreign key check", err)
		}
		return fmt.Errorf("store: foreign key check: a row %d of %s points to a missing %s", rowid.Int64, table, parent)
	}
	return wrap("foreign key check", rows.Err())
}
