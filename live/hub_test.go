package live_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/biebplein/biebplein/live"
)

// receive returns the next event of sub, failing the test when none comes.
func receive(tb testing.TB, sub *live.Subscription) live.Event {
	tb.Helper()
	select {
	case ev, ok := <-sub.C:
		if !ok {
			tb.Fatal("subscription closed")
		}
		return ev
	case <-time.After(5 * time.Second):
		tb.Fatal("no event")
	}
	return live.Event{}
}

// wantNone fails the test when sub holds an event.
func wantNone(tb testing.TB, sub *live.Subscription) {
	tb.Helper()
	select {
	case ev := <-sub.C:
		tb.Fatalf("unexpected event %+v", ev)
	default:
	}
}

func inGroup(id string) func(live.Event) bool {
	return func(ev live.Event) bool { return ev.GroupID == id }
}

func TestHub(t *testing.T) {
	t.Run("DeliversWhatSubscriberWants", func(t *testing.T) {
		h := live.NewHub()
		g1 := h.Subscribe(inGroup("g1"))
		defer g1.Close()
		all := h.Subscribe(nil)
		defer all.Close()

		h.Publish(live.Event{Type: live.TypePost, PostID: "p1", GroupID: "g1"})
		h.Publish(live.Event{Type: live.TypePost, PostID: "p2", GroupID: "g2"})

		if got := receive(t, g1).PostID; got != "p1" {
			t.Fatalf("g1 got post %q, want p1", got)
		}
		wantNone(t, g1)
		for _, want := range []string{"p1", "p2"} {
			if got := receive(t, all).PostID; got != want {
				t.Fatalf("all got post %q, want %q", got, want)
			}
		}
	})

	t.Run("CloseUnsubscribes", func(t *testing.T) {
		h := live.NewHub()
		a, b := h.Subscribe(nil), h.Subscribe(nil)
		defer b.Close()
		if got := h.Len(); got != 2 {
			t.Fatalf("Len = %d, want 2", got)
		}
		a.Close()
		a.Close() // idempotent
		if got := h.Len(); got != 1 {
			t.Fatalf("Len after Close = %d, want 1", got)
		}
		if _, ok := <-a.C; ok {
			t.Fatal("C of a closed subscription still open")
		}
		h.Publish(live.Event{Type: live.TypePost, PostID: "p1"})
		if got := receive(t, b).PostID; got != "p1" {
			t.Fatalf("remaining subscriber got %q, want p1", got)
		}
	})

	t.Run("SlowSubscriberLagsWithoutBlocking", func(t *testing.T) {
		h := live.NewHub()
		slow := h.Subscribe(nil) // never read
		defer slow.Close()
		few := h.Subscribe(func(ev live.Event) bool { return ev.PostID[len(ev.PostID)-1] == '0' })
		defer few.Close()

		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := range 100 {
				h.Publish(live.Event{Type: live.TypePost, PostID: fmt.Sprintf("p%d", i)})
			}
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Publish blocked on a slow subscriber")
		}

		if !slow.Lagged() {
			t.Fatal("slow subscriber not marked lagged")
		}
		if slow.Lagged() {
			t.Fatal("Lagged did not clear the mark")
		}
		if got := len(slow.C); got == 0 || got == 100 {
			t.Fatalf("slow subscriber holds %d events, want its buffer full", got)
		}
		// A subscriber that keeps up is not hurt by the slow one.
		if few.Lagged() {
			t.Fatal("subscriber with room marked lagged")
		}
		for i := range 10 {
			if got, want := receive(t, few).PostID, fmt.Sprintf("p%d", i*10); got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
		}
	})

	t.Run("ConcurrentPublishAndSubscribe", func(t *testing.T) {
		h := live.NewHub()
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for i := range 200 {
					h.Publish(live.Event{Type: live.TypePost, PostID: fmt.Sprint(i)})
				}
			})
			wg.Go(func() {
				for range 200 {
					sub := h.Subscribe(func(ev live.Event) bool { return ev.PostID != "" })
					select {
					case <-sub.C:
					default:
					}
					sub.Lagged()
					sub.Close()
				}
			})
		}
		wg.Wait()
		if got := h.Len(); got != 0 {
			t.Fatalf("Len = %d after every subscription closed, want 0", got)
		}
	})

	t.Run("TwoThousandSubscribers", func(t *testing.T) {
		const n = 2000
		h := live.NewHub()
		subs := make([]*live.Subscription, n)
		for i := range subs {
			// Like the web layer's filters: most pages do not want most events.
			group := fmt.Sprintf("g%d", i%10)
			subs[i] = h.Subscribe(func(ev live.Event) bool { return ev.GroupID == "" || ev.GroupID == group })
			defer subs[i].Close()
		}
		start := time.Now()
		h.Publish(live.Event{Type: live.TypePost, PostID: "p1"})
		elapsed := time.Since(start)
		t.Logf("Publish to %d subscribers took %v", n, elapsed)
		if elapsed > time.Second {
			t.Errorf("Publish to %d subscribers took %v", n, elapsed)
		}
		for i, sub := range subs {
			if got := len(sub.C); got != 1 {
				t.Fatalf("subscriber %d holds %d events, want 1", i, got)
			}
		}
	})
}

func BenchmarkPublish(b *testing.B) {
	for _, n := range []int{100, 2000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h := live.NewHub()
			for range n {
				sub := h.Subscribe(func(ev live.Event) bool { return ev.AuthorID == "someone" })
				b.Cleanup(sub.Close)
			}
			ev := live.Event{Type: live.TypePost, PostID: "p1", AuthorID: "someone"}
			for b.Loop() {
				h.Publish(ev)
			}
		})
	}
}

func TestHubClose(t *testing.T) {
	h := live.NewHub()
	before := h.Subscribe(nil)
	h.Close()
	if _, open := <-before.C; open {
		t.Fatal("a subscription survived Close")
	}
	before.Close() // closing again does nothing
	after := h.Subscribe(nil)
	if _, open := <-after.C; open {
		t.Fatal("a subscription made after Close is open")
	}
	h.Publish(live.Event{Type: live.TypePost})
	if h.Len() != 0 {
		t.Fatalf("Len = %d after Close", h.Len())
	}
}
