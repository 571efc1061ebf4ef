package browser_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focusVisible says whether the focused element shows it: an outline or a ring (box-shadow)
// from :focus-visible, or a link's focus background.
const focusVisible = `(function(){var e=document.activeElement; if(!e||e===document.body)return "none";
	var s=getComputedStyle(e); var seen=(s.outlineStyle!=="none"&&parseFloat(s.outlineWidth)>0)||s.boxShadow!=="none";
	return (seen?"yes ":"no ")+e.tagName.toLowerCase()+(e.id?"#"+e.id:"")+" "+(e.getAttribute("href")||e.getAttribute("name")||e.textContent.trim().slice(0,40))})()`

// press sends keys (kb.Tab, kb.Enter, " ", kb.Escape or text) to the focused element.
func (tb *tab) press(keys string) {
	tb.t.Helper()
	tb.do("press "+strconv.Quote(keys), chromedp.KeyEvent(keys))
}

// tabTo presses Tab until the focused element matches the CSS selector, checking at every stop
// that the focus can be seen. It fails when the element is not reached within max presses.
func (tb *tab) tabTo(sel string, max int) {
	tb.t.Helper()
	for range max {
		tb.press(kb.Tab)
		ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
		state, err := chromedp.Run(ctx, chromedp.Evaluate[string](focusVisible))
		at, err2 := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement && document.activeElement.matches(`+strconv.Quote(sel)+`)`))
		cancel()
		if err != nil || err2 != nil {
			tb.t.Fatalf("%s: read the focus: %v %v", tb.name, err, err2)
		}
		if strings.HasPrefix(state, "no ") {
			tb.t.Errorf("%s: the focus on %s cannot be seen", tb.name, strings.TrimPrefix(state, "no "))
		}
		if at {
			return
		}
	}
	tb.t.Fatalf("%s: %s not reached with %d presses of Tab", tb.name, sel, max)
}

// Journey 5: journey 2 with the keyboard only. Every control is reached with Tab, the focus
// is always visible, and after each action it lands where a person expects.
func TestJourneyKeyboardOnly(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	w := s.world(t)

	colleague := s.newTab(t, "colleague", tabOptions{})
	colleague.signIn(w.volunteer.Email)
	colleague.open("/")
	before := colleague.count()

	author := s.newTab(t, "author", tabOptions{})
	author.open("/login")
	author.tabTo("#login-email", 10)
	author.press(w.admin.Email)
	author.tabTo("#login-password", 3)
	author.press("welkom-in-de-bieb")
	author.do("sign in with Enter", fresh(), chromedp.KeyEvent(kb.Enter), next("#notifications-link"))

	author.open("/groups/" + w.group.ID)
	author.tabTo(".composer-box summary", 40)
	author.do("open the composer with Enter", chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#composer-body")))
	author.tabTo("#composer-body", 10)
	author.press("Voor het voorleesontbijt, @" + w.volunteer.Name + " dank je!")
	author.press(kb.Escape) // close the name suggestions, if any
	author.tabTo(".composer button.button[type=submit]:not([name])", 30)
	author.do("send with Enter", fresh(), chromedp.KeyEvent(kb.Enter), next(".feed"))
	// The page comes back at the new post.
	if loc, _ := chromedp.Run(author.ctx, chromedp.Location()); !strings.Contains(loc, "#post-") {
		t.Errorf("after posting the page is at %s, want the new post", loc)
	}

	colleague.waitFor("the count to go up", `(function(){var c=document.getElementById("notification-count");
		return c && !c.parentNode.hidden && parseInt(c.textContent, 10) > `+strconv.Itoa(before)+`})()`, 10*time.Second)
	colleague.open("/")
	colleague.tabTo("#notifications-link", 15)
	colleague.do("open the notifications with Enter", fresh(), chromedp.KeyEvent(kb.Enter), next("main h1"))
	colleague.tabTo("main li a[href^='/posts/']", 20)
	colleague.do("open the post with Enter", fresh(), chromedp.KeyEvent(kb.Enter), next("#answer-body"))
	colleague.tabTo("#answer-body", 60)
	colleague.press("Met plezier, tot de volgende keer!")
	colleague.press(kb.Escape)
	colleague.tabTo("#answer-body ~ button, form:has(#answer-body) button[type=submit]", 5)
	colleague.do("send the reply with Space", fresh(), chromedp.KeyEvent(" "), next(".comment"))
	if got := colleague.text("main"); !strings.Contains(got, "Met plezier, tot de volgende keer!") {
		t.Fatalf("the reply is not on the post page:\n%s", got)
	}
}
