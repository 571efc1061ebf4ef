package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// Journey 1: a volunteer signs in for the first time from an invitation link, chooses a
// password, sees the welcome page, finds the group of their branch, reads an announcement
// there and confirms it.
func TestJourneyVolunteerInvitation(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	w := s.world(t)
	ctx := context.Background()
	branch := w.volunteer.Organisation
	p, link, err := s.m.Service.CreatePerson(service.System(ctx), biebplein.PersonInput{Email: "truus.nieuw@example.nl",
		Name: "Truus Nieuw", Kind: biebplein.KindVolunteer, OrganisationID: branch.ID})
	if err != nil {
		t.Fatal(err)
	}
	admin := biebplein.NewContext(ctx, w.admin)
	g, err := s.m.Service.CreateGroup(admin, biebplein.GroupInput{Name: "Vrijwilligers " + branch.Name,
		Description: "Voor iedereen die bij ons helpt.", Visibility: biebplein.VisOrganisation, OrganisationID: branch.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.m.Service.CreatePost(admin, biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindAnnouncement,
		Body: "Welkom! Lees even het **rooster** voor december."}); err != nil {
		t.Fatal(err)
	}

	tb := s.newTab(t, "new volunteer", tabOptions{Width: phoneWidth})
	tb.open(strings.TrimPrefix(link, s.m.URL))
	tb.checkA11y("the invitation page")
	tb.do("choose a password",
		chromedp.SendKeys(chromedp.CSS("#invite-password"), "mijn-eigen-wachtwoord-42"),
		chromedp.SendKeys(chromedp.CSS("#invite-password-repeat"), "mijn-eigen-wachtwoord-42"),
		fresh(), chromedp.Click(chromedp.CSS("form:has(#invite-password) button[type=submit]")),
		next("#notifications-link"),
	)
	if loc, _ := chromedp.Run(tb.ctx, chromedp.Location()); !strings.HasSuffix(loc, "/welcome") {
		t.Fatalf("after choosing a password the page is %s, want the welcome page", loc)
	}
	tb.checkA11y("/welcome")
	tb.open("/groups?tab=all&q=Vrijwilligers")
	tb.do("find the branch's group", fresh(), chromedp.Click(chromedp.CSS("main a[href='/groups/"+g.ID+"']")),
		next("main h1"))
	if got := tb.text("main h1"); !strings.Contains(got, g.Name) {
		t.Fatalf("group page heading %q, want %q", got, g.Name)
	}
	tb.do("join it", fresh(), chromedp.Click(chromedp.CSS("form[action='/groups/"+g.ID+"/join'] button")),
		next(".post--pinned"))
	tb.do("confirm the announcement", fresh(), chromedp.Click(chromedp.CSS(".post--pinned form[action$='/read'] button")),
		next(".post--pinned .meta"))
	if got := tb.text(".post--pinned"); !strings.Contains(got, "rooster") {
		t.Fatalf("the pinned announcement reads %q", got)
	}
	posts, _, err := s.m.Service.Feed(biebplein.NewContext(ctx, mustPerson(t, s, p.ID)), biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: g.ID})
	if err != nil || len(posts) == 0 || !posts[0].ReadByMe {
		t.Fatalf("the announcement is not confirmed as read: %v, %+v", err, posts)
	}
	tb.checkA11y("the group after confirming")
}

// mustPerson reads a person afresh (with their password set).
func mustPerson(t *testing.T, s *site, id string) *biebplein.Person {
	t.Helper()
	p, err := s.m.Store.FindPersonByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Journey 4: a group admin approves a volunteer's request to join a closed group, and adds a
// partner, who then sees that group and no other that is not public.
func TestJourneyClosedGroup(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	w := s.world(t)
	ctx := context.Background()
	admin := biebplein.NewContext(ctx, w.admin)
	g, err := s.m.Service.CreateGroup(admin, biebplein.GroupInput{Name: "Werkgroep Taalhuis",
		Description: "Voor wie met taal en basisvaardigheden werkt.", Visibility: biebplein.VisClosed})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.m.Service.CreatePost(admin, biebplein.PostInput{GroupID: g.ID, Body: "Het nieuwe lesmateriaal staat in de bijlage."}); err != nil {
		t.Fatal(err)
	}
	staffOnly, err := s.m.Service.CreateGroup(admin, biebplein.GroupInput{Name: "Alleen voor het netwerk", Visibility: biebplein.VisNetwork})
	if err != nil {
		t.Fatal(err)
	}

	vol := s.newTab(t, "volunteer", tabOptions{})
	vol.signIn(w.volunteer.Email)
	vol.open("/groups/" + g.ID)
	vol.do("ask to join", fresh(), chromedp.Click(chromedp.CSS("form[action='/groups/"+g.ID+"/join'] button")),
		next("form[action='/groups/"+g.ID+"/leave']"))

	adm := s.newTab(t, "group admin", tabOptions{})
	adm.signIn(w.admin.Email)
	adm.open("/notifications")
	adm.do("open the request", fresh(), chromedp.Click(chromedp.CSS("main a[href='/groups/"+g.ID+"/members']")),
		next("form[action$='/requests/"+w.volunteer.ID+"/approve']"))
	adm.checkA11y("the members page with a request")
	adm.do("approve", fresh(), chromedp.Click(chromedp.CSS("form[action$='/requests/"+w.volunteer.ID+"/approve'] button")),
		next("main"), chromedp.WaitNotPresent(chromedp.CSS("form[action$='/requests/"+w.volunteer.ID+"/approve']")))
	adm.do("add the partner",
		chromedp.SendKeys(chromedp.CSS("#invite-person"), w.partner.Name),
		chromedp.SetAttributeValue(chromedp.CSS("#invite-mode option[value=member]"), "selected", "selected"),
		fresh(), chromedp.Click(chromedp.CSS("form:has(#invite-person) button[type=submit]")),
		next("main"),
	)

	vol.open("/groups/" + g.ID)
	if got := vol.text("main"); !strings.Contains(got, "lesmateriaal") {
		t.Fatalf("after approval the volunteer does not read the group:\n%s", got)
	}

	partner := s.newTab(t, "partner", tabOptions{Width: phoneWidth})
	partner.signIn(w.partner.Email)
	partner.open("/groups/" + g.ID)
	if got := partner.text("main"); !strings.Contains(got, "lesmateriaal") {
		t.Fatalf("the partner added to the group does not read it:\n%s", got)
	}
	partner.checkA11y("the closed group as a partner")
	// Nothing else that is not public: every group the partner is shown is public or theirs.
	groups, _, err := s.m.Service.Groups(biebplein.NewContext(ctx, w.partner), biebplein.GroupFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	partner.open("/groups")
	listed := partner.text("main")
	for _, other := range groups {
		if other.Visibility != biebplein.VisPublic && !other.Membership.IsMember() {
			t.Errorf("the partner is shown %s (%s) without being a member", other.Name, other.Visibility)
		}
	}
	if !strings.Contains(listed, g.Name) {
		t.Errorf("the partner's group list lacks %s", g.Name)
	}
	if status := partner.open("/groups/" + staffOnly.ID); status != 404 {
		t.Errorf("a network group the partner is not in answered %d, want 404", status)
	}

}
