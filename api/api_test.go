package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/live"
	"github.com/biebplein/biebplein/service"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// password is what every person of the fixture signs in with.
const password = "correct horse battery"

const baseURL = "https://biebplein.example"

// fixture is a running API on a fresh database, with a small network in it:
//
//	Probiblio (support)                      Anna Admin (admin)
//	└── Bibliotheek Aan Zee (library)        Alice de Vries (staff), Carol Kok, Dave Smit
//	    ├── Vestiging Noord (branch)         Bob Jansen (volunteer)
//	    └── Vestiging Zuid (branch)          nobody yet
type fixture struct {
	dialect string
	dsn     string
	db      *store.DB
	svc     *service.Service
	bundle  *i18n.Bundle
	srv     *httptest.Server
	logs    *syncBuffer

	support, library, noord, zuid *biebplein.Organisation
	admin, alice, bob, carol      *biebplein.Person
	// Bearer tokens of admin, alice and bob.
	adminToken, aliceToken, bobToken string
	// ahead moves the service's clock ahead of the real one (later).
	ahead atomic.Int64
}

// later moves the service's clock d ahead: a throttling window passes without waiting.
func (f *fixture) later(d time.Duration) { f.ahead.Add(int64(d)) }

// forEachDialect runs test on a fresh fixture for SQLite and for PostgreSQL (skipped unless
// BIEBPLEIN_TEST_POSTGRES is set).
func forEachDialect(t *testing.T, test func(t *testing.T, f *fixture)) {
	t.Helper()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			test(t, newFixture(t, d))
		})
	}
}

func newFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	f := &fixture{dialect: dialect, dsn: storetest.DSN(t, dialect), logs: &syncBuffer{}}
	db, err := store.Open(t.Context(), f.dsn, store.Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() }) // a test may have closed it already
	f.db = db
	logger := slog.New(slog.NewTextHandler(f.logs, nil))
	hub := live.NewHub()
	f.svc = service.New(f.db, service.Options{Password: auth.FastParams, BaseURL: baseURL, Logger: logger,
		Hub: hub, Events: live.Local(hub), Now: func() time.Time { return time.Now().Add(time.Duration(f.ahead.Load())) }})
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	f.bundle = bundle

	f.support = f.mustOrganisation(t, "Probiblio", biebplein.OrgSupport, nil)
	f.library = f.mustOrganisation(t, "Bibliotheek Aan Zee", biebplein.OrgLibrary, f.support)
	f.noord = f.mustOrganisation(t, "Vestiging Noord", biebplein.OrgBranch, f.library)
	f.zuid = f.mustOrganisation(t, "Vestiging Zuid", biebplein.OrgBranch, f.library)

	f.admin = f.mustPerson(t, biebplein.PersonInput{Name: "Anna Admin", Email: "anna@probiblio.nl",
		Kind: biebplein.KindStaff, OrganisationID: f.support.ID, Admin: true, Password: password})
	f.alice = f.mustPerson(t, biebplein.PersonInput{Name: "Alice de Vries", Email: "alice@aanzee.nl",
		Kind: biebplein.KindStaff, OrganisationID: f.library.ID, Function: "leesconsulent", Password: password})
	f.bob = f.mustPerson(t, biebplein.PersonInput{Name: "Bob Jansen", Email: "bob@aanzee.nl",
		Kind: biebplein.KindVolunteer, OrganisationID: f.noord.ID, Password: password})
	f.carol = f.mustPerson(t, biebplein.PersonInput{Name: "Carol Kok", Email: "carol@aanzee.nl",
		Kind: biebplein.KindStaff, OrganisationID: f.library.ID, Password: password})
	expertise := []string{"Leesbevordering", "jeugd"}
	if _, err := f.svc.UpdateProfile(service.System(t.Context()), f.alice.ID, biebplein.ProfileUpdate{Expertise: &expertise}); err != nil {
		t.Fatal(err)
	}
	f.adminToken = f.mustToken(t, f.admin)
	f.aliceToken = f.mustToken(t, f.alice)
	f.bobToken = f.mustToken(t, f.bob)

	apiServer := New(Options{Service: f.svc, Bundle: bundle, Logger: logger, TrustProxy: true})
	// The same chain and mount point as the app.
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", apiServer.Handler())
	var h http.Handler = mux
	h = http.NewCrossOriginProtection().Handler(h)
	h = httpx.Recover(logger, h)
	h = httpx.SecureHeaders(h)
	h = httpx.LogRequests(logger, h)
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", f.logs.String())
		}
	})
	return f
}

func (f *fixture) mustOrganisation(t *testing.T, name string, kind biebplein.OrganisationKind, parent *biebplein.Organisation) *biebplein.Organisation {
	t.Helper()
	in := biebplein.OrganisationInput{Name: name, Kind: kind}
	if parent != nil {
		in.ParentID = parent.ID
	}
	o, err := f.svc.CreateOrganisation(service.System(t.Context()), in)
	if err != nil {
		t.Fatalf("create organisation %s: %v", name, err)
	}
	return o
}

func (f *fixture) mustPerson(t *testing.T, in biebplein.PersonInput) *biebplein.Person {
	t.Helper()
	p, _, err := f.svc.CreatePerson(service.System(t.Context()), in)
	if err != nil {
		t.Fatalf("create person %s: %v", in.Name, err)
	}
	return p
}

// mustToken makes an API token for p through the service.
func (f *fixture) mustToken(t *testing.T, p *biebplein.Person) string {
	t.Helper()
	_, secret, err := f.svc.CreateToken(biebplein.NewContext(t.Context(), p), "test")
	if err != nil {
		t.Fatalf("create token for %s: %v", p.Name, err)
	}
	return secret
}

// mustSession signs p in as a browser would and returns the cookie token and CSRF token.
func (f *fixture) mustSession(t *testing.T, p *biebplein.Person) (cookie, csrf string) {
	t.Helper()
	sess, token, _, err := f.svc.SignIn(t.Context(), service.Credentials{Email: p.Email, Password: password, IP: "192.0.2.1"})
	if err != nil {
		t.Fatalf("sign in %s: %v", p.Name, err)
	}
	return token, sess.CSRFToken
}

// req describes one call to the API.
type req struct {
	method, path string
	token        string // bearer token; "" sends none
	body         any    // string or []byte as is, anything else as JSON; nil sends no body
	header       map[string]string
	// stream reads an event stream only up to its first event, then hangs up.
	stream bool
}

// response is what the API answered.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends r and reads the whole answer.
func (f *fixture) do(t *testing.T, r req) *response {
	t.Helper()
	var body io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(data)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, r.method, f.srv.URL+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	res, err := f.srv.Client().Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	if r.stream && res.StatusCode == http.StatusOK {
		var data []byte
		err := live.ReadEvents(res.Body, func(name, value string) bool {
			data = fmt.Appendf(data, "event: %s\ndata: %s\n\n", name, value)
			return false
		})
		if err != nil {
			t.Fatalf("%s %s: read events: %v", r.method, r.path, err)
		}
		return &response{status: res.StatusCode, header: res.Header, body: data}
	}
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", r.method, r.path, err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: data}
}

// get is do for a GET with a bearer token.
func (f *fixture) get(t *testing.T, path, token string) *response {
	t.Helper()
	return f.do(t, req{method: http.MethodGet, path: path, token: token})
}

// wantStatus fails the test unless the answer has the status.
func wantStatus(t *testing.T, res *response, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("status = %d, want %d; body: %s", res.status, want, res.body)
	}
}

// decode checks the status and decodes the JSON answer into v.
func decode[T any](t *testing.T, res *response, status int) T {
	t.Helper()
	wantStatus(t, res, status)
	var v T
	if err := json.Unmarshal(res.body, &v); err != nil {
		t.Fatalf("decode %s: %v", res.body, err)
	}
	return v
}

// wantError checks that the answer is an error with the status and code, and returns it.
func wantError(t *testing.T, res *response, status int, code string) errorJSON {
	t.Helper()
	body := decode[errorBody](t, res, status)
	if got := body.Error.Code; got != code {
		t.Fatalf("code = %q, want %q; body: %s", got, code, res.body)
	}
	if body.Error.Message == "" || strings.HasPrefix(body.Error.Message, "[") {
		t.Fatalf("message = %q, want a translated text", body.Error.Message)
	}
	return body.Error
}

// wantField checks that an error names field with the text of key in locale.
func (f *fixture) wantField(t *testing.T, e errorJSON, field, locale, key string) {
	t.Helper()
	got, want := e.Fields[field], f.bundle.T(locale, key)
	if got != want {
		t.Fatalf("fields[%q] = %q, want %q (fields: %v)", field, got, want, e.Fields)
	}
}

// ids returns the ids of items.
func ids(items []personJSON) []string {
	out := make([]string, len(items))
	for i, p := range items {
		out[i] = p.ID
	}
	return out
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
