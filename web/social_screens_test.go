package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/api"
	"github.com/biebplein/biebplein/httpx"
)

// TestScreenshotServer serves a seeded site, signed in as a volunteer for every visitor, so
// that pages can be looked at in a browser. It runs only with BIEBPLEIN_SCREENSHOTS=1 and
// writes its address and page paths to the file named by BIEBPLEIN_SCREENSHOTS_OUT.
func TestScreenshotServer(t *testing.T) {
	if os.Getenv("BIEBPLEIN_SCREENSHOTS") != "1" {
		t.Skip("set BIEBPLEIN_SCREENSHOTS=1 to serve pages for screenshots")
	}
	s := newSite(t, "sqlite")
	g := s.mustGroup(s.staff, "Theeducatie <b>Noord</b>", biebplein.VisClosed, "")
	s.mustJoin(s.staff, s.vol, g)
	img := s.mustFile("voorleeshoek.png", pngBytes(t))
	s.mustPost(s.staff, g, biebplein.KindAnnouncement, "**Let op:** de vestiging is maandag gesloten wegens de verbouwing.")
	p := s.mustPost(s.vol, g, biebplein.KindQuestion, "Wie heeft een goed idee voor de *voorleeshoek*? We zoeken:\n\n- kussens\n- een boekenbak\n\n#voorlezen")
	s.mustPost(s.staff, g, biebplein.KindPoll, "Welke dag past het best voor het teamoverleg?")
	s.mustPost(s.staff, g, biebplein.KindPost, "Mooie foto van de nieuwe hoek! Zie ook "+s.URL+"/posts/"+p.ID+" <script>alert(1)</script>", img)
	c, err := s.svc.CreateComment(as(s.staff), p.ID, "", "Kijk eens bij de *Bibliotheek op school*.")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateComment(as(s.vol), p.ID, c.ID, "Dank je wel!"); err != nil {
		t.Fatal(err)
	}
	s.svc.React(as(s.staff), p.ID, biebplein.ReactThanks, true)

	vol := s.signedIn(s.vol)
	u, _ := url.Parse(s.URL)
	cookies := vol.http.Jar.Cookies(u)
	inject := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if len(r.Cookies()) == 0 {
				for _, ck := range cookies {
					r.AddCookie(ck)
				}
			}
			h.ServeHTTP(w, r)
		})
	}
	// The API beside the pages, as the app mounts it, for the mention suggestions.
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", api.New(api.Options{Service: s.svc, Bundle: s.server.bundle}).Handler())
	mux.Handle("/", s.server.Handler())
	ts := httptest.NewServer(inject(httpx.SecureHeaders(mux)))
	defer ts.Close()
	out := fmt.Sprintf("%s\n/\n/groups/%s\n/posts/%s\n/groups/%s/edit\n", ts.URL, g.ID, p.ID, g.ID)
	if err := os.WriteFile(os.Getenv("BIEBPLEIN_SCREENSHOTS_OUT"), []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(90 * time.Second)
}
