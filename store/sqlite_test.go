package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// TestSQLite checks what only SQLite needs: pragmas on every connection, and one writer at a
// time without "database is locked".
func TestSQLite(t *testing.T) {
	t.Run("PragmasOnEveryConnection", func(t *testing.T) {
		db := storetest.Open(t, storetest.SQLite)
		reader, writer := db.Pools()
		// Hold several reader connections at once so that the pool has to open new ones; the
		// writer has only one.
		pools := map[string]struct {
			db    *sql.DB
			conns int
		}{"writer": {writer, 1}, "reader": {reader, 3}}
		for name, pool := range pools {
			var conns []*sql.Conn
			for range pool.conns {
				c, err := pool.db.Conn(t.Context())
				mustNil(t, err)
				conns = append(conns, c)
			}
			for i, c := range conns {
				for pragma, want := range map[string]string{
					"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000", "synchronous": "1",
				} {
					var got string
					if err := c.QueryRowContext(t.Context(), "PRAGMA "+pragma).Scan(&got); err != nil {
						t.Fatal(err)
					}
					if got != want {
						t.Errorf("%s connection %d: %s = %s, want %s", name, i, pragma, got, want)
					}
				}
			}
			for _, c := range conns {
				c.Close()
			}
		}
		if got := writer.Stats().MaxOpenConnections; got != 1 {
			t.Errorf("writer MaxOpenConnections = %d, want 1", got)
		}
	})

	t.Run("ReadersAreReadOnly", func(t *testing.T) {
		db := storetest.Open(t, storetest.SQLite)
		reader, _ := db.Pools()
		if _, err := reader.ExecContext(t.Context(), "DELETE FROM login_failures"); err == nil {
			t.Fatal("a reader connection accepted a write")
		}
	})

	t.Run("TimesStoredFixedWidth", func(t *testing.T) {
		db := storetest.Open(t, storetest.SQLite)
		mustNil(t, db.RecordFailure(t.Context(), []string{"k"}, time.Date(2025, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600))))
		reader, _ := db.Pools()
		var stored string
		mustNil(t, reader.QueryRowContext(t.Context(), "SELECT CAST(at AS TEXT) FROM login_failures").Scan(&stored))
		if want := "2025-03-01 11:00:00.000000"; stored != want {
			t.Fatalf("stored time = %q, want %q", stored, want)
		}
	})

	t.Run("ConcurrentWrites", func(t *testing.T) {
		dsn := storetest.SQLiteDSN(t)
		// Two handles on one file stand for two processes; each queues its own writers.
		var dbs []*store.DB
		for range 2 {
			db, err := store.Open(t.Context(), dsn, store.Options{Migrate: true})
			mustNil(t, err)
			t.Cleanup(func() { db.Close() })
			dbs = append(dbs, db)
		}
		org := MustCreateOrganisation(t, dbs[0], "Bibliotheek Gouda", biebplein.OrgSupport, "")

		const workers, writes = 16, 10
		var wg sync.WaitGroup
		errs := make(chan error, workers*writes)
		for w := range workers {
			db := dbs[w%2]
			wg.Go(func() {
				for i := range writes {
					errs <- concurrentWrite(t.Context(), db, org, w, i)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		n, err := dbs[1].CountPeople(t.Context())
		mustNil(t, err)
		if want := workers * writes; n != want {
			t.Fatalf("CountPeople() = %d, want %d", n, want)
		}
	})
}

// concurrentWrite makes a transaction (a person with tags), a plain write and a read.
func concurrentWrite(ctx context.Context, db *store.DB, org *biebplein.Organisation, w, i int) error {
	p := &biebplein.Person{
		Email: fmt.Sprintf("w%d-%d@example.nl", w, i), Name: fmt.Sprintf("Schrijver %d %d", w, i),
		Kind: biebplein.KindStaff, Organisation: biebplein.OrganisationRef{ID: org.ID},
		Expertise: []string{"schrijven", fmt.Sprintf("tag %d", i)},
	}
	if err := db.CreatePerson(ctx, p); err != nil {
		return err
	}
	if err := db.RecordFailure(ctx, []string{p.Email}, time.Now()); err != nil {
		return err
	}
	_, _, err := db.FindPeople(ctx, biebplein.PersonFilter{Expertise: "schrijven", Limit: 5})
	return err
}
