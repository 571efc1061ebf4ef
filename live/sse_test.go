package live_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biebplein/biebplein/live"
)

func TestReadEvents(t *testing.T) {
	const stream = "retry: 5000\n\n" +
		": heartbeat\n\n" +
		"event: count\ndata: 3\n\n" +
		"data: first line\r\ndata:second line\r\n\r\n" +
		"id: 7\nevent: post\ndata: {\"p\":\"p1\"}\n\n" +
		"event: cut\ndata: never complete"
	type message struct{ name, data string }

	t.Run("ParsesEvents", func(t *testing.T) {
		var got []message
		err := live.ReadEvents(strings.NewReader(stream), func(name, data string) bool {
			got = append(got, message{name, data})
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []message{{"count", "3"}, {"message", "first line\nsecond line"}, {"post", `{"p":"p1"}`}}
		if !slices.Equal(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})

	t.Run("StopsWhenAsked", func(t *testing.T) {
		n := 0
		err := live.ReadEvents(strings.NewReader(stream), func(string, string) bool { n++; return false })
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("fn called %d times, want 1", n)
		}
	})
}

// streamServer serves a stream of its hub on "/"; every request subscribes to everything.
type streamServer struct {
	hub  *live.Hub
	srv  *httptest.Server
	opts live.StreamOptions
	// burst is published to the subscription before the stream starts, to make it lag.
	burst int
	// done receives Stream's result when a handler ends.
	done chan error

	mu   sync.Mutex
	subs []*live.Subscription
}

func startStreamServer(t *testing.T, opts live.StreamOptions, configure func(*http.Server)) *streamServer {
	t.Helper()
	s := &streamServer{hub: live.NewHub(), opts: opts, done: make(chan error, 10)}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	if configure != nil {
		configure(s.srv.Config)
	}
	s.srv.Start()
	// Close waits for every handler: a stream that never ended would hang the test here.
	t.Cleanup(s.srv.Close)
	return s
}

func (s *streamServer) serve(w http.ResponseWriter, r *http.Request) {
	sub := s.hub.Subscribe(nil)
	defer sub.Close()
	s.mu.Lock()
	s.subs = append(s.subs, sub)
	s.mu.Unlock()
	for range s.burst {
		s.hub.Publish(live.Event{Type: live.TypePost, PostID: "burst"})
	}
	s.done <- live.Stream(r.Context(), w, sub, s.opts, render)
}

// closeSubscriptions closes the subscriptions of every request so far.
func (s *streamServer) closeSubscriptions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sub := range s.subs {
		sub.Close()
	}
}

// render names events after their type and sends the post id as data, on two lines to
// check that data with line breaks arrives whole; posts by "hidden" are skipped.
func render(ev live.Event) (name, data string, ok bool) {
	if ev.AuthorID == "hidden" {
		return "", "", false
	}
	if ev.Type == live.TypeLagged {
		return "refresh", "all", true
	}
	return ev.Type, "post\n" + ev.PostID, true
}

// connect opens the stream; cancel ends the request.
func (s *streamServer) connect(t *testing.T) (resp *http.Response, cancel context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err = s.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp, cancel
}

// sseMessage is a message as a test client saw it.
type sseMessage struct{ name, data string }

// messages reads the stream in the background and hands over its messages.
func messages(t *testing.T, resp *http.Response) <-chan sseMessage {
	t.Helper()
	ch := make(chan sseMessage, 100)
	go func() {
		defer close(ch)
		_ = live.ReadEvents(resp.Body, func(name, data string) bool {
			ch <- sseMessage{name, data}
			return true
		})
	}()
	return ch
}

func next(tb testing.TB, ch <-chan sseMessage) sseMessage {
	tb.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			tb.Fatal("stream ended")
		}
		return m
	case <-time.After(5 * time.Second):
		tb.Fatal("no message")
	}
	return sseMessage{}
}

// wantEnded waits for the handler to return and checks that it unsubscribed.
func (s *streamServer) wantEnded(tb testing.TB) {
	tb.Helper()
	select {
	case err := <-s.done:
		if err != nil {
			tb.Fatalf("Stream = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		tb.Fatal("Stream did not return")
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.hub.Len() != 0 {
		if time.Now().After(deadline) {
			tb.Fatalf("hub has %d subscribers after the stream ended", s.hub.Len())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestStream(t *testing.T) {
	t.Run("HeadersRetryAndHeartbeat", func(t *testing.T) {
		s := startStreamServer(t, live.StreamOptions{Heartbeat: 10 * time.Millisecond}, nil)
		resp, cancel := s.connect(t)
		defer cancel()
		for header, want := range map[string]string{
			"Content-Type":      "text/event-stream",
			"Cache-Control":     "no-store",
			"X-Accel-Buffering": "no",
		} {
			if got := resp.Header.Get(header); got != want {
				t.Errorf("%s = %q, want %q", header, got, want)
			}
		}
		br := bufio.NewReader(resp.Body)
		line, err := br.ReadString('\n')
		if err != nil || line != "retry: 5000\n" {
			t.Fatalf("first line %q (%v), want retry: 5000", line, err)
		}
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(line, ":") {
				break // a heartbeat comment
			}
		}
		cancel()
		s.wantEnded(t)
	})

	t.Run("FirstMessagesThenEvents", func(t *testing.T) {
		s := startStreamServer(t, live.StreamOptions{
			Heartbeat: 5 * time.Millisecond, // comments in between, which the reader skips
			First:     []live.SSEMessage{{Name: "count", Data: "3"}, {Data: "hello"}},
		}, nil)
		resp, cancel := s.connect(t)
		defer cancel()
		ch := messages(t, resp)
		for _, want := range []sseMessage{{"count", "3"}, {"message", "hello"}} {
			if got := next(t, ch); got != want {
				t.Fatalf("got %q, want %q", got, want)
			}
		}
		time.Sleep(20 * time.Millisecond) // a few heartbeats
		s.hub.Publish(live.Event{Type: live.TypePost, PostID: "p0", AuthorID: "hidden"})
		s.hub.Publish(live.Event{Type: live.TypePost, PostID: "p1"})
		if got, want := next(t, ch), (sseMessage{"post", "post\np1"}); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
		cancel()
		s.wantEnded(t)
	})

	t.Run("LaggedOnce", func(t *testing.T) {
		s := startStreamServer(t, live.StreamOptions{}, nil)
		s.burst = 100
		resp, cancel := s.connect(t)
		defer cancel()
		ch := messages(t, resp)
		var before int
		for m := next(t, ch); m.name != "refresh"; m = next(t, ch) {
			before++
		}
		if before > 32 {
			t.Fatalf("%d events before the refresh, want at most the buffer", before)
		}
		// The refresh covers the events still waiting: they are dropped, and the stream
		// goes on with what comes next.
		s.hub.Publish(live.Event{Type: live.TypePost, PostID: "after"})
		for m := next(t, ch); m.data != "post\nafter"; m = next(t, ch) {
			if m.name == "refresh" {
				t.Fatal("refresh sent twice for one lag")
			}
		}
		cancel()
		s.wantEnded(t)
	})

	t.Run("EndsWhenSubscriptionCloses", func(t *testing.T) {
		s := startStreamServer(t, live.StreamOptions{First: []live.SSEMessage{{Name: "count", Data: "0"}}}, nil)
		resp, cancel := s.connect(t)
		defer cancel()
		ch := messages(t, resp)
		next(t, ch)
		// The subscription ends, as when the server shuts down the live updates.
		s.closeSubscriptions()
		select {
		case m, ok := <-ch:
			if ok {
				t.Fatalf("got %q, want the stream to end", m)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("stream did not end")
		}
		s.wantEnded(t)
	})

	t.Run("OutlivesWriteTimeout", func(t *testing.T) {
		s := startStreamServer(t, live.StreamOptions{Heartbeat: 20 * time.Millisecond}, func(srv *http.Server) {
			srv.WriteTimeout = 50 * time.Millisecond
		})
		resp, cancel := s.connect(t)
		defer cancel()
		ch := messages(t, resp)
		time.Sleep(200 * time.Millisecond)
		s.hub.Publish(live.Event{Type: live.TypePost, PostID: "late"})
		if got, want := next(t, ch), (sseMessage{"post", "post\nlate"}); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
		cancel()
		s.wantEnded(t)
	})
}
