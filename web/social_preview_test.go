package web

import (
	"net/http"
	"testing"

	"github.com/biebplein/biebplein"
)

// TestLinkPreviews: a link to the site's own group, post or person shows a card, but only
// when the reader may see what it points to.
func TestLinkPreviews(t *testing.T) {
	s := newSite(t, "sqlite")
	open := s.mustGroup(s.staff, "Leesbevordering", biebplein.VisNetwork, "")
	secret := s.mustGroup(s.staff, "Geheim overleg", biebplein.VisSecret, "")
	hidden := s.mustPost(s.staff, secret, biebplein.KindPost, "Vertrouwelijke begroting")
	s.mustJoin(s.staff, s.vol, open)
	body := "Zie [de groep](/groups/" + open.ID + "), [dit bericht](" + s.URL + "/posts/" + hidden.ID + ") en [Vera](/people/" + s.vol.ID + ")."
	p := s.mustPost(s.staff, open, biebplein.KindPost, body)

	r := s.signedIn(s.staff).get(postURL(p.ID))
	wantStatus(t, "post for a member of both", r, http.StatusOK)
	wantBody(t, "post for a member of both", r, `class="preview"`, "Vertrouwelijke begroting", s.vol.Name)

	for _, path := range []string{postURL(p.ID), groupURL(open.ID), "/"} {
		r := s.signedIn(s.vol).get(path)
		wantStatus(t, path, r, http.StatusOK)
		wantBody(t, path, r, `<a href="/groups/`+open.ID+`">Leesbevordering</a>`)
		notBody(t, path, r, "Vertrouwelijke begroting", "Geheim overleg")
	}
}
