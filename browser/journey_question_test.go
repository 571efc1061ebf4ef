package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Journey 7: a volunteer asks a question. With JavaScript, leaving the topics field shows who
// knows without reloading the page (question.js); the person ticked stays ticked when the
// topics change and nobody is suggested for them any more; the question goes out to them.
func TestJourneyQuestionSuggestions(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	w := s.world(t)
	vol := s.newTab(t, "volunteer", tabOptions{})
	vol.signIn(w.volunteer.Email)
	vol.open("/questions/new")
	vol.do("type a question and its topic, then leave the field",
		chromedp.SendKeys(chromedp.CSS("#question-title"), "Wie weet hoe de voorleestassen werken?"),
		fresh(), // the list must come without a new page
		chromedp.SendKeys(chromedp.CSS("#question-topics"), "voorlezen"), chromedp.KeyEvent(kb.Tab),
		chromedp.WaitVisible(chromedp.CSS("html[data-old] #question-ask input[name=ask]")),
	)
	var offered int
	vol.evaluate("count the people offered", `document.querySelectorAll("#question-ask input[name=ask]").length`, &offered)
	if offered < 2 {
		t.Fatalf("the finder offers %d people for voorlezen, want several", offered)
	}
	if got, want := vol.text("#question-ask-status"), "Er staan nu "; !strings.HasPrefix(got, want) {
		t.Errorf("the live region says %q, want a sentence with the number of people", got)
	}
	var chosen string
	vol.evaluate("read the first person", `document.querySelector("#question-ask input[name=ask]").value`, &chosen)
	vol.do("tick the first person", chromedp.Click(chromedp.CSS("#question-ask li:first-child label")))
	var cleared bool
	vol.evaluate("clear the topics", `(document.getElementById("question-topics").value = "") === ""`, &cleared)
	vol.do("change the topic to one nobody knows",
		chromedp.SendKeys(chromedp.CSS("#question-topics"), "sleutelkluisbeheer"), chromedp.KeyEvent(kb.Tab),
	)
	vol.waitFor("the list for the new topic", `document.getElementById("question-ask-status").textContent.indexOf("1 persoon") >= 0`, stepTimeout)
	var kept []string
	vol.evaluate("read who is ticked", `Array.from(document.querySelectorAll("#question-ask input[name=ask]:checked")).map(c => c.value)`, &kept)
	if len(kept) != 1 || kept[0] != chosen {
		t.Fatalf("ticked after changing the topic: %v, want only %s", kept, chosen)
	}
	if why := vol.text("#question-ask li:first-child .reasons"); !strings.Contains(why, "al aangevinkt") {
		t.Errorf("the kept person's reason is %q, want that they were ticked", why)
	}
	vol.checkA11y("the question form with the list refreshed")
	vol.do("ask the question", chromedp.Click(chromedp.CSS("button[value=post]")), next("main .post"))
	if got := vol.text("main"); !strings.Contains(got, "Wie weet hoe de voorleestassen werken?") || !strings.Contains(got, "Gevraagd:") {
		t.Errorf("the question page does not show the question and whom it asked:\n%s", shorten(got, 400))
	}
}
