package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

func TestSearchPage(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		open := s.mustGroup(s.staff, "Voorlezen op school", biebplein.VisPublic, "")
		secret := s.mustGroup(s.admin, "Geheime werkgroep", biebplein.VisSecret, "")
		s.mustPost(s.staff, open, biebplein.KindPost, "Wie helpt mee met voorlezen op woensdag?")
		s.mustPost(s.admin, secret, biebplein.KindPost, "Voorlezen in de geheime werkgroep: sluiting")
		for i := range 7 {
			s.mustPost(s.staff, open, biebplein.KindPost, fmt.Sprintf("Voorlezen bij BoekStart, ronde %d", i))
		}
		c := s.signedIn(s.staff)

		r := c.get("/search?q=" + url.QueryEscape("voorlezen"))
		wantStatus(t, "search", r, http.StatusOK)
		wantBody(t, "search", r, "<mark>Voorlezen</mark> bij BoekStart",
			htmlEscape(text("nl", "web.search.kind_post")), htmlEscape(text("nl", "web.search.more_post")))
		notBody(t, "search", r, "sluiting")
		// Grouped by type: five posts, a link to all eight, and the group.
		if n := strings.Count(r.Body, `class="search-hit"`); n != 6 {
			t.Errorf("the page shows %d results, want 5 posts and 1 group", n)
		}
		wantBody(t, "search", r, "<mark>Voorlezen</mark> op school")

		r = c.get("/search?q=voorlezen&type=post")
		if n := strings.Count(r.Body, `class="search-hit"`); n != 8 {
			t.Errorf("all posts: %d results, want 8", n)
		}
		wantBody(t, "all posts", r, "mee met <mark>voorlezen</mark> op woensdag")
		// Prefix as typed and diacritics.
		r = c.get("/search?q=" + url.QueryEscape("boeksta"))
		wantBody(t, "prefix", r, "<mark>BoekStart</mark>")

		// Bad input: a clear message on the field, 400, no results.
		r = c.get("/search?q=" + url.QueryEscape("-voorlezen"))
		wantStatus(t, "only excluded", r, http.StatusBadRequest)
		wantBody(t, "only excluded", r, htmlEscape(text("nl", "error.search_only_excluded")))
		r = c.get("/search?q=voorlezen&type=hond")
		wantStatus(t, "unknown type", r, http.StatusBadRequest)
		r = c.get("/search?q=voorlezen&period=eeuw")
		wantStatus(t, "unknown period", r, http.StatusBadRequest)
		wantBody(t, "unknown period", r, htmlEscape(text("nl", "error.period_invalid")))
		r = c.get("/search?q=voorlezen&after=rommel&type=post")
		wantStatus(t, "bad cursor", r, http.StatusBadRequest)

		// A group the reader may not see is not found, even as a filter.
		r = c.get("/search?q=voorlezen&group=" + secret.ID)
		wantStatus(t, "secret group filter", r, http.StatusNotFound)
		notBody(t, "secret group filter", r, "sluiting", "Geheime werkgroep")
		// Nothing found: tips, not an empty page.
		r = c.get("/search?q=onvindbaarwoord")
		wantStatus(t, "nothing found", r, http.StatusOK)
		wantBody(t, "nothing found", r, htmlEscape(text("nl", "web.search.tip_fewer")))

		// A person's posts: the filter from their profile page.
		r = c.get("/people/" + s.staff.ID)
		wantBody(t, "profile", r, "/search?author="+s.staff.ID)
		r = c.get("/search?q=voorlezen&type=post&author=" + s.admin.ID)
		if n := strings.Count(r.Body, `class="search-hit"`); n != 0 {
			t.Errorf("the administrator's readable posts: %d, want 0", n)
		}
		// Paging by cursor, newest first.
		r = c.get("/search?q=voorlezen&type=post&order=newest")
		if !strings.Contains(r.Body, "ronde 6") || strings.Index(r.Body, "ronde 6") > strings.Index(r.Body, "ronde 5") {
			t.Error("newest first: ronde 6 should lead")
		}

		// English.
		r = s.signedInIn(s.staff, "en").get("/search?q=voorlezen")
		wantBody(t, "english", r, htmlEscape(text("en", "web.search.kind_post")))
	})
}

func TestSearchPaging(t *testing.T) {
	s := newSite(t, "sqlite")
	s.server.pageSize = 3
	g := s.mustGroup(s.staff, "Leesclub", biebplein.VisPublic, "")
	for i := range 7 {
		s.mustPost(s.staff, g, biebplein.KindPost, fmt.Sprintf("Leesclub verslag %d", i))
	}
	c := s.signedIn(s.staff)
	seen := map[string]bool{}
	path := "/search?q=verslag&type=post"
	for pages := 0; path != "" && pages < 5; pages++ {
		r := c.get(path)
		wantStatus(t, path, r, http.StatusOK)
		for i := range 7 {
			if strings.Contains(r.Body, fmt.Sprintf("verslag</mark> %d", i)) {
				if seen[fmt.Sprint(i)] {
					t.Errorf("verslag %d on two pages", i)
				}
				seen[fmt.Sprint(i)] = true
			}
		}
		path = ""
		if i := strings.Index(r.Body, `rel="next"`); i >= 0 {
			start := strings.LastIndex(r.Body[:i], `href="`) + len(`href="`)
			end := strings.Index(r.Body[start:], `"`)
			path = strings.ReplaceAll(r.Body[start:start+end], "&amp;", "&")
		}
	}
	if len(seen) != 7 {
		t.Errorf("paged through %d of 7 results", len(seen))
	}
}
