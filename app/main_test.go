package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/app"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/demo"
	"github.com/biebplein/biebplein/store/storetest"
)

// MustRun starts the whole program on a free port with the given database and stops it at
// the end of the test.
func MustRun(tb testing.TB, dsn string, demoData bool) (*app.Main, *bytes.Buffer) {
	tb.Helper()
	var out bytes.Buffer
	m := app.NewMain(app.Config{
		Addr: "127.0.0.1:0", Database: dsn, DataDir: tb.TempDir(), LogFormat: "text", LogLevel: "warn",
		Demo: demoData, Password: auth.FastParams, Stdout: &out, LogOutput: io.Discard,
	})
	if err := m.Run(context.Background()); err != nil {
		tb.Fatalf("Run: %v", err)
	}
	tb.Cleanup(func() { _ = m.Close() })
	return m, &out
}

func get(tb testing.TB, u string) (int, string) {
	tb.Helper()
	resp, err := http.Get(u)
	if err != nil {
		tb.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestMain_Run(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel() // a database each
			dsn := storetest.DSN(t, dialect)
			m, out := MustRun(t, dsn, true)

			t.Run("Health", func(t *testing.T) {
				if code, body := get(t, m.URL+"/healthz"); code != 200 || body != "ok\n" {
					t.Fatalf("/healthz = %d %q, want 200 ok", code, body)
				}
				if code, _ := get(t, m.URL+"/readyz"); code != 200 {
					t.Fatalf("/readyz = %d, want 200", code)
				}
			})
			t.Run("DemoAnnounced", func(t *testing.T) {
				for _, want := range []string{demo.AdminEmail, demo.VolunteerEmail, demo.Password, m.URL} {
					if !strings.Contains(out.String(), want) {
						t.Errorf("start-up output lacks %q:\n%s", want, out.String())
					}
				}
				if m.SetupURL != "" {
					t.Errorf("SetupURL = %q, want none on a demo site", m.SetupURL)
				}
				if m.Demo.People < 130 || m.Demo.Organisations < 30 {
					t.Errorf("demo = %+v, want about 150 people and 30+ organisations", m.Demo)
				}
				if m.Demo.Groups < 8 || m.Demo.Posts < 150 || m.Demo.Comments < 150 {
					t.Errorf("demo = %+v, want 8 groups and hundreds of posts and comments", m.Demo)
				}
			})
			// Every site has the "Vraag en antwoord" space; the demo's has open questions that
			// asked people directly, and advisors to forward the unanswered ones to.
			t.Run("DemoQuestionSpace", func(t *testing.T) {
				ctx := t.Context()
				id, err := m.Store.EnsureQuestionSpace(ctx, "x", "")
				if err != nil {
					t.Fatal(err)
				}
				admin, err := m.Store.FindPersonByEmail(ctx, demo.AdminEmail)
				if err != nil {
					t.Fatal(err)
				}
				posts, _, err := m.Service.Feed(biebplein.NewContext(ctx, admin), biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: id, Limit: 20})
				if err != nil {
					t.Fatal(err)
				}
				asked := 0
				for _, p := range posts {
					st, err := m.Store.FindQuestionState(ctx, p.ID)
					if err != nil {
						t.Fatal(err)
					}
					if p.Kind == biebplein.KindQuestion && len(st.Asked) > 0 {
						asked++
					}
				}
				if len(posts) < 3 || asked == 0 {
					t.Errorf("the space holds %d posts, %d asking people, want a few questions that asked someone", len(posts), asked)
				}
				var org string
				for _, o := range mustOrganisations(t, m) {
					if o.Kind == biebplein.OrgSupport {
						org = o.ID
					}
				}
				if advisors, err := m.Store.FindAdvisors(ctx, biebplein.AdvisorFilter{OrganisationID: org}); err != nil || len(advisors) == 0 {
					t.Errorf("the demo's support organisation has advisors %v (%v), want some", advisors, err)
				}
			})
			t.Run("DemoAdminSignsInThroughAPI", func(t *testing.T) {
				body := fmt.Sprintf(`{"email":%q,"password":%q,"name":"test"}`, demo.AdminEmail, demo.Password)
				resp, err := http.Post(m.URL+"/api/v1/tokens", "application/json", strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var tok struct{ Token string }
				if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != 201 {
					t.Fatalf("POST /api/v1/tokens = %d, %v", resp.StatusCode, err)
				}
				req, _ := http.NewRequest("GET", m.URL+"/api/v1/me", nil)
				req.Header.Set("Authorization", "Bearer "+tok.Token)
				me, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer me.Body.Close()
				var p struct {
					Name  string
					Admin bool
				}
				_ = json.NewDecoder(me.Body).Decode(&p)
				if me.StatusCode != 200 || p.Name != "Ingrid Bakker" || !p.Admin {
					t.Fatalf("GET /me = %d %+v, want the demo administrator", me.StatusCode, p)
				}
			})
			t.Run("SecurityHeaders", func(t *testing.T) {
				resp, err := http.Get(m.URL + "/login")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				for h, want := range map[string]string{
					"X-Content-Type-Options": "nosniff",
					"Referrer-Policy":        "same-origin",
				} {
					if got := resp.Header.Get(h); got != want {
						t.Errorf("%s = %q, want %q", h, got, want)
					}
				}
				csp := resp.Header.Get("Content-Security-Policy")
				if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
					t.Errorf("Content-Security-Policy = %q", csp)
				}
			})
			t.Run("DemoLoadsOnce", func(t *testing.T) {
				// A second start on the same database keeps the network as it is.
				before := m.Demo.People
				m2, _ := MustRun(t, dsn, true)
				if m2.Demo == nil || m2.Demo.People != before {
					t.Fatalf("second start: demo = %+v, want %d people unchanged", m2.Demo, before)
				}
			})
		})
	}
}

func TestMain_SetupLinkOnEmptySite(t *testing.T) {
	m, out := MustRun(t, storetest.DSN(t, "sqlite"), false)
	if m.SetupURL == "" || !strings.HasPrefix(m.SetupURL, m.URL+"/setup/") {
		t.Fatalf("SetupURL = %q, want a link under %s/setup/", m.SetupURL, m.URL)
	}
	if !strings.Contains(out.String(), m.SetupURL) {
		t.Fatalf("output lacks the setup link:\n%s", out.String())
	}
	code, body := get(t, m.SetupURL)
	if code != 200 || !strings.Contains(body, "<form") {
		t.Fatalf("GET setup link = %d, want a form", code)
	}
	if code, _ := get(t, m.URL+"/setup/not-a-token"); code != 404 {
		t.Fatalf("GET unknown setup link = %d, want 404", code)
	}
}

func TestMain_ReadyzFailsWithoutDatabase(t *testing.T) {
	m, _ := MustRun(t, storetest.DSN(t, "sqlite"), false)
	_ = m.Store.Close()
	if code, _ := get(t, m.URL+"/readyz"); code != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with closed database = %d, want 503", code)
	}
	if code, _ := get(t, m.URL+"/healthz"); code != 200 {
		t.Fatalf("/healthz = %d, want 200 (the process is up)", code)
	}
}

// A request still sending its body when Close is called is answered, not cut off.
func TestMain_CloseFinishesRequestsInFlight(t *testing.T) {
	m, _ := MustRun(t, storetest.DSN(t, "sqlite"), true)
	u, _ := url.Parse(m.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "email=" + url.QueryEscape(demo.AdminEmail) + "&password=" + demo.Password
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", u.Host, len(body))
	fmt.Fprint(conn, body[:10])
	time.Sleep(100 * time.Millisecond) // the server has started on the request

	closed := make(chan error, 1)
	go func() { closed <- m.Close() }()
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a request was in flight", err)
	default:
	}
	fmt.Fprint(conn, body[10:])
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	reply, _ := io.ReadAll(conn)
	if !bytes.HasPrefix(reply, []byte("HTTP/1.1 303")) {
		t.Fatalf("reply to the request in flight = %.80q, want a 303 redirect after sign-in", reply)
	}
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestConfig_Validate(t *testing.T) {
	for name, c := range map[string]app.Config{
		"LogFormat": {LogFormat: "xml", LogLevel: "info", DataDir: "."},
		"LogLevel":  {LogFormat: "text", LogLevel: "loud", DataDir: "."},
		"Database":  {LogFormat: "text", LogLevel: "info", Database: "mysql://x"},
		"BaseURL":   {LogFormat: "text", LogLevel: "info", DataDir: ".", BaseURL: "ftp://x"},
	} {
		t.Run(name, func(t *testing.T) {
			if err := c.Validate(); err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
		})
	}
	if err := app.DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig().Validate() = %v", err)
	}
}

// TestQuestionEscalateDays: BIEBPLEIN_QUESTION_ESCALATE_DAYS is 5 by default, a number of
// days from the environment, 0 for off; anything else stops the program at start with a
// message naming the setting.
func TestQuestionEscalateDays(t *testing.T) {
	t.Run("Default", func(t *testing.T) {
		t.Setenv("BIEBPLEIN_QUESTION_ESCALATE_DAYS", "")
		if got := app.DefaultConfig().QuestionEscalateDays; got != 5 {
			t.Fatalf("default = %d, want 5", got)
		}
	})
	for value, want := range map[string]int{"0": 0, "12": 12} {
		t.Run("Env"+value, func(t *testing.T) {
			t.Setenv("BIEBPLEIN_QUESTION_ESCALATE_DAYS", value)
			if got := app.DefaultConfig().QuestionEscalateDays; got != want {
				t.Fatalf("%q: got %d, want %d", value, got, want)
			}
		})
	}
	for _, bad := range []string{"vijf", "-1", "2.5"} {
		t.Run("Invalid"+bad, func(t *testing.T) {
			t.Setenv("BIEBPLEIN_QUESTION_ESCALATE_DAYS", bad)
			c := app.DefaultConfig()
			c.Database = "sqlite:" + filepath.Join(t.TempDir(), "b.db")
			c.Addr, c.LogOutput = "127.0.0.1:0", io.Discard
			m := app.NewMain(c)
			err := m.Run(context.Background())
			if err == nil {
				m.Close()
				t.Fatalf("%q: Run() = nil, want an error", bad)
			}
			if !strings.Contains(err.Error(), "BIEBPLEIN_QUESTION_ESCALATE_DAYS") {
				t.Fatalf("%q: error %q does not name the setting", bad, err)
			}
		})
	}
	t.Run("ValidateRange", func(t *testing.T) {
		c := app.DefaultConfig()
		c.QuestionEscalateDays = 400
		if err := c.Validate(); err == nil {
			t.Fatal("Validate() accepts 400 days")
		}
	})
}

func mustOrganisations(t *testing.T, m *app.Main) []*biebplein.Organisation {
	t.Helper()
	orgs, err := m.Store.FindOrganisations(t.Context(), biebplein.OrganisationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return orgs
}
