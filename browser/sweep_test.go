package browser_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/demo"
	"github.com/biebplein/biebplein/service"
)

// world is what the sweep visits: ids from the demo network.
type world struct {
	admin, volunteer, partner *biebplein.Person
	simple                    *biebplein.Person // another volunteer, in simple mode
	group, closed             *biebplein.Group
	post                      *biebplein.Post
	ownPost                   *biebplein.Post // the volunteer's
	unsubscribe               string          // the token of the volunteer's "no more mentions" link
}

func (s *site) world(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{}
	var err error
	if w.admin, err = s.m.Store.FindPersonByEmail(ctx, demo.AdminEmail); err != nil {
		t.Fatal(err)
	}
	if w.volunteer, err = s.m.Store.FindPersonByEmail(ctx, demo.VolunteerEmail); err != nil {
		t.Fatal(err)
	}
	partners, _, err := s.m.Store.FindPeople(ctx, biebplein.PersonFilter{Kind: biebplein.KindPartner, Limit: 10})
	if err != nil || len(partners) == 0 {
		t.Fatalf("no partner in the demo network: %v", err)
	}
	for _, p := range partners {
		if p.Active() && !p.Invited() {
			w.partner = p
			break
		}
	}
	volunteers, _, err := s.m.Store.FindPeople(ctx, biebplein.PersonFilter{Kind: biebplein.KindVolunteer, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range volunteers {
		if p.ID != w.volunteer.ID && p.Active() && !p.Invited() {
			on := true
			if w.simple, err = s.m.Service.UpdateProfile(biebplein.NewContext(ctx, p), p.ID, biebplein.ProfileUpdate{Simple: &on}); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if w.simple == nil || !w.simple.Simple {
		t.Fatalf("no second volunteer in the demo network to put in simple mode")
	}
	as := biebplein.NewContext(ctx, w.volunteer)
	groups, _, err := s.m.Service.Groups(as, biebplein.GroupFilter{Member: true, Limit: 50})
	if err != nil || len(groups) == 0 {
		t.Fatalf("the demo volunteer has no groups: %v", err)
	}
	w.group = groups[0]
	all, _, err := s.m.Service.Groups(as, biebplein.GroupFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range all {
		if g.Visibility == biebplein.VisClosed && !g.Membership.IsMember() {
			w.closed = g
		}
	}
	posts, _, err := s.m.Service.Feed(as, biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: w.group.ID, Limit: 1})
	if err != nil || len(posts) == 0 {
		t.Fatalf("no posts in %s: %v", w.group.Name, err)
	}
	w.post = posts[0]
	if w.ownPost, err = s.m.Service.CreatePost(as, biebplein.PostInput{GroupID: w.group.ID, Body: "Wie komt er zaterdag helpen bij het **voorleesontbijt**? #voorlezen"}); err != nil {
		t.Fatal(err)
	}
	key, err := s.m.Store.SiteKey(ctx, biebplein.UnsubscribeKey, "browser-test-key")
	if err != nil {
		t.Fatal(err)
	}
	w.unsubscribe = service.UnsubscribeToken(key, w.volunteer.ID, string(biebplein.NoticeMention))
	return w
}

// sweepPages are the pages every kind of person sees, with the person's own pages added.
func sweepPages(w *world, who *biebplein.Person) []string {
	pages := []string{
		"/", "/welcome", "/groups", "/groups/new",
		"/groups/" + w.group.ID, "/groups/" + w.group.ID + "/about", "/groups/" + w.group.ID + "/members",
		"/posts/" + w.post.ID, "/posts/" + w.post.ID + "/history",
		"/people", "/people/" + w.admin.ID, "/people?q=" + url.QueryEscape("bieb"), "/experts", "/experts?topic=voorlezen", "/experts?topic=",
		"/profile", "/profile/sessions", "/profile/tokens",
		"/saved", "/topics/voorlezen", "/notifications", "/settings/notifications",
		"/search", "/search?q=" + url.QueryEscape("voorlezen"), "/search?q=voorlezen&type=post",
		"/search?q=" + url.QueryEscape("-voorlezen"), "/search?q=onvindbaarwoord",
		"/questions", "/questions?topic=voorlezen", "/questions/new", "/questions/new?topics=voorlezen", "/profile/two-factor", "/posts/" + w.post.ID + "/reactions/like",
	}
	if w.closed != nil {
		pages = append(pages, "/groups/"+w.closed.ID)
	}
	switch who {
	case w.simple:
		pages = append(pages, "/?kind=question") // the composer opened to ask, for older links
	case w.volunteer:
		pages = append(pages, "/posts/"+w.ownPost.ID+"/edit", "/posts/"+w.ownPost.ID+"/delete")
	case w.admin:
		pages = append(pages, "/admin", "/admin/people", "/admin/people/new", "/admin/people/"+w.volunteer.ID,
			"/admin/organisations", "/admin/organisations/new", "/admin/organisations/"+w.admin.Organisation.ID,
			"/groups/"+w.group.ID+"/edit", "/admin/audit")
	}
	return pages
}

// TestAccessibilitySweep opens every page as every kind of person, and as a volunteer in
// simple mode, and fails on any WCAG 2.2 A or AA violation axe-core finds at desktop width
// or at 360 px. Each person has a tab of its own, in parallel; the tab loads each page once
// and checks it at both widths (the viewport narrows, the styles follow, the document stays).
func TestAccessibilitySweep(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	w := s.world(t)
	t.Run("SignedOut", func(t *testing.T) {
		t.Parallel()
		tb := s.newTab(t, "signed out", tabOptions{})
		for _, p := range []string{"/login", "/login?lang=en", "/bestaat-niet", "/unsubscribe/" + w.unsubscribe,
			"/password-reset", "/password-reset/verlopen-link", "/invite/verlopen-link"} {
			tb.checkWidths(p)
		}
	})
	for _, who := range []*biebplein.Person{w.admin, w.volunteer, w.partner, w.simple} {
		t.Run(string(who.Kind)+map[bool]string{true: "Admin"}[who.Admin]+map[bool]string{true: "Simple"}[who.Simple], func(t *testing.T) {
			t.Parallel()
			tb := s.newTab(t, who.Name, tabOptions{})
			tb.signIn(who.Email)
			for _, p := range sweepPages(w, who) {
				tb.checkWidths(p)
				if who.Simple {
					var simple bool
					tb.evaluate("read the layout", `document.body.classList.contains("simple")`, &simple)
					if !simple {
						t.Errorf("%s is not in simple mode for %s", p, who.Name)
					}
				}
			}
		})
	}
}

// checkWidths opens path at desktop width and runs axe-core, then narrows the viewport to
// 360 px and runs it again on the same page.
func (tb *tab) checkWidths(path string) {
	tb.t.Helper()
	tb.do("widen to the desktop", chromedp.EmulateViewport(desktopWidth, 900))
	tb.open(path)
	tb.checkA11y(path + " at desktop width")
	tb.do("narrow to a phone", chromedp.EmulateViewport(phoneWidth, 900))
	var width int
	tb.evaluate("read the width", `window.innerWidth`, &width)
	if width != phoneWidth {
		tb.t.Fatalf("%s: the viewport is %d px wide, want %d", tb.name, width, phoneWidth)
	}
	tb.checkA11y(path + " at 360 px")
}

// The sweep can fail: on a page with an image without a text alternative, a field without a
// label and text too pale to read, axe-core reports each.
func TestAxeFindsViolations(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	tb := s.newTab(t, "bad page", tabOptions{})
	tb.do("open a bad page", chromedp.Navigate(`data:text/html,<!doctype html><html lang="nl"><title>Slecht</title><body><main>`+
		`<img src="x.png"><input type="text"><p style="color:%23ccc;background:%23fff">Bleek</p></main></body></html>`))
	found := map[string]bool{}
	for _, v := range tb.violations("bad page") {
		found[v.ID] = true
	}
	for _, rule := range []string{"image-alt", "label", "color-contrast"} {
		if !found[rule] {
			t.Errorf("axe-core did not report %s; it reported %v", rule, found)
		}
	}
}
