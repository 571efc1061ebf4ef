package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/mail"
	"github.com/biebplein/biebplein/mail/mailtest"
	"github.com/biebplein/biebplein/notify"
)

// xss is what an attacker types into every field: a script, an image with a handler, and
// a quote that tries to leave an attribute.
const xss = `<script>alert(1)</script><img src=x onerror=alert(2)>"'><svg onload=alert(3)>`

// executable are the pieces of xss that only exist in a page when it was not escaped.
var executable = []string{"<script>alert", "<img src=x", "<svg onload", "<SCRIPT", "<svg/onload"}

// wantHarmless fails when body holds any of xss's markup unescaped.
func wantHarmless(t *testing.T, what, body string) {
	t.Helper()
	for _, bad := range executable {
		if strings.Contains(body, bad) {
			i := strings.Index(body, bad)
			t.Errorf("%s holds executable markup %q: …%s…", what, bad, body[max(0, i-80):min(len(body), i+80)])
		}
	}
}

// Stored cross-site scripting: a name, a bio, tags, a group name and description, post text,
// poll options and a file name hold markup, stored through the real service and forms; every
// page, and the e-mail they reach, shows it as text.
func TestStoredXSSIsHarmless(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		sam := s.signedIn(s.staff)
		name := "Sam " + xss[:60]
		bio := "Over mij: " + xss
		tags := []string{xss[:40], "<b>vet</b>"}
		if _, err := s.svc.UpdateProfile(as(s.staff), s.staff.ID, biebplein.ProfileUpdate{Name: &name, Bio: &bio, Expertise: &tags, Interests: &tags}); err != nil {
			t.Fatal(err)
		}
		g, err := s.svc.CreateGroup(as(s.staff), biebplein.GroupInput{Name: "Groep " + xss[:60], Description: xss, Visibility: biebplein.VisNetwork})
		if err != nil {
			t.Fatal(err)
		}
		s.mustJoin(s.staff, s.vol, g)
		// A post with a file through the composer, a poll and a comment through the service.
		r := sam.postMultipart(groupURL(g.ID)+"/posts", url.Values{"kind": {"post"},
			"body": {"Hallo @Vera Vrijwilliger " + xss + " [klik](javascript:alert(4)) <a href=\"javascript:alert(5)\">a</a>"}},
			upload{name: xss[:50] + ".png", data: pngBytes(t)})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("post: %d\n%s", r.Status, excerpt(r.Body))
		}
		postID := r.Location[strings.Index(r.Location, "#post-")+6:]
		poll, err := s.svc.CreatePost(as(s.staff), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindPoll,
			Body: "Kiezen " + xss, PollOptions: []string{xss[:60], "Nee " + xss[30:]}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.CreateComment(as(s.vol), postID, "", "Antwoord "+xss); err != nil {
			t.Fatal(err)
		}

		// Mail first: reading the pages marks the notifications read, and read ones are not mailed.
		t.Run("Mail", func(t *testing.T) {
			smtp := mailtest.Start(t, mailtest.Options{})
			bundle, err := i18n.Load()
			if err != nil {
				t.Fatal(err)
			}
			sender := mail.NewSMTP(mail.Config{Host: smtp.Host(), Port: smtp.Port(), Security: mail.SecurityNone,
				From: "Biebplein <noreply@example.nl>", Timeout: 5 * time.Second})
			later := func() time.Time { return time.Now().Add(time.Hour) } // past the mail delay
			w, err := notify.New(s.svc.Store(), sender, bundle, notify.Options{BaseURL: s.URL, Now: later})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			msgs := smtp.Wait(t, 1, 5*time.Second)
			for _, m := range msgs {
				wantHarmless(t, "mail to "+m.To[0], m.HTML)
				if !strings.Contains(m.HTML, "&lt;") {
					t.Errorf("mail to %s does not show the markup as text:\n%s", m.To[0], m.HTML)
				}
				if strings.ContainsAny(m.Subject, "\r\n") {
					t.Errorf("subject with a line break: %q", m.Subject)
				}
			}
		})
		t.Run("Pages", func(t *testing.T) {
			admin, vera := s.signedIn(s.admin), s.signedIn(s.vol)
			for _, c := range []struct {
				who  *client
				path string
			}{
				{vera, "/"}, {vera, "/people"}, {vera, "/people?q=Sam"}, {vera, "/people/" + s.staff.ID},
				{vera, "/groups"}, {vera, groupURL(g.ID)}, {vera, groupURL(g.ID) + "/about"}, {vera, groupURL(g.ID) + "/members"},
				{vera, "/posts/" + postID}, {vera, "/posts/" + poll.ID}, {vera, "/notifications"},
				{sam, "/posts/" + postID + "/edit"}, {sam, "/profile"}, {sam, groupURL(g.ID) + "/edit"},
				{admin, "/admin/people"}, {admin, "/admin/people/" + s.staff.ID}, {admin, "/admin/audit"},
			} {
				r := c.who.get(c.path)
				wantStatus(t, c.path, r, http.StatusOK)
				wantHarmless(t, c.path, r.Body)
				if strings.Contains(r.Body, `href="javascript:`) {
					t.Errorf("%s links to javascript:", c.path)
				}
			}
			// The text is there, escaped: the test would pass vacuously otherwise.
			wantBody(t, "profile", vera.get("/people/"+s.staff.ID), "&lt;script&gt;alert(1)&lt;/script&gt;")
			wantBody(t, "post", vera.get("/posts/"+postID), "&lt;img src=x onerror=alert(2)&gt;")
		})

	})
}
