package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/live"
)

// openEvents opens the live stream of a page as c's browser would and passes its events on;
// it returns the status when the stream was refused.
func (c *client) openEvents(path string) (<-chan [2]string, int) {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c.t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.site.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, res.StatusCode
	}
	events := make(chan [2]string, 16)
	go func() {
		defer res.Body.Close()
		_ = live.ReadEvents(res.Body, func(name, data string) bool {
			select {
			case events <- [2]string{name, data}:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	return events, http.StatusOK
}

func awaitEvent(t *testing.T, events <-chan [2]string, name string) string {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev[0] == name {
				return ev[1]
			}
		case <-deadline:
			t.Fatalf("no %q event within 5 s", name)
		}
	}
}

// A page hears what concerns it at once: the count when someone mentions the reader, new
// posts of its feed, and nothing of a group the reader may not read.
func TestLiveEvents(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		g := s.mustGroup(s.staff, "Leesclub", biebplein.VisNetwork, "")
		s.mustJoin(s.staff, s.vol, g)
		secret := s.mustGroup(s.staff, "Stuurgroep", biebplein.VisSecret, "")
		vol := s.signedIn(s.vol)

		t.Run("PagesLoadTheScript", func(t *testing.T) {
			home := vol.get("/")
			wantBody(t, "home", home, `data-live-feed="home"`, `id="live-posts"`, "/static/live.js")
			wantBody(t, "group", vol.get("/groups/"+g.ID), `data-live-feed="group" data-live-group="`+g.ID+`"`)
			notBody(t, "older page", vol.get("/groups/"+g.ID+"?after=x"), `data-live-feed`)
		})
		t.Run("CountAndPosts", func(t *testing.T) {
			home, status := vol.openEvents("/events?feed=home")
			if status != http.StatusOK {
				t.Fatalf("home stream: status %d", status)
			}
			if n := awaitEvent(t, home, "count"); n != "0" {
				t.Fatalf("first count = %s, want 0", n)
			}
			group, _ := vol.openEvents("/events?feed=group&group=" + g.ID)
			awaitEvent(t, group, "count")
			p := s.mustPost(s.staff, g, biebplein.KindPost, "Hallo @Vera Vrijwilliger, kom je ook?")
			for _, events := range []<-chan [2]string{home, group} {
				if data := awaitEvent(t, events, "post"); !strings.Contains(data, p.ID) {
					t.Fatalf("post event %s, want post %s", data, p.ID)
				}
			}
			if n := awaitEvent(t, home, "count"); n != "1" {
				t.Fatalf("count after the mention = %s, want 1", n)
			}
		})
		t.Run("Refused", func(t *testing.T) {
			if _, status := vol.openEvents("/events?feed=group&group=" + secret.ID); status != http.StatusNotFound {
				t.Fatalf("stream of a secret group: status %d, want 404", status)
			}
			if _, status := vol.openEvents("/events?feed=nonsense"); status != http.StatusBadRequest {
				t.Fatalf("unknown feed: status %d, want 400", status)
			}
			anon := s.client()
			if _, status := anon.openEvents("/events"); status != http.StatusSeeOther {
				t.Fatalf("signed out: status %d, want 303 to sign in", status)
			}
		})
	})
}
