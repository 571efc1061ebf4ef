package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

// TestMentionScript: mention.js is served as JavaScript and loaded only on pages with a
// field for posts or comments, whose textareas it marks with data-mentions; the pages work
// without it (nothing else changes).
func TestMentionScript(t *testing.T) {
	s := newSite(t, "sqlite")
	staff := s.signedIn(s.staff)
	g := s.mustGroup(s.staff, "Leesclub", biebplein.VisNetwork, "")
	p := s.mustPost(s.staff, g, biebplein.KindPost, "Wie leest mee?")
	const script = `<script src="/static/mention.js?v=`

	t.Run("Served", func(t *testing.T) {
		r := staff.get("/static/mention.js")
		wantStatus(t, "mention.js", r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
			t.Errorf("Content-Type = %q, want text/javascript", ct)
		}
		wantBody(t, "mention.js", r, "/api/v1/people?q=", `credentials: "same-origin"`)
	})
	t.Run("OnPagesWithAComposer", func(t *testing.T) {
		for _, path := range []string{"/", groupURL(g.ID), postURL(p.ID), postURL(p.ID) + "/edit"} {
			r := staff.get(path)
			wantStatus(t, path, r, http.StatusOK)
			wantBody(t, path, r, script, `" defer></script>`, ` data-mentions="`)
			if i := strings.Index(r.Body, script); i > strings.Index(r.Body, "</head>") {
				t.Errorf("%s: the script is not in the head", path)
			}
		}
	})
	t.Run("NotElsewhere", func(t *testing.T) {
		for _, path := range []string{"/groups", "/groups/new", groupURL(g.ID) + "/about", groupURL(g.ID) + "/members", "/people", "/profile", "/saved"} {
			r := staff.get(path)
			wantStatus(t, path, r, http.StatusOK)
			notBody(t, path, r, "mention.js", "data-mentions")
		}
		// Without a group there is no composer on the home page.
		notBody(t, "home without groups", s.signedIn(s.vol).get("/"), "mention.js")
	})
}
