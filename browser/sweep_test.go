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
	}
	if w.closed != nil {
		pages = append(pages, "/groups/"+w.closed.ID)
	}
	switch who {
	case w.volunteer:
		pages = append(pages, "/posts/"+w.ownPost.ID+"/edit", "/posts/"+w.ownPost.ID+"/delete")
	case w.admin:
		pages = append(pages, "/admin", "/admin/people", "/admin/people/new", "/admin/people/"+w.volunteer.ID,
			"/admin/organisations", "/admin/organisations/new", "/admin/organisations/"+w.admin.Organisation.ID,
			"/groups/"+w.group.ID+"/edit")
	}
	return pages
}

// TestAccessibilitySweep opens every page as every kind of person, at desktop width and at
// 360 px, and fails on any WCAG 2.2 A or AA violation axe-core finds.
func TestAccessibilitySweep(t *testing.T) {
	s := newSite(t)
	w := s.world(t)
	for _, width := range []int{desktopWidth, phoneWidth} {
		t.Run(map[int]string{desktopWidth: "Desktop", phoneWidth: "Phone"}[width], func(t *testing.T) {
			t.Run("SignedOut", func(t *testing.T) {
				tb := s.newTab(t, "signed out", tabOptions{Width: width})
				for _, p := range []string{"/login", "/login?lang=en", "/bestaat-niet", "/unsubscribe/" + w.unsubscribe} {
					tb.open(p)
					tb.checkA11y(p)
				}
			})
			for _, who := range []*biebplein.Person{w.admin, w.volunteer, w.partner} {
				t.Run(string(who.Kind)+map[bool]string{true: "Admin"}[who.Admin], func(t *testing.T) {
					tb := s.newTab(t, who.Name, tabOptions{Width: width})
					tb.signIn(who.Email)
					for _, p := range sweepPages(w, who) {
						tb.open(p)
						tb.checkA11y(p)
					}
				})
			}
		})
	}
}

// The sweep can fail: on a page with an image without a text alternative, a field without a
// label and text too pale to read, axe-core reports each.
func TestAxeFindsViolations(t *testing.T) {
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
