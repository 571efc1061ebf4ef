package web

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The access walk: every route of routes.go outside the groups, posts and feeds block (which
// the visibility walk covers), requested signed out, as a volunteer and as an administrator.
// Together the two walks hold every route: TestEveryRouteIsWalked fails for a route in
// neither.

// accessRule is who may use a route.
type accessRule int

const (
	accessPublic accessRule = iota // anyone; a made-up token finds nothing
	accessMember                   // signed in; signed out is sent to the login page
	accessOwn                      // signed in, on one's own things: someone else's (a made-up id) is 404
	accessAdmin                    // administrators; signed out to the login page, anyone else 404
	accessStream                   // signed in; an event stream that stays open
)

// unknownID is an id nothing has: someone else's session, token, person or organisation.
const unknownID = "01jzzzzzzzzzzzzzzzzzzzzzzz"

// accessRoutes lists the routes outside the visibility walk's block with a path to request.
var accessRoutes = []struct {
	pattern, path string
	rule          accessRule
}{
	{"/", "/no-such-page", accessPublic},
	{"GET /login", "/login", accessPublic},
	{"POST /login", "/login", accessPublic},
	{"GET /login/code", "/login/code", accessPublic},
	{"POST /login/code", "/login/code", accessPublic},
	{"POST /logout", "/logout", accessMember},
	{"POST /language", "/language", accessPublic},
	{"GET /password-reset", "/password-reset", accessPublic},
	{"POST /password-reset", "/password-reset", accessPublic},
	{"GET /password-reset/{token}", "/password-reset/onbekend", accessPublic},
	{"POST /password-reset/{token}", "/password-reset/onbekend", accessPublic},
	{"GET /setup/{token}", "/setup/onbekend", accessPublic},
	{"POST /setup/{token}", "/setup/onbekend", accessPublic},
	{"GET /invite/{token}", "/invite/onbekend", accessPublic},
	{"POST /invite/{token}", "/invite/onbekend", accessPublic},
	{"GET /welcome", "/welcome", accessMember},
	{"GET /people", "/people", accessMember},
	{"GET /people/{id}", "/people/" + unknownID, accessOwn},
	{"GET /profile", "/profile", accessMember},
	{"POST /profile", "/profile", accessMember},
	{"POST /profile/password", "/profile/password", accessMember},
	{"POST /profile/simple", "/profile/simple", accessMember},
	{"GET /profile/sessions", "/profile/sessions", accessMember},
	{"POST /profile/sessions/{id}/revoke", "/profile/sessions/" + unknownID + "/revoke", accessOwn},
	{"POST /profile/sessions/revoke-others", "/profile/sessions/revoke-others", accessMember},
	{"GET /profile/tokens", "/profile/tokens", accessMember},
	{"POST /profile/tokens", "/profile/tokens", accessMember},
	{"POST /profile/tokens/{id}/revoke", "/profile/tokens/" + unknownID + "/revoke", accessOwn},
	{"GET /profile/two-factor", "/profile/two-factor", accessMember},
	{"GET /profile/two-factor/qr.png", "/profile/two-factor/qr.png", accessOwn}, // nothing pending: 404
	{"POST /profile/two-factor/start", "/profile/two-factor/start", accessMember},
	{"POST /profile/two-factor/confirm", "/profile/two-factor/confirm", accessMember},
	{"POST /profile/two-factor/disable", "/profile/two-factor/disable", accessMember},
	{"GET /notifications", "/notifications", accessMember},
	{"POST /notifications/read", "/notifications/read", accessMember},
	{"GET /settings/notifications", "/settings/notifications", accessMember},
	{"POST /settings/notifications", "/settings/notifications", accessMember},
	{"GET /events", "/events", accessStream},
	{"GET /unsubscribe/{token}", "/unsubscribe/onbekend", accessPublic},
	{"POST /unsubscribe/{token}", "/unsubscribe/onbekend", accessPublic},
	{"GET /admin", "/admin", accessAdmin},
	{"GET /admin/organisations", "/admin/organisations", accessAdmin},
	{"GET /admin/organisations/new", "/admin/organisations/new", accessAdmin},
	{"POST /admin/organisations", "/admin/organisations", accessAdmin},
	{"GET /admin/organisations/{id}", "/admin/organisations/" + unknownID, accessAdmin},
	{"POST /admin/organisations/{id}", "/admin/organisations/" + unknownID, accessAdmin},
	{"GET /admin/people", "/admin/people", accessAdmin},
	{"GET /admin/people/new", "/admin/people/new", accessAdmin},
	{"POST /admin/people", "/admin/people", accessAdmin},
	{"GET /admin/people/{id}", "/admin/people/" + unknownID, accessAdmin},
	{"POST /admin/people/{id}", "/admin/people/" + unknownID, accessAdmin},
	{"POST /admin/people/{id}/deactivate", "/admin/people/" + unknownID + "/deactivate", accessAdmin},
	{"POST /admin/people/{id}/reactivate", "/admin/people/" + unknownID + "/reactivate", accessAdmin},
	{"POST /admin/people/{id}/invitation", "/admin/people/" + unknownID + "/invitation", accessAdmin},
	{"POST /admin/people/{id}/sessions/{sid}/revoke", "/admin/people/" + unknownID + "/sessions/" + unknownID + "/revoke", accessAdmin},
	{"POST /admin/people/{id}/sessions/revoke-all", "/admin/people/" + unknownID + "/sessions/revoke-all", accessAdmin},
	{"GET /admin/audit", "/admin/audit", accessAdmin},
}

// TestEveryRouteIsWalked: every route routes.go registers outside the groups, posts and
// feeds block is in the access walk (the block's are in the visibility walk,
// TestVisibilityWalkCoversRoutes), and the access walk lists no route that is not there.
func TestEveryRouteIsWalked(t *testing.T) {
	_, outside := routesByBlock(t)
	if len(outside) < 40 {
		t.Fatalf("found only %d routes outside the block; is the scan broken?", len(outside))
	}
	var listed []string
	for _, r := range accessRoutes {
		listed = append(listed, r.pattern)
	}
	wantSameRoutes(t, "the access walk", outside, listed, "GET /{$}") // the home feed is in the visibility walk
}

// routesByBlock returns the patterns routes.go registers inside the groups, posts and feeds
// block and outside it.
func routesByBlock(t *testing.T) (inside, outside []string) {
	t.Helper()
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	begin := strings.Index(text, "// --- Groups, posts and feeds (issue 3): begin")
	end := strings.Index(text, "// --- Groups, posts and feeds: end.")
	if begin < 0 || end < begin {
		t.Fatal("the groups, posts and feeds block of routes.go is not marked")
	}
	handle := regexp.MustCompile(`s\.handle\("([^"]+)"`)
	scan := func(part string) (out []string) {
		for _, m := range handle.FindAllStringSubmatch(part, -1) {
			out = append(out, m[1])
		}
		return out
	}
	return scan(text[begin:end]), append(scan(text[:begin]), scan(text[end:])...)
}

// wantSameRoutes fails for a registered route the walk does not list (but except, which
// another walk holds) and for a listed route that is not registered.
func wantSameRoutes(t *testing.T, walk string, registered, listed []string, except string) {
	t.Helper()
	for _, p := range registered {
		if p != except && !slices.Contains(listed, p) {
			t.Errorf("route %q is not in %s", p, walk)
		}
	}
	for _, p := range listed {
		if p != except && !slices.Contains(registered, p) {
			t.Errorf("%s lists %q, which routes.go does not register there", walk, p)
		}
	}
}

// TestAccessWalk requests every route of accessRoutes signed out, as a volunteer and as an
// administrator (each on a fresh session, since some routes end or change one).
func TestAccessWalk(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		request := func(c *client, method, path string) *response {
			t.Helper()
			if method == http.MethodPost {
				return c.post(path, nil)
			}
			return c.get(path)
		}
		for _, route := range accessRoutes {
			method := http.MethodGet
			if strings.HasPrefix(route.pattern, "POST ") {
				method = http.MethodPost
			}
			what := route.pattern
			if route.rule == accessStream {
				checkStream(t, s, route.path)
				continue
			}
			out := request(s.client(), method, route.path)
			vol := request(s.signedIn(s.vol), method, route.path)
			adm := request(s.signedIn(s.admin), method, route.path)
			for who, r := range map[string]*response{"signed out": out, "volunteer": vol, "administrator": adm} {
				if r.Status >= 500 || r.Status == http.StatusForbidden && route.rule != accessPublic {
					t.Errorf("%s as %s: status %d", what, who, r.Status)
				}
			}
			toLogin := out.Status == http.StatusSeeOther && strings.HasPrefix(out.Location, "/login")
			switch route.rule {
			case accessPublic:
				if strings.Contains(route.path, "onbekend") && method == http.MethodGet && out.Status != http.StatusNotFound {
					t.Errorf("%s with a made-up token: status %d, want 404", what, out.Status)
				}
			case accessMember:
				if !toLogin {
					t.Errorf("%s signed out: %d to %q, want the login page", what, out.Status, out.Location)
				}
			case accessOwn:
				if !toLogin {
					t.Errorf("%s signed out: %d to %q, want the login page", what, out.Status, out.Location)
				}
				if vol.Status != http.StatusNotFound || adm.Status != http.StatusNotFound {
					t.Errorf("%s on what is not theirs: volunteer %d, administrator %d, want 404", what, vol.Status, adm.Status)
				}
			case accessAdmin:
				if !toLogin {
					t.Errorf("%s signed out: %d to %q, want the login page", what, out.Status, out.Location)
				}
				if vol.Status != http.StatusNotFound {
					t.Errorf("%s as a volunteer: status %d, want 404", what, vol.Status)
				}
				if adm.Status == http.StatusNotFound && !strings.Contains(route.path, unknownID) {
					t.Errorf("%s as the administrator: 404", what)
				}
			}
		}
	})
}

// checkStream: signed out, the event stream sends to the login page; signed in, it answers
// with an event stream (read until the headers only, since it stays open).
func checkStream(t *testing.T, s *site, path string) {
	t.Helper()
	if r := s.client().get(path); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
		t.Errorf("GET %s signed out: %d to %q, want the login page", path, r.Status, r.Location)
	}
	c := s.signedIn(s.vol)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Errorf("GET %s as a volunteer: %d %q, want 200 text/event-stream", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
