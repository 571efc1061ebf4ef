package store_test

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// t0 is the reference time of the tests. Its odd microseconds check that times keep their
// precision and compare correctly when stored.
var t0 = time.Date(2025, 3, 1, 12, 0, 0, 120_000_000, time.UTC)

// forEachDialect runs fn once per database as subtests named after the dialect. fn builds
// its own fixtures, normally with a fresh database per subtest from storetest.Open.
func forEachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	t.Helper()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

// wantCode fails the test unless err has the given domain code (and message key, if given).
func wantCode(tb testing.TB, err error, code string, message ...string) {
	tb.Helper()
	if got := biebplein.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	if len(message) > 0 {
		if got := biebplein.ErrorMessage(err); got != message[0] {
			tb.Fatalf("error message = %q, want %q", got, message[0])
		}
	}
}

// wantFields fails the test unless err carries exactly the given field errors.
func wantFields(tb testing.TB, err error, want map[string]string) {
	tb.Helper()
	if got := biebplein.ErrorFields(err); !maps.Equal(got, want) {
		tb.Fatalf("error fields = %v, want %v", got, want)
	}
}

// mustNil fails the test on an unexpected error.
func mustNil(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// MustCreateOrganisation stores an organisation and returns it.
func MustCreateOrganisation(tb testing.TB, db *store.DB, name string, kind biebplein.OrganisationKind, parentID string) *biebplein.Organisation {
	tb.Helper()
	o := &biebplein.Organisation{Name: name, Kind: kind, ParentID: parentID}
	if err := db.CreateOrganisation(tb.Context(), o); err != nil {
		tb.Fatalf("create organisation %q: %v", name, err)
	}
	return o
}

// newPerson returns an active staff member of org with a password, ready to be stored.
func newPerson(org *biebplein.Organisation, name, email string) *biebplein.Person {
	return &biebplein.Person{
		Email:        email,
		Name:         name,
		Kind:         biebplein.KindStaff,
		Organisation: biebplein.OrganisationRef{ID: org.ID},
		Locale:       biebplein.LocaleNL,
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
	}
}

// MustCreatePerson stores p and returns it.
func MustCreatePerson(tb testing.TB, db *store.DB, p *biebplein.Person) *biebplein.Person {
	tb.Helper()
	if err := db.CreatePerson(tb.Context(), p); err != nil {
		tb.Fatalf("create person %q: %v", p.Email, err)
	}
	return p
}

// MustFindPerson reads a person back.
func MustFindPerson(tb testing.TB, db *store.DB, id string) *biebplein.Person {
	tb.Helper()
	p, err := db.FindPersonByID(tb.Context(), id)
	if err != nil {
		tb.Fatalf("find person %s: %v", id, err)
	}
	return p
}

// fixture is a small network: a support organisation with one library and one person.
type fixture struct {
	db      *store.DB
	support *biebplein.Organisation
	library *biebplein.Organisation
	person  *biebplein.Person
}

func newFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	db := storetest.Open(t, dialect)
	support := MustCreateOrganisation(t, db, "Probiblio", biebplein.OrgSupport, "")
	library := MustCreateOrganisation(t, db, "Bibliotheek Haarlem", biebplein.OrgLibrary, support.ID)
	person := MustCreatePerson(t, db, newPerson(library, "Fatima el Amrani", "fatima@example.nl"))
	return &fixture{db: db, support: support, library: library, person: person}
}

// wantTime fails unless got is the same instant as want and in UTC.
func wantTime(tb testing.TB, field string, got, want time.Time) {
	tb.Helper()
	if !got.Equal(want) || got.Location() != time.UTC {
		tb.Fatalf("%s = %v, want %v in UTC", field, got, want)
	}
}

func TestOpen(t *testing.T) {
	t.Run("ErrUnsupportedDSN", func(t *testing.T) {
		_, err := store.Open(t.Context(), "mysql://secret@host/db", store.Options{})
		if err == nil {
			t.Fatal("Open accepted a MySQL DSN")
		}
		if got := err.Error(); strings.Contains(got, "secret") {
			t.Fatalf("error %q repeats the DSN", got)
		}
	})
	t.Run("ErrInMemory", func(t *testing.T) {
		if _, err := store.Open(t.Context(), "sqlite::memory:", store.Options{}); err == nil {
			t.Fatal("Open accepted an in-memory SQLite database")
		}
	})
	t.Run("CreatesDirectory", func(t *testing.T) {
		dsn := "sqlite:" + t.TempDir() + "/data/nested/biebplein.db"
		db, err := store.Open(t.Context(), dsn, store.Options{Migrate: true})
		mustNil(t, err)
		defer db.Close()
		if got, want := db.Dialect(), "sqlite"; got != want {
			t.Fatalf("Dialect() = %q, want %q", got, want)
		}
	})
	forEachDialect(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect)
		if got := db.Dialect(); got != dialect {
			t.Fatalf("Dialect() = %q, want %q", got, dialect)
		}
		mustNil(t, db.Ping(t.Context()))
	})
}

// migrationFiles returns the names of the migrations of a dialect, in order, and the number of
// the latest, read from the source tree so that adding a migration needs no change here.
func migrationFiles(tb testing.TB, dialect string) (names []string, latest int) {
	tb.Helper()
	entries, err := os.ReadDir(filepath.Join("migrations", dialect))
	mustNil(tb, err)
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".sql"); ok {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		tb.Fatalf("no migrations for %s", dialect)
	}
	slices.Sort(names) // the numbers are zero-padded, so text order is number order
	num, _, _ := strings.Cut(names[len(names)-1], "_")
	latest, err = strconv.Atoi(num)
	mustNil(tb, err)
	return names, latest
}

func TestMigrate(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Run("AppliesOnce", func(t *testing.T) {
			dsn := storetest.DSN(t, dialect)
			db, err := store.Open(t.Context(), dsn, store.Options{})
			mustNil(t, err)
			defer db.Close()
			if v, err := db.SchemaVersion(t.Context()); err != nil || v != 0 {
				t.Fatalf("SchemaVersion() before migrating = %d, %v; want 0", v, err)
			}
			names, latest := migrationFiles(t, dialect)
			applied, err := db.Migrate(t.Context())
			mustNil(t, err)
			if got, want := fmt.Sprint(applied), fmt.Sprint(names); got != want || names[0] != "0001_init" {
				t.Fatalf("first Migrate applied %s, want %s starting with 0001_init", got, want)
			}
			applied, err = db.Migrate(t.Context())
			mustNil(t, err)
			if len(applied) != 0 {
				t.Fatalf("second Migrate applied %v, want nothing", applied)
			}
			if v, err := db.SchemaVersion(t.Context()); err != nil || v != latest {
				t.Fatalf("SchemaVersion() = %d, %v; want %d", v, err, latest)
			}
		})
		t.Run("ErrSchemaNewer", func(t *testing.T) {
			dsn := storetest.DSN(t, dialect)
			db, err := store.Open(t.Context(), dsn, store.Options{Migrate: true})
			mustNil(t, err)
			defer db.Close()
			_, writer := db.Pools()
			_, err = writer.ExecContext(t.Context(),
				"INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', CURRENT_TIMESTAMP)")
			mustNil(t, err)

			_, latest := migrationFiles(t, dialect)
			want := fmt.Sprintf("database schema version 9999 is newer than this binary supports (%d): upgrade biebplein", latest)
			_, err = db.Migrate(t.Context())
			var newer *store.SchemaNewerError
			if !errors.As(err, &newer) || err.Error() != want {
				t.Fatalf("Migrate() error = %v, want %q", err, want)
			}
			for _, migrate := range []bool{false, true} {
				_, err := store.Open(t.Context(), dsn, store.Options{Migrate: migrate})
				if !errors.As(err, &newer) || err.Error() != want {
					t.Fatalf("Open(Migrate: %v) error = %v, want %q", migrate, err, want)
				}
			}
		})
		t.Run("ConcurrentStarts", func(t *testing.T) {
			dsn := storetest.DSN(t, dialect)
			const n = 4
			errs := make(chan error, n)
			for range n {
				go func() {
					db, err := store.Open(t.Context(), dsn, store.Options{Migrate: true})
					if err == nil {
						err = db.Close()
					}
					errs <- err
				}()
			}
			for range n {
				mustNil(t, <-errs)
			}
			db, err := store.Open(t.Context(), dsn, store.Options{})
			mustNil(t, err)
			defer db.Close()
			reader, _ := db.Pools()
			var rows int
			mustNil(t, reader.QueryRowContext(t.Context(), "SELECT count(*) FROM schema_migrations").Scan(&rows))
			if names, _ := migrationFiles(t, dialect); rows != len(names) {
				t.Fatalf("schema_migrations has %d rows, want %d", rows, len(names))
			}
		})
	})
}

// TestUnstorableText checks that text PostgreSQL cannot hold (a NUL, invalid UTF-8), as it
// may come from a URL or a form, is a miss on both databases rather than an error on one.
func TestUnstorableText(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		for _, bad := range []string{"a\x00b", "\xff\xfe", f.person.ID + "\x00"} {
			_, err := f.db.FindPersonByID(t.Context(), bad)
			wantCode(t, err, biebplein.CodeNotFound)
			_, err = f.db.FindOrganisationByID(t.Context(), bad)
			wantCode(t, err, biebplein.CodeNotFound)
			_, err = f.db.FindSessionByTokenHash(t.Context(), bad, t0)
			wantCode(t, err, biebplein.CodeNotFound)
			wantCode(t, f.db.DeleteSession(t.Context(), f.person.ID, bad), biebplein.CodeNotFound)
			people, _, err := f.db.FindPeople(t.Context(), biebplein.PersonFilter{Query: bad, Expertise: bad})
			mustNil(t, err)
			if len(people) != 0 {
				t.Fatalf("FindPeople(%q) found %d people, want none", bad, len(people))
			}
		}
		key := "account:\x00@example.nl"
		mustNil(t, f.db.RecordFailure(t.Context(), []string{key}, t0))
		n, err := f.db.CountFailures(t.Context(), key, t0)
		mustNil(t, err)
		if n != 1 {
			t.Fatalf("CountFailures(%q) = %d, want 1", key, n)
		}
	})
}
