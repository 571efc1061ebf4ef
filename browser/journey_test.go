package browser_test

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitFor polls a JavaScript condition on the open page until it is true, without reloading.
func (tb *tab) waitFor(what, condition string, timeout time.Duration) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](condition, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		tb.t.Fatalf("%s: %s did not happen within %s: %v", tb.name, what, timeout, err)
	}
}

// count returns the header's unread count as the page shows it now (0 when hidden).
func (tb *tab) count() int {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var c=document.getElementById("notification-count");
		return c && !c.parentNode.hidden ? c.textContent.trim() : "0"})()`))
	if err != nil {
		tb.t.Fatalf("%s: read the count: %v", tb.name, err)
	}
	n, _ := strconv.Atoi(strings.TrimSuffix(s, "+"))
	return n
}

// photo writes a small PNG for uploading.
func photo(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{R: uint8(x * 4), G: uint8(y * 5), B: 160, A: 255})
		}
	}
	path := filepath.Join(t.TempDir(), "voorleesontbijt.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// Journey 2: a staff member writes a post with an image and a mention; the mentioned
// colleague, signed in in a second browser, sees the count change without reloading, opens
// the notification and replies.
func TestJourneyMentionLive(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	w := s.world(t)

	colleague := s.newTab(t, "colleague", tabOptions{})
	colleague.signIn(w.volunteer.Email)
	colleague.open("/")
	colleague.waitFor("the live stream to connect", `document.readyState === "complete"`, 5*time.Second)
	before := colleague.count()

	author := s.newTab(t, "author", tabOptions{})
	author.signIn(w.admin.Email)
	author.open("/groups/" + w.group.ID)
	author.do("write a post with an image and a mention",
		chromedp.Click(chromedp.CSS(".composer-box summary")),
		chromedp.SendKeys(chromedp.CSS("#composer-body"), "Dank voor het voorleesontbijt, @"+w.volunteer.Name+"! Hier een foto."),
		chromedp.SetUploadFiles(chromedp.CSS("#composer-file"), []string{photo(t)}),
		fresh(), chromedp.Click(chromedp.CSS(".composer button.button[type=submit]:not([name])")),
		next(".feed img"),
	)

	// Without reloading, the colleague's header counts one more, and the feed offers the post.
	colleague.waitFor("the count to go up", `(function(){var c=document.getElementById("notification-count");
		return c && !c.parentNode.hidden && parseInt(c.textContent, 10) > `+strconv.Itoa(before)+`})()`, 10*time.Second)
	colleague.waitFor("the new posts link", `document.querySelector("#live-posts a") !== null`, 10*time.Second)

	colleague.do("open the notification", fresh(), chromedp.Click(chromedp.CSS("#notifications-link")),
		next("main h1"))
	colleague.checkA11y("/notifications")
	if got := colleague.text("main"); !strings.Contains(got, w.admin.Name) {
		t.Fatalf("the notification page does not name %s:\n%s", w.admin.Name, got)
	}
	colleague.do("follow the notification", fresh(), chromedp.Click(chromedp.CSS("main li a[href^='/posts/']")),
		next("#answer-body"))
	colleague.do("reply", chromedp.SendKeys(chromedp.CSS("#answer-body"), "Graag gedaan, volgende keer weer!"),
		fresh(), chromedp.Click(chromedp.CSS("form:has(#answer-body) button[type=submit]")),
		next(".comment"))
	if got := colleague.text("main"); !strings.Contains(got, "Graag gedaan, volgende keer weer!") {
		t.Fatalf("the reply is not on the post page:\n%s", got)
	}
	// Opening the post read the notification: the count is back where it was.
	if n := colleague.count(); n != before {
		t.Errorf("count after opening the post = %d, want %d", n, before)
	}
	colleague.checkA11y("the post page after replying")
}

// Journey 6: with JavaScript switched off the pages still work: write a post and a poll,
// comment, react and vote, all by plain forms.
func TestJourneyWithoutJavaScript(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	w := s.world(t)
	tb := s.newTab(t, "no JavaScript", tabOptions{NoJS: true, Width: phoneWidth})
	tb.signIn(w.volunteer.Email)
	tb.open("/groups/" + w.group.ID)
	tb.do("write a post",
		chromedp.Click(chromedp.CSS(".composer-box summary")),
		chromedp.SendKeys(chromedp.CSS("#composer-body"), "Zonder JavaScript: wie neemt de koffie mee?"),
		fresh(), chromedp.Click(chromedp.CSS(".composer button.button[type=submit]:not([name])")),
		next(".feed"),
	)
	if got := tb.text("main"); !strings.Contains(got, "wie neemt de koffie mee?") {
		t.Fatalf("the post is not in the group:\n%s", got)
	}
	// The group page came back at the new post (#post-<id>): open it.
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	_, id, ok := strings.Cut(loc, "#post-")
	if err != nil || !ok {
		t.Fatalf("after posting the page is at %q (%v), want the group at the new post", loc, err)
	}
	tb.open("/posts/" + id)
	tb.do("comment", chromedp.SendKeys(chromedp.CSS("#answer-body"), "Ik, met koekjes."), fresh(), chromedp.Click(chromedp.CSS("form:has(#answer-body) button[type=submit]")),
		next(".comment"))
	tb.do("react", fresh(), chromedp.Click(chromedp.CSS(".reactions button.reaction")), next(".reactions button[aria-pressed=true]"))
	if got := tb.text("main"); !strings.Contains(got, "Ik, met koekjes.") {
		t.Fatalf("the comment is not on the page:\n%s", got)
	}
	tb.checkA11y("a post without JavaScript")

	// A poll: the composer shows its options without a script.
	tb.open("/groups/" + w.group.ID)
	tb.do("write a poll",
		chromedp.Click(chromedp.CSS(".composer-box summary")),
		// Through the DOM, not a script: this tab runs none.
		chromedp.SetAttributeValue(chromedp.CSS("#composer-kind option[value=poll]"), "selected", "selected"),
		chromedp.SendKeys(chromedp.CSS("#composer-body"), "Welke dag past het best?"),
		chromedp.SendKeys(chromedp.CSS(".poll-fields input[name=option]:nth-of-type(1)"), "dinsdag"),
		chromedp.SendKeys(chromedp.CSS(".poll-fields input[name=option]:nth-of-type(2)"), "donderdag"),
		fresh(), chromedp.Click(chromedp.CSS(".composer button.button[type=submit]:not([name])")),
		next(".poll-form"),
	)
	loc, err = chromedp.Run(tb.ctx, chromedp.Location())
	if _, id, ok = strings.Cut(loc, "#post-"); err != nil || !ok {
		t.Fatalf("after the poll the page is at %q (%v), want the group at the new poll", loc, err)
	}
	tb.open("/posts/" + id)
	// Choosing through the DOM, not a click: a click at coordinates can miss on a slow machine.
	tb.do("vote", chromedp.SetAttributeValue(chromedp.CSS(".poll-form input[type=radio]"), "checked", "checked"),
		fresh(), chromedp.Click(chromedp.CSS(".poll-form button[type=submit]")), next(".poll-results"))
	tb.checkA11y("a poll after voting without JavaScript")

	// Search: the form of the search page, the post just written found with the word marked.
	tb.open("/search")
	tb.do("search", chromedp.SendKeys(chromedp.CSS("#search-q"), "koffie"), fresh(),
		chromedp.Click(chromedp.CSS("form[action='/search'] .actions button[type=submit]")), next(".search-results"))
	if got := tb.text(".search-results"); !strings.Contains(got, "wie neemt de koffie mee?") {
		t.Fatalf("search without JavaScript does not find the post:\n%s", got)
	}
	if marked := tb.text(".search-results mark"); marked != "koffie" {
		t.Errorf("marked %q, want koffie", marked)
	}
	tb.checkA11y("search results without JavaScript")
}
