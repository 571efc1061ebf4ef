package web

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

// When the uploads directory cannot be written (a full disk, a read-only mount; here it is
// replaced by a file, which stops root too, where chmod would not), a post with a picture is
// refused with the storage message and its form comes back with the text, while other pages
// and posts without files go on working.
func TestUploadStorageUnavailable(t *testing.T) {
	s := newSite(t, "sqlite")
	g := s.mustGroup(s.staff, "Leesbevordering", biebplein.VisNetwork, "")
	s.mustJoin(s.staff, s.vol, g)
	vol := s.signedIn(s.vol)
	vol.serverErrors = true // the 503 of the refused upload is expected; others are checked below
	if err := os.RemoveAll(s.filesDir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.filesDir, []byte("in the way"), 0o600); err != nil {
		t.Fatal(err)
	}

	body := "Foto van de voorleesochtend in de Hoeksmeerse bibliotheek"
	r := vol.postMultipart(groupURL(g.ID)+"/posts", url.Values{"kind": {"post"}, "body": {body}},
		upload{name: "ochtend.png", data: pngBytes(t)})
	if r.Status < 400 || r.Status == http.StatusInternalServerError {
		t.Fatalf("post with a picture on a broken disk = %d, want a 4xx or 5xx other than 500\n%s", r.Status, excerpt(r.Body))
	}
	wantBody(t, "storage message", r, text("nl", "error.storage_unavailable"))
	if !strings.Contains(r.Body, body) {
		t.Errorf("the text of the post is lost:\n%s", excerpt(r.Body))
	}
	for _, leak := range []string{"not a directory", "goroutine", ".go:"} {
		if strings.Contains(r.Body, leak) {
			t.Errorf("the page shows %q", leak)
		}
	}

	if strings.Contains(r.Body, text("nl", "error.unavailable")) {
		t.Errorf("the page says the whole site is down")
	}
	wantStatus(t, "home", vol.get("/"), http.StatusOK)
	page := vol.get(groupURL(g.ID))
	wantStatus(t, "group", page, http.StatusOK)
	if strings.Contains(page.Body, body) {
		t.Errorf("the post was saved without its picture")
	}
	r = vol.postMultipart(groupURL(g.ID)+"/posts", url.Values{"kind": {"post"}, "body": {"Zonder foto dan"}})
	wantStatus(t, "post without a file", r, http.StatusSeeOther)
}
