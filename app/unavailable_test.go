package app_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/store/storetest"
)

// When the connection to PostgreSQL is lost (here: a proxy between the program and the
// server is cut, so the machine's PostgreSQL keeps serving other tests), pages answer 503 in
// the reader's language, the API answers code unavailable, /readyz fails and /healthz does
// not; when the connection returns, everything answers again without a restart.
// store's TestUnavailable covers the error code of a closed handle.
func TestMain_DatabaseLostAndBack(t *testing.T) {
	dsn := storetest.DSN(t, storetest.Postgres)
	p := startProxy(t, dsn)
	m, _ := MustRun(t, p.dsn, false)

	request := func(path string, api bool) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", m.URL+path, nil)
		req.Header.Set("Accept-Language", "nl")
		if api {
			req.Header.Set("Authorization", "Bearer not-a-token-but-looked-up")
		} else {
			req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: "not-a-session-but-looked-up"})
		}
		client := &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	apiCode := func(body string) string {
		var e struct {
			Error struct{ Code, Message string }
		}
		_ = json.Unmarshal([]byte(body), &e)
		return e.Error.Code
	}
	up := func(t *testing.T) {
		t.Helper()
		if code, _ := request("/readyz", false); code != http.StatusOK {
			t.Fatalf("/readyz = %d, want 200", code)
		}
		if code, body := request("/api/v1/me", true); code != http.StatusUnauthorized || apiCode(body) != "unauthorized" {
			t.Fatalf("API with an unknown token = %d %s, want 401 unauthorized", code, body)
		}
		if code, _ := request("/", false); code >= 500 {
			t.Fatalf("/ = %d", code)
		}
	}
	up(t)

	p.cut()
	if code, body := request("/readyz", false); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while the database is away = %d %q, want 503", code, body)
	}
	if code, _ := request("/healthz", false); code != http.StatusOK {
		t.Errorf("/healthz while the database is away = %d, want 200", code)
	}
	code, body := request("/api/v1/me", true)
	if code != http.StatusServiceUnavailable || apiCode(body) != "unavailable" {
		t.Errorf("API while the database is away = %d %s, want 503 with code unavailable", code, body)
	}
	code, body = request("/", false)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "niet bereikbaar") || strings.Contains(body, "dial") {
		t.Errorf("page while the database is away = %d, want 503 with the Dutch message and no driver text:\n%s", code, body)
	}

	p.restore()
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, _ := request("/readyz", false)
		if code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz = %d 15 s after the database came back", code)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Connections broken by the cut may answer one error each before the pool drops them.
	for i := 0; i < 30; i++ {
		request("/api/v1/me", true)
	}
	up(t)
}

// proxy forwards TCP connections to the PostgreSQL server of a DSN; cut drops every
// connection and refuses new ones until restore.
type proxy struct {
	dsn    string
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

func startProxy(t *testing.T, dsn string) *proxy {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &proxy{target: u.Host}
	u.Host = ln.Addr().String()
	p.dsn = u.String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	t.Cleanup(p.cut)
	return p
}

func (p *proxy) serve(c net.Conn) {
	p.mu.Lock()
	if p.down {
		p.mu.Unlock()
		c.Close()
		return
	}
	p.mu.Unlock()
	s, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, c, s)
	p.mu.Unlock()
	go func() { _, _ = io.Copy(s, c); s.Close() }()
	_, _ = io.Copy(c, s)
	c.Close()
}

func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}
