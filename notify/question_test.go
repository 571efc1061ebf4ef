package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// TestAskedMail: someone asked directly about a question gets the mail of the new kind at
// once (after the delay), with the question's text; a title with markup stays text.
func TestAskedMail(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		w := f.worker(f.db)
		p, err := f.svc.AskQuestion(f.as(f.anna), biebplein.QuestionInput{Title: `<script>alert("x")</script> Wie leest mee?`,
			Topics: []string{"voorlezen"}, GroupID: f.group.ID, Ask: []string{f.bert.ID}})
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Add(service.DefaultMailDelay)
		if n := f.run(w); n != 1 {
			t.Fatalf("sent %d mails, want 1 to Bert", n)
		}
		got := f.smtp.Wait(t, 1, 5*time.Second)[0]
		if got.To[0] != f.bert.Email {
			t.Fatalf("mail to %v, want Bert", got.To)
		}
		if want := "Anna de Vries vraagt u om mee te denken in Leesbevordering"; got.Subject != want {
			t.Errorf("subject = %q, want %q", got.Subject, want)
		}
		if !strings.Contains(got.HTML, "Wie leest mee?") || !strings.Contains(got.HTML, "https://plein.example/posts/"+p.ID) {
			t.Errorf("the HTML part lacks the question or its link:\n%s", got.HTML)
		}
		if strings.Contains(got.HTML, "<script") || !strings.Contains(got.HTML, "&lt;script&gt;") {
			t.Errorf("the HTML part does not show the title's markup as text:\n%s", got.HTML)
		}
		if !strings.Contains(got.Text, "Wie leest mee?") {
			t.Errorf("the text part lacks the question:\n%s", got.Text)
		}
	})
}
