package browser_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/biebplein/biebplein"
)

// composerKinds returns the kinds of post the open page's composer offers, opening it first.
func (tb *tab) composerKinds() []string {
	tb.t.Helper()
	tb.do("open the composer", chromedp.Click(chromedp.CSS(".composer-box summary")),
		chromedp.WaitVisible(chromedp.CSS("#composer-body")))
	var kinds []string
	tb.evaluate("read the kinds of post", `Array.from(document.querySelectorAll("#composer-kind option")).map(o => o.value)`, &kinds)
	return kinds
}

// simpleLayout checks what simple mode promises on the open page at 360 px: body text of at
// least 20 px, menu links and visible buttons at least 48 px high, one column (nothing wider
// than the screen).
func (tb *tab) simpleLayout(page string) {
	tb.t.Helper()
	var got struct {
		Simple      bool
		FontSize    float64
		SmallText   []string
		ScrollWidth int
		Low         []string
	}
	tb.evaluate("measure "+page, `(function(){
		var px = function(e){ return parseFloat(getComputedStyle(e).fontSize); };
		var shown = function(e){ var r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
		var name = function(e){ return e.tagName.toLowerCase() + " " + JSON.stringify(e.textContent.trim().slice(0, 40)); };
		var small = [], low = [];
		// Body text: the paragraphs of the page that are not secondary notes (dates, hints).
		document.querySelectorAll("main p:not(.meta):not(.hint):not(.small):not(.breadcrumb)").forEach(function(p){
			if (shown(p) && p.textContent.trim() && px(p) < 20) small.push(name(p) + " " + px(p) + "px");
		});
		document.querySelectorAll(".main-nav a, .logout button, main .button, main button").forEach(function(e){
			if (!shown(e) || e.classList.contains("default-submit")) return;
			var h = e.getBoundingClientRect().height;
			if (h < 48) low.push(name(e) + " " + h + "px");
		});
		return {Simple: document.body.classList.contains("simple"), FontSize: px(document.body), SmallText: small,
			ScrollWidth: document.documentElement.scrollWidth, Low: low};
	})()`, &got)
	if !got.Simple {
		tb.t.Errorf("%s: %s is not in simple mode (no body.simple)", tb.name, page)
	}
	if got.FontSize < 20 {
		tb.t.Errorf("%s: %s: body text is %.1f px, want at least 20", tb.name, page, got.FontSize)
	}
	for _, s := range got.SmallText {
		tb.t.Errorf("%s: %s: body text smaller than 20 px: %s", tb.name, page, s)
	}
	for _, s := range got.Low {
		tb.t.Errorf("%s: %s: a target lower than 48 px: %s", tb.name, page, s)
	}
	if got.ScrollWidth > phoneWidth {
		tb.t.Errorf("%s: %s is %d px wide at %d px: not one column", tb.name, page, got.ScrollWidth, phoneWidth)
	}
}

// Journey 7 (issue 6): an administrator switches simple mode on for a volunteer with the
// person form; the volunteer, on a phone, gets large text and targets, one column, the short
// menu and a composer with a post or a question, and asks a question in their group.
func TestJourneySimpleMode(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	w := s.world(t)
	ctx := context.Background()

	// Before: in their group the volunteer may write a post, a question or a poll; an
	// announcement only in a group they manage.
	vol := s.newTab(t, "volunteer", tabOptions{Width: phoneWidth})
	vol.signIn(w.volunteer.Email)
	vol.open("/groups/" + w.group.ID)
	want := []string{"post", "question", "poll"}
	if w.group.Membership.IsGroupAdmin() {
		want = append(want, "announcement")
	}
	if got := vol.composerKinds(); !slices.Equal(got, want) {
		t.Errorf("the volunteer's composer in %s offers %v, want %v", w.group.Name, got, want)
	}
	vol.checkA11y("the group's composer, not simple")

	adm := s.newTab(t, "administrator", tabOptions{})
	adm.signIn(w.admin.Email)
	form := "form[action='/admin/people/" + w.volunteer.ID + "']"
	adm.open("/admin/people/" + w.volunteer.ID)
	adm.do("switch simple mode on", chromedp.Click(chromedp.CSS(form+" #person-simple")),
		fresh(), chromedp.Click(chromedp.CSS(form+" button[type=submit]")), next("main h1"))
	if p := mustPerson(t, s, w.volunteer.ID); !p.Simple {
		t.Fatalf("after saving the person form %s is not in simple mode", p.Name)
	}
	adm.open("/admin/people/" + w.volunteer.ID)
	var checked bool
	adm.evaluate("read the checkbox", `document.getElementById("person-simple").checked`, &checked)
	if !checked {
		t.Errorf("the person form does not show simple mode on after saving")
	}
	adm.checkA11y("the person form with simple mode on")

	// The volunteer's next page is simple: the short menu, in plain words.
	vol.open("/")
	var menu []string
	vol.evaluate("read the menu", `Array.from(document.querySelectorAll(".main-nav a")).map(a => a.firstChild.textContent.trim())
		.concat(Array.from(document.querySelectorAll(".logout button")).map(b => b.textContent.trim()))`, &menu)
	if want := []string{"Nieuws", "Mijn groepen", "Een vraag stellen", "Meldingen", "Profiel", "Afmelden"}; !slices.Equal(menu, want) {
		t.Errorf("the menu in simple mode is %q, want %q", menu, want)
	}
	vol.simpleLayout("/")
	vol.checkA11y("/ in simple mode")

	// "Een vraag stellen" leads to the question form, simple and large too; without script
	// "Toon wie dit weet" lists the people who know, as large checkboxes.
	vol.do("follow the ask link", fresh(), chromedp.Click(chromedp.CSS(".main-nav a[href='/questions/new']")), next("#question-title"))
	vol.simpleLayout("the question form")
	vol.checkA11y("the question form in simple mode")
	vol.do("ask who knows",
		chromedp.SendKeys(chromedp.CSS("#question-title"), "Wie weet hoe de voorleestassen werken?"),
		chromedp.SendKeys(chromedp.CSS("#question-topics"), "voorlezen"),
		fresh(), chromedp.Click(chromedp.CSS("button[value=suggest]")), next("#question-title"))
	vol.simpleLayout("the question form with suggestions")
	vol.checkA11y("the question form with suggestions in simple mode")
	var title string
	vol.evaluate("read the title kept", `document.getElementById("question-title").value`, &title)
	if title != "Wie weet hoe de voorleestassen werken?" {
		t.Errorf("the title after asking who knows is %q", title)
	}

	vol.open("/groups/" + w.group.ID)
	if got := vol.composerKinds(); !slices.Equal(got, []string{"post", "question"}) {
		t.Errorf("the composer in simple mode offers %v, want a post or a question", got)
	}
	vol.simpleLayout("the group with the composer open")
	vol.checkA11y("the group's composer in simple mode")

	question := "Weet iemand waar de sleutel van de leeshoek ligt?"
	vol.do("ask a question",
		chromedp.SetAttributeValue(chromedp.CSS("#composer-kind option[value=question]"), "selected", "selected"),
		chromedp.SendKeys(chromedp.CSS("#composer-body"), question),
		fresh(), chromedp.Click(chromedp.CSS(".composer button.button[type=submit]:not([name])")),
		next(".feed"))
	if got := vol.text("main"); !strings.Contains(got, question) {
		t.Fatalf("the question is not in the group:\n%s", got)
	}
	posts, _, err := s.m.Service.Feed(biebplein.NewContext(ctx, mustPerson(t, s, w.volunteer.ID)),
		biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: w.group.ID, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(posts, func(p *biebplein.Post) bool { return strings.Contains(p.Body, question) })
	if i < 0 || posts[i].Kind != biebplein.KindQuestion {
		t.Fatalf("the volunteer's post is not a question in the group: %+v", posts)
	}
	vol.simpleLayout("the group after asking")
	vol.checkA11y("the group after asking in simple mode")

	vol.open("/posts/" + posts[i].ID)
	vol.simpleLayout("the question's page")
	vol.checkA11y("the question's page in simple mode")
}
