package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein/app"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/demo"
	"github.com/biebplein/biebplein/live"
	"github.com/biebplein/biebplein/store/storetest"
)

// call sends a JSON API request with a bearer token and decodes the answer into out.
func call(tb testing.TB, method, u, token string, body, out any) int {
	tb.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			tb.Fatalf("%s %s: decode: %v", method, u, err)
		}
	}
	return res.StatusCode
}

func apiToken(tb testing.TB, base, email string) string {
	tb.Helper()
	var tok struct{ Token string }
	if code := call(tb, http.MethodPost, base+"/api/v1/tokens", "", map[string]string{"email": email, "password": demo.Password, "name": "test"}, &tok); code != http.StatusCreated {
		tb.Fatalf("token for %s: status %d", email, code)
	}
	return tok.Token
}

type sse struct{ name, data string }

// stream opens an event stream and passes its events on until the test ends.
func stream(tb testing.TB, u, token string) <-chan sse {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", u, err)
	}
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("GET %s: status %d", u, res.StatusCode)
	}
	events := make(chan sse, 16)
	go func() {
		defer res.Body.Close()
		_ = live.ReadEvents(res.Body, func(name, data string) bool {
			select {
			case events <- sse{name, data}:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	return events
}

// await returns the first event named name whose data contains want.
func await(tb testing.TB, events <-chan sse, name, want string) sse {
	tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.name == name && strings.Contains(ev.data, want) {
				return ev
			}
		case <-deadline:
			tb.Fatalf("no %q event with %q within 10 s", name, want)
		}
	}
}

// Two instances behind a load balancer on one PostgreSQL database act as one: a post made on
// one reaches the open pages of the other, and so does the notification count of the person
// it mentions.
func TestTwoInstancesActAsOne(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	a, _ := MustRun(t, dsn, true)
	b, _ := MustRun(t, dsn, false)

	admin := apiToken(t, a.URL, demo.AdminEmail)
	volunteer := apiToken(t, b.URL, demo.VolunteerEmail)
	var me struct{ Name string }
	call(t, http.MethodGet, b.URL+"/api/v1/me", volunteer, nil, &me)
	var g struct{ ID string }
	if code := call(t, http.MethodPost, a.URL+"/api/v1/groups", admin, map[string]string{"name": "Twee servers", "visibility": "public"}, &g); code != http.StatusCreated {
		t.Fatalf("create group: %d", code)
	}
	if code := call(t, http.MethodPost, b.URL+"/api/v1/groups/"+g.ID+"/join", volunteer, nil, nil); code != http.StatusOK {
		t.Fatalf("join: %d", code)
	}
	onB := stream(t, b.URL+"/api/v1/events?feed=group&group="+g.ID, volunteer)
	onA := stream(t, a.URL+"/api/v1/events?feed=home", volunteer)
	await(t, onB, "count", "")
	await(t, onA, "count", "")

	var p struct{ ID string }
	if code := call(t, http.MethodPost, a.URL+"/api/v1/groups/"+g.ID+"/posts", admin,
		map[string]string{"body": "Welkom @" + me.Name + ", fijn dat je er bent."}, &p); code != http.StatusCreated {
		t.Fatalf("post: %d", code)
	}
	await(t, onB, "post", p.ID)
	await(t, onA, "post", p.ID)
	// The mention raises the count on the other instance's page.
	if ev := await(t, onB, "count", ""); ev.data == "0" {
		t.Fatalf("count after the mention = %s, want more than 0", ev.data)
	}
}

// An open event stream does not hold up a shutdown: Close ends it and returns at once.
func TestCloseEndsStreams(t *testing.T) {
	m := app.NewMain(app.Config{
		Addr: "127.0.0.1:0", Database: storetest.SQLiteDSN(t), DataDir: t.TempDir(), LogFormat: "text", LogLevel: "warn",
		Demo: true, Password: auth.FastParams, Stdout: io.Discard, LogOutput: io.Discard,
	})
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	events := stream(t, m.URL+"/api/v1/events?feed=home", apiToken(t, m.URL, demo.VolunteerEmail))
	await(t, events, "count", "")
	start := time.Now()
	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Close took %v with a stream open, want it at once", took)
	}
}
