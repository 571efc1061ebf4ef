package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// listener is a Listen running in the background for a test.
type listener struct {
	payloads chan string
	ready    chan struct{} // one value per (re)subscription
}

// startListen runs db.Listen on channel until the test ends, then checks that it stopped
// with the cancellation.
func startListen(t *testing.T, db *store.DB, channel string) *listener {
	t.Helper()
	l := &listener{payloads: make(chan string, 100), ready: make(chan struct{}, 10)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- db.Listen(ctx, channel, func() { l.ready <- struct{}{} }, func(p string) { l.payloads <- p })
	}()
	// Registered after storetest.Open, so it runs before the database is closed.
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Listen returned %v, want context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Listen did not return after its context was cancelled")
		}
	})
	return l
}

// waitReady waits for the next (re)subscription.
func (l *listener) waitReady(tb testing.TB) {
	tb.Helper()
	select {
	case <-l.ready:
	case <-time.After(15 * time.Second):
		tb.Fatal("Listen did not subscribe")
	}
}

// wantPayload waits for the next notification and checks it.
func (l *listener) wantPayload(tb testing.TB, want string) {
	tb.Helper()
	select {
	case got := <-l.payloads:
		if got != want {
			tb.Fatalf("payload = %q, want %q", got, want)
		}
	case <-time.After(10 * time.Second):
		tb.Fatalf("payload %q did not arrive", want)
	}
}

// openPostgresPair opens two handles on one fresh PostgreSQL database, as two instances of
// the application would.
func openPostgresPair(t *testing.T) (a, b *store.DB) {
	t.Helper()
	dsn := storetest.PostgresDSN(t)
	for _, db := range []**store.DB{&a, &b} {
		var err error
		*db, err = store.Open(t.Context(), dsn, store.Options{Migrate: true})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { (*db).Close() })
	}
	return a, b
}

func TestListen(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		t.Parallel()
		db := storetest.Open(t, storetest.SQLite)
		t.Run("NotifyUnsupported", func(t *testing.T) {
			if err := db.Notify(t.Context(), "biebplein_test", "x"); !errors.Is(err, errors.ErrUnsupported) {
				t.Fatalf("Notify = %v, want errors.ErrUnsupported", err)
			}
		})
		t.Run("ListenUnsupported", func(t *testing.T) {
			called := false
			err := db.Listen(t.Context(), "biebplein_test", func() { called = true }, func(string) { called = true })
			if !errors.Is(err, errors.ErrUnsupported) {
				t.Fatalf("Listen = %v, want errors.ErrUnsupported", err)
			}
			if called {
				t.Fatal("Listen called back on SQLite")
			}
		})
	})

	t.Run("Postgres", func(t *testing.T) {
		t.Parallel()
		t.Run("DeliversAcrossInstances", func(t *testing.T) {
			t.Parallel()
			a, b := openPostgresPair(t)
			l := startListen(t, a, "biebplein_test")
			l.waitReady(t)
			for _, p := range []string{"one", `{"t":"post"}`, ""} {
				mustNil(t, b.Notify(t.Context(), "biebplein_test", p))
				l.wantPayload(t, p)
			}
		})

		t.Run("OtherChannelNotDelivered", func(t *testing.T) {
			t.Parallel()
			a, b := openPostgresPair(t)
			l := startListen(t, a, "biebplein_test")
			l.waitReady(t)
			mustNil(t, b.Notify(t.Context(), "biebplein_other", "other"))
			mustNil(t, b.Notify(t.Context(), "biebplein_test", "mine"))
			// Notifications arrive in commit order, so "other" would have come first.
			l.wantPayload(t, "mine")
		})

		t.Run("ChannelQuoted", func(t *testing.T) {
			t.Parallel()
			a, b := openPostgresPair(t)
			// Upper case, a space, a quote and a semicolon: Listen must neither fold the
			// case nor let the name end the statement.
			const channel = `Live "odd"; SELECT 1`
			l := startListen(t, a, channel)
			l.waitReady(t)
			mustNil(t, b.Notify(t.Context(), channel, "quoted"))
			l.wantPayload(t, "quoted")
		})

		t.Run("ReconnectsAfterTerminate", func(t *testing.T) {
			t.Parallel()
			a, b := openPostgresPair(t)
			l := startListen(t, a, "biebplein_test")
			l.waitReady(t)
			mustNil(t, b.Notify(t.Context(), "biebplein_test", "before"))
			l.wantPayload(t, "before")

			terminateListener(t, b)
			l.waitReady(t)
			for _, p := range []string{"after", "again"} {
				mustNil(t, b.Notify(t.Context(), "biebplein_test", p))
				l.wantPayload(t, p)
			}
		})

		t.Run("ReturnsWhenCancelled", func(t *testing.T) {
			t.Parallel()
			a, _ := openPostgresPair(t)
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- a.Listen(ctx, "biebplein_test", cancel, func(string) {}) }()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("Listen = %v, want context.Canceled", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Listen did not return after its context was cancelled")
			}
			// The listening connection went back to no one: the pool still works.
			mustNil(t, a.Ping(t.Context()))
		})
	})
}

// terminateListener ends, from db, the server process of the one session of this database
// that is listening, as a restarting server or a failing network would.
func terminateListener(tb testing.TB, db *store.DB) {
	tb.Helper()
	_, pool := db.Pools()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var pid int
		err := pool.QueryRowContext(tb.Context(), `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`).Scan(&pid)
		if err == nil {
			var ok bool
			mustNil(tb, pool.QueryRowContext(tb.Context(), "SELECT pg_terminate_backend($1)", pid).Scan(&ok))
			if !ok {
				tb.Fatalf("pg_terminate_backend(%d) = false", pid)
			}
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("no listening session found: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
