package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/biebplein/biebplein"
)

// Journey 3: a front-office employee searches "voorlezen" from the search box in the header,
// opens a result, and then finds who knows about BoekStart with "Wie weet er van...?".
func TestJourneySearchAndExpert(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	ctx := context.Background()
	staff, _, err := s.m.Store.FindPeople(ctx, biebplein.PersonFilter{Query: "frontoffice", Kind: biebplein.KindStaff, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var front *biebplein.Person
	for _, p := range staff {
		if p.Active() && !p.Invited() {
			front = p
			break
		}
	}
	if front == nil {
		t.Fatal("no front-office employee who can sign in in the demo network")
	}
	tb := s.newTab(t, "front office", tabOptions{})
	tb.signIn(front.Email)
	tb.do("search from the header",
		chromedp.SendKeys(chromedp.CSS("#site-search-q"), "voorlezen"),
		fresh(), chromedp.Click(chromedp.CSS("form.site-search button[type=submit]")),
		next(".search-results"),
	)
	if loc, _ := chromedp.Run(tb.ctx, chromedp.Location()); !strings.Contains(loc, "/search?q=voorlezen") {
		t.Fatalf("the search box led to %s", loc)
	}
	if marked := tb.text(".search-results mark"); !strings.EqualFold(marked, "voorlezen") {
		t.Errorf("the first marked word is %q, want voorlezen", marked)
	}
	tb.checkA11y("/search?q=voorlezen")
	first := tb.text("#results-post ~ .search-results .search-hit h3 a")
	tb.do("open the first post found", fresh(),
		chromedp.Click(chromedp.CSS("#results-post ~ .search-results .search-hit h3 a")), next("main .post"))
	if body := tb.text("main .post"); !strings.Contains(strings.ToLower(body), "voorle") {
		t.Errorf("the post opened (%q) does not mention voorlezen: %q", first, shorten(body, 200))
	}

	tb.do("go to the expertise finder", fresh(), chromedp.Click(chromedp.CSS("a[href='/experts']")), next("#experts-topic"))
	tb.do("ask who knows about BoekStart",
		chromedp.SendKeys(chromedp.CSS("#experts-topic"), "BoekStart"),
		fresh(), chromedp.Click(chromedp.CSS("form[action='/experts'] button[type=submit]")),
		next(".person-card"),
	)
	card := tb.text(".person-card")
	if !strings.Contains(strings.ToLower(card), "boekstart") {
		t.Errorf("the first expert's card does not say why BoekStart: %q", shorten(card, 300))
	}
	tb.checkA11y("/experts?topic=BoekStart")
	tb.do("open the expert's profile", fresh(), chromedp.Click(chromedp.CSS(".person-card h3 a")), next("main h1"))
	if prof := tb.text("main"); !strings.Contains(strings.ToLower(prof), "boekstart") {
		t.Errorf("the expert's profile does not show BoekStart: %q", shorten(prof, 300))
	}
}
