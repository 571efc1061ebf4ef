package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/live"
	"github.com/biebplein/biebplein/media"
	"github.com/biebplein/biebplein/service"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// testPassword is the password of every seeded account.
const testPassword = "lang-genoeg-wachtwoord"

// site is a running web server on a fresh database, wrapped like the app wraps it.
type site struct {
	t      *testing.T
	URL    string
	svc    *service.Service
	server *Server
	db     *store.DB
	// filesDir is where the media store keeps uploaded files.
	filesDir string
	// Seeded data (nil for an empty site).
	root, library, branch *biebplein.Organisation
	admin, staff, vol     *biebplein.Person
}

// eachDialect runs fn against SQLite and, when configured, PostgreSQL, at the same time:
// each has a site and a database of its own.
func eachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	t.Helper()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			fn(t, d)
		})
	}
}

// newEmptySite starts the site on an empty database, as before setup.
func newEmptySite(t *testing.T, dialect string, options ...func(*service.Options)) *site {
	t.Helper()
	db := storetest.Open(t, dialect)
	ts := httptest.NewUnstartedServer(nil)
	s := &site{t: t, URL: "http://" + ts.Listener.Addr().String(), db: db}
	hub := live.NewHub()
	opts := service.Options{Password: auth.FastParams, BaseURL: s.URL, Hub: hub, Events: live.Local(hub)}
	for _, o := range options {
		o(&opts)
	}
	s.svc = service.New(db, opts)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	s.filesDir = t.TempDir()
	files, err := media.NewStore(s.filesDir, media.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	// The audit log's retention as the program passes it by default.
	s.server, err = New(Options{Service: s.svc, Bundle: bundle, Logger: logger, BaseURL: s.URL, Media: files,
		AuditRetentionDays: 365})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = s.server.Handler()
	h = http.NewCrossOriginProtection().Handler(h)
	h = httpx.Recover(logger, h)
	h = httpx.SecureHeaders(h)
	h = httpx.LogRequests(logger, h)
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(ts.Close)
	return s
}

// newSite starts the site with a small network: a support organisation with a library and a
// branch, an administrator, a staff member and a volunteer.
func newSite(t *testing.T, dialect string, options ...func(*service.Options)) *site {
	t.Helper()
	s := newEmptySite(t, dialect, options...)
	ctx := service.System(context.Background())
	s.root = s.mustOrg(ctx, "Probiblio", biebplein.OrgSupport, "")
	s.library = s.mustOrg(ctx, "Bibliotheek Aan Zee", biebplein.OrgLibrary, s.root.ID)
	s.branch = s.mustOrg(ctx, "Vestiging Duinen", biebplein.OrgBranch, s.library.ID)
	s.admin = s.mustPerson(ctx, "Anne Beheer", "anne@example.nl", biebplein.KindStaff, s.root.ID, true)
	s.staff = s.mustPerson(ctx, "Sam Leesconsulent", "sam@example.nl", biebplein.KindStaff, s.library.ID, false)
	s.vol = s.mustPerson(ctx, "Vera Vrijwilliger", "vera@example.nl", biebplein.KindVolunteer, s.branch.ID, false)
	return s
}

func (s *site) mustOrg(ctx context.Context, name string, kind biebplein.OrganisationKind, parent string) *biebplein.Organisation {
	s.t.Helper()
	o, err := s.svc.CreateOrganisation(ctx, biebplein.OrganisationInput{Name: name, Kind: kind, ParentID: parent})
	if err != nil {
		s.t.Fatalf("CreateOrganisation(%s): %v", name, err)
	}
	return o
}

func (s *site) mustPerson(ctx context.Context, name, email string, kind biebplein.PersonKind, org string, admin bool) *biebplein.Person {
	s.t.Helper()
	p, _, err := s.svc.CreatePerson(ctx, biebplein.PersonInput{
		Name: name, Email: email, Kind: kind, OrganisationID: org, Admin: admin, Password: testPassword,
	})
	if err != nil {
		s.t.Fatalf("CreatePerson(%s): %v", name, err)
	}
	return p
}

// client is a browser: it keeps cookies, does not follow redirects and remembers the form
// token of the last page it saw.
type client struct {
	t    *testing.T
	site *site
	http *http.Client
	csrf string
	lang string // Accept-Language
	// serverErrors lets a test expect 5xx answers (the database is down).
	serverErrors bool
}

func (s *site) client() *client {
	s.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return &client{t: s.t, site: s, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// signedIn returns a client signed in as p.
func (s *site) signedIn(p *biebplein.Person) *client {
	s.t.Helper()
	c := s.client()
	c.login(p.Email, testPassword)
	return c
}

// response is what came back.
type response struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

// missingKey finds a catalogue key shown in brackets: a text missing from the catalogue.
var missingKey = regexp.MustCompile(`\[(web|error)\.[a-z0-9_.]+\]`)

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	r := &response{Status: res.StatusCode, Header: res.Header, Body: string(body), Location: res.Header.Get("Location")}
	if m := missingKey.FindString(r.Body); m != "" {
		c.t.Errorf("%s %s shows missing catalogue key %s", req.Method, req.URL.Path, m)
	}
	if r.Status >= 500 && !c.serverErrors {
		c.t.Errorf("%s %s: status %d", req.Method, req.URL.Path, r.Status)
	}
	if m := csrfField.FindStringSubmatch(r.Body); m != nil {
		c.csrf = m[1]
	}
	return r
}

// get fetches a path.
func (c *client) get(path string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.site.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post sends a form, with the form token of the last page unless the form has one.
func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok && c.csrf != "" {
		form.Set("csrf", c.csrf)
	}
	return c.postRaw(path, form.Encode())
}

// postRaw sends a body as a form without adding anything.
func (c *client) postRaw(path, body string) *response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.site.URL+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login signs in and loads the home page, which gives the form token.
func (c *client) login(email, password string) {
	c.t.Helper()
	r := c.post("/login", url.Values{"email": {email}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d, want 303", email, r.Status)
	}
	if r := c.get("/"); r.Status != http.StatusOK {
		c.t.Fatalf("home after login: status %d", r.Status)
	}
}

// wantStatus fails the test when r does not have the status.
func wantStatus(t *testing.T, what string, r *response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d; location %q; body:\n%s", what, r.Status, want, r.Location, excerpt(r.Body))
	}
}

// wantRedirect fails the test unless r is a 303 to location.
func wantRedirect(t *testing.T, what string, r *response, location string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || r.Location != location {
		t.Fatalf("%s: got %d to %q, want 303 to %q", what, r.Status, r.Location, location)
	}
}

// wantBody fails the test unless the body contains every one of the texts.
func wantBody(t *testing.T, what string, r *response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: body lacks %q:\n%s", what, s, excerpt(r.Body))
		}
	}
}

// notBody fails the test when the body contains any of the texts.
func notBody(t *testing.T, what string, r *response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.Body, s) {
			t.Errorf("%s: body contains %q", what, s)
		}
	}
}

// excerpt is the main element of a page, to keep failure messages short.
func excerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 3000 {
		body = body[:3000] + "..."
	}
	return body
}

// text is the Dutch or English text of a key, HTML-escaped as templates escape it.
func text(locale, key string, args ...any) string {
	b, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	return htmlEscape(b.T(locale, key, args...))
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
