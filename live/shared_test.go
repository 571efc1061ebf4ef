package live_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biebplein/biebplein/live"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

var _ live.Notifier = (*store.DB)(nil)

// loopback is a Notifier in memory: a database that every instance of a test shares.
type loopback struct {
	mu        sync.Mutex
	listeners []*loopListener
	sent      []string // every payload, in order
}

type loopListener struct {
	ready func()
	fn    func(string)
}

func (l *loopback) Notify(_ context.Context, channel, payload string) error {
	if channel != "biebplein_live" {
		return fmt.Errorf("notify on channel %q", channel)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent = append(l.sent, payload)
	for _, ln := range l.listeners {
		ln.fn(payload)
	}
	return nil
}

func (l *loopback) Listen(ctx context.Context, _ string, ready func(), fn func(string)) error {
	ln := &loopListener{ready: ready, fn: fn}
	l.mu.Lock()
	l.listeners = append(l.listeners, ln)
	l.mu.Unlock()
	ready()
	<-ctx.Done()
	l.mu.Lock()
	l.listeners = slices.DeleteFunc(l.listeners, func(x *loopListener) bool { return x == ln })
	l.mu.Unlock()
	return ctx.Err()
}

// resubscribe acts as if every listener had lost its connection and listened again.
func (l *loopback) resubscribe() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ln := range l.listeners {
		ln.ready()
	}
}

func (l *loopback) payloads() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.sent)
}

// instance is one application instance of a test: its hub and its Shared bus.
type instance struct {
	hub *live.Hub
	bus *live.Shared
}

// startInstance runs a Shared bus on n until the test ends and waits until it listens.
func startInstance(t *testing.T, n live.Notifier) *instance {
	t.Helper()
	in := &instance{hub: live.NewHub()}
	in.bus = live.NewShared(n, in.hub, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.bus.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	})
	select {
	case <-in.bus.Ready():
	case err := <-done:
		t.Fatalf("Run ended before listening: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatal("Shared bus did not start listening")
	}
	return in
}

// personIDs returns n ids shaped like biebplein.NewID's.
func personIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("01jq%022d", i)
	}
	return ids
}

// collectPersons receives notification events on sub until it holds want ids, and returns
// them in the order received.
func collectPersons(tb testing.TB, sub *live.Subscription, want int) []string {
	tb.Helper()
	var got []string
	for len(got) < want {
		ev := receive(tb, sub)
		if ev.Type != live.TypeNotifications {
			tb.Fatalf("got event %q, want notifications", ev.Type)
		}
		got = append(got, ev.PersonIDs...)
	}
	return got
}

// testSharedBus specifies a Shared bus over two instances of the same database.
func testSharedBus(t *testing.T, a, b live.Notifier) {
	t.Run("ReachesEveryInstanceOnce", func(t *testing.T) {
		ia, ib := startInstance(t, a), startInstance(t, b)
		subA, subB := ia.hub.Subscribe(nil), ib.hub.Subscribe(nil)
		defer subA.Close()
		defer subB.Close()

		post := live.Event{Type: live.TypePost, PostID: "p1", GroupID: "g1", AuthorID: "a1", Topics: []string{"leesclub"}}
		if err := ia.bus.Publish(t.Context(), post); err != nil {
			t.Fatal(err)
		}
		// Notifications arrive in the order they were sent, so a double of the post would
		// come before the sentinel.
		sentinel := live.Event{Type: live.TypePost, PostID: "sentinel"}
		if err := ia.bus.Publish(t.Context(), sentinel); err != nil {
			t.Fatal(err)
		}
		for name, sub := range map[string]*live.Subscription{"A": subA, "B": subB} {
			if got := receive(t, sub); !eventsEqual(got, post) {
				t.Fatalf("instance %s got %+v, want %+v", name, got, post)
			}
			if got := receive(t, sub); got.PostID != "sentinel" {
				t.Fatalf("instance %s got %+v after the post, want the sentinel", name, got)
			}
		}
	})

	t.Run("LargePersonListDeliveredComplete", func(t *testing.T) {
		ia, ib := startInstance(t, a), startInstance(t, b)
		sub := ib.hub.Subscribe(func(ev live.Event) bool { return ev.Type == live.TypeNotifications })
		defer sub.Close()

		ids := personIDs(1000)
		if err := ia.bus.Publish(t.Context(), live.Event{Type: live.TypeNotifications, PersonIDs: ids}); err != nil {
			t.Fatal(err)
		}
		if got := collectPersons(t, sub, len(ids)); !slices.Equal(got, ids) {
			t.Fatalf("got %d ids, want the %d published, in order", len(got), len(ids))
		}
		wantNone(t, sub)
	})
}

func eventsEqual(a, b live.Event) bool {
	return a.Type == b.Type && a.PostID == b.PostID && a.GroupID == b.GroupID && a.AuthorID == b.AuthorID &&
		slices.Equal(a.PersonIDs, b.PersonIDs) && a.Members == b.Members && slices.Equal(a.Topics, b.Topics)
}

func TestShared(t *testing.T) {
	t.Run("Loopback", func(t *testing.T) {
		lb := &loopback{}
		testSharedBus(t, lb, lb)
	})

	t.Run("Postgres", func(t *testing.T) {
		// Two handles on one database, as two instances of the application would have.
		dsn := storetest.PostgresDSN(t)
		var dbs [2]*store.DB
		for i := range dbs {
			db, err := store.Open(t.Context(), dsn, store.Options{Migrate: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			dbs[i] = db
		}
		testSharedBus(t, dbs[0], dbs[1])
	})

	t.Run("SQLiteUnsupported", func(t *testing.T) {
		db := storetest.Open(t, storetest.SQLite)
		err := live.NewShared(db, live.NewHub(), nil).Run(t.Context())
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("Run = %v, want errors.ErrUnsupported", err)
		}
	})

	t.Run("PublisherDoesNotDeliverLocally", func(t *testing.T) {
		// Without Run the instance hears nothing, so nothing may arrive: the event comes
		// back only through the database.
		lb := &loopback{}
		h := live.NewHub()
		sub := h.Subscribe(nil)
		defer sub.Close()
		if err := live.NewShared(lb, h, nil).Publish(t.Context(), live.Event{Type: live.TypePost, PostID: "p1"}); err != nil {
			t.Fatal(err)
		}
		wantNone(t, sub)
		if got := len(lb.payloads()); got != 1 {
			t.Fatalf("sent %d notifications, want 1", got)
		}
	})

	t.Run("SplitsWithinPayloadLimit", func(t *testing.T) {
		lb := &loopback{}
		ev := live.Event{Type: live.TypeNotifications, GroupID: "g1", Members: "g2", PersonIDs: personIDs(1000)}
		if err := live.NewShared(lb, live.NewHub(), nil).Publish(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
		payloads := lb.payloads()
		if len(payloads) < 2 {
			t.Fatalf("sent %d notifications, want the list split", len(payloads))
		}
		for i, p := range payloads {
			if len(p) > 7000 {
				t.Errorf("notification %d has %d bytes, more than 7000", i, len(p))
			}
			// Full except the last: no more notifications than needed.
			if i < len(payloads)-1 && len(p) < 6900 {
				t.Errorf("notification %d has %d bytes, want it filled", i, len(p))
			}
			if !strings.Contains(p, `"g":"g1"`) || !strings.Contains(p, `"m":"g2"`) {
				t.Errorf("notification %d lost the other fields: %.80s", i, p)
			}
		}
	})

	t.Run("RefusesEventTooLarge", func(t *testing.T) {
		lb := &loopback{}
		ev := live.Event{Type: live.TypePost, PostID: "p1", Topics: []string{strings.Repeat("x", 8000)}}
		if err := live.NewShared(lb, live.NewHub(), nil).Publish(t.Context(), ev); err == nil {
			t.Fatal("Publish accepted an event larger than a notification")
		}
		if got := len(lb.payloads()); got != 0 {
			t.Fatalf("sent %d notifications, want none", got)
		}
	})

	t.Run("ResubscribeMarksLagged", func(t *testing.T) {
		lb := &loopback{}
		in := startInstance(t, lb)
		sub := in.hub.Subscribe(nil)
		defer sub.Close()
		if sub.Lagged() {
			t.Fatal("lagged before any loss")
		}
		lb.resubscribe()
		if !sub.Lagged() {
			t.Fatal("not lagged after listening again: events sent meanwhile are lost")
		}
	})

	t.Run("IgnoresMalformedNotification", func(t *testing.T) {
		lb := &loopback{}
		in := startInstance(t, lb)
		sub := in.hub.Subscribe(nil)
		defer sub.Close()
		for _, p := range []string{"not json", `{"t":"post","p":"p1"}`} {
			if err := lb.Notify(t.Context(), "biebplein_live", p); err != nil {
				t.Fatal(err)
			}
		}
		if got := receive(t, sub).PostID; got != "p1" {
			t.Fatalf("got post %q, want p1", got)
		}
		wantNone(t, sub)
	})
}

func TestLocal(t *testing.T) {
	h := live.NewHub()
	sub := h.Subscribe(nil)
	defer sub.Close()
	if err := live.Local(h).Publish(t.Context(), live.Event{Type: live.TypePost, PostID: "p1"}); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, sub).PostID; got != "p1" {
		t.Fatalf("got post %q, want p1", got)
	}
}
