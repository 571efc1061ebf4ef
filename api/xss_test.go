package api

import (
	"net/http"
	"strings"
	"testing"
)

const xss = `<script>alert(1)</script><img src=x onerror=alert(2)>"'><svg onload=alert(3)>`

// Stored markup comes back from the API as JSON text (with <, > and & escaped, so that even
// a page that pastes JSON into HTML stays safe), and the rendered html of posts and comments
// is sanitised.
func TestStoredXSSInAPI(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		wantStatus(t, f.do(t, req{method: "PATCH", path: "/api/v1/me", token: f.aliceToken,
			body: map[string]any{"name": "Alice " + xss[:60], "bio": xss, "expertise": []string{xss[:40]}}}), http.StatusOK)
		g := decode[groupJSON](t, f.do(t, req{method: "POST", path: "/api/v1/groups", token: f.aliceToken,
			body: map[string]any{"name": "Groep " + xss[:60], "description": xss, "visibility": "network"}}), http.StatusCreated)
		p := decode[postJSON](t, f.do(t, req{method: "POST", path: "/api/v1/groups/" + g.ID + "/posts", token: f.aliceToken,
			body: map[string]any{"kind": "poll", "body": "Kies " + xss + " [x](javascript:alert(4))",
				"poll": map[string]any{"options": []string{xss[:60], "nee"}}}}), http.StatusCreated)
		wantStatus(t, f.do(t, req{method: "POST", path: "/api/v1/posts/" + p.ID + "/comments", token: f.aliceToken,
			body: map[string]any{"body": "Reactie " + xss}}), http.StatusCreated)

		for _, path := range []string{"/api/v1/me", "/api/v1/people/" + f.alice.ID, "/api/v1/people?q=Alice",
			"/api/v1/groups/" + g.ID, "/api/v1/groups?limit=100", "/api/v1/posts/" + p.ID, "/api/v1/groups/" + g.ID + "/posts",
			"/api/v1/feed", "/api/v1/search?q=alice", "/api/v1/search?q=script"} {
			res := f.get(t, path, f.aliceToken)
			wantStatus(t, res, http.StatusOK)
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s: Content-Type %q", path, ct)
			}
			for _, bad := range []string{"<script", "<img", "<svg", "\"'>"} {
				if strings.Contains(string(res.body), bad) {
					t.Errorf("%s: the JSON holds %q unescaped: %s", path, bad, res.body)
				}
			}
		}
		post := decode[postJSON](t, f.get(t, "/api/v1/posts/"+p.ID, f.aliceToken), http.StatusOK)
		for what, html := range map[string]string{"post": post.HTML, "comment": post.Comments[0].HTML} {
			for _, bad := range []string{"<script", "<img src=x", "<svg", "javascript:"} {
				if strings.Contains(html, bad) {
					t.Errorf("%s html holds %q: %s", what, bad, html)
				}
			}
			if !strings.Contains(html, "&lt;script&gt;") {
				t.Errorf("%s html lost the text: %s", what, html)
			}
		}
		if !strings.Contains(post.Body, "<script>") {
			t.Errorf("body is the source as written, got %q", post.Body)
		}
	})
}
