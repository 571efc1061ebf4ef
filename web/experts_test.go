package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

func TestExpertsPage(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		exp := []string{"BoekStart"}
		if _, err := s.svc.UpdateProfile(as(s.staff), s.staff.ID, biebplein.ProfileUpdate{Expertise: &exp}); err != nil {
			t.Fatal(err)
		}
		// The volunteer wrote about it in a secret group only its members read.
		secret := s.mustGroup(s.admin, "Stuurgroep", biebplein.VisSecret, "")
		s.mustJoin(s.admin, s.vol, secret)
		s.mustPost(s.vol, secret, biebplein.KindPost, "Geheim over #boekstart")
		c := s.signedIn(s.staff)

		t.Run("FormFirst", func(t *testing.T) {
			r := c.get("/experts")
			wantStatus(t, "form", r, http.StatusOK)
			wantBody(t, "form", r, text("nl", "web.experts.title"), `name="topic"`, `<datalist id="topic-tags">`,
				`<option value="boekstart">`, `aria-current="page"`)
			if strings.Contains(r.Body, text("nl", "error.expert_topic_required")) {
				t.Error("the first visit shows an error")
			}
		})
		t.Run("Results", func(t *testing.T) {
			r := c.get("/experts?topic=Bo%C3%ABkstart")
			wantStatus(t, "results", r, http.StatusOK)
			if got := listed(r); len(got) != 1 || got[0] != s.staff.Name {
				t.Fatalf("listed %v, want only %s (the secret post does not count)", got, s.staff.Name)
			}
			wantBody(t, "results", r, htmlEscape(text("nl", "expert.reason.expertise", "boekstart")))
		})
		t.Run("MemberSeesSecretActivity", func(t *testing.T) {
			r := s.signedIn(s.vol).get("/experts?topic=boekstart")
			wantBody(t, "member", r, htmlEscape(text("nl", "expert.reason.posts_one", "boekstart")))
		})
		t.Run("TopicRequired", func(t *testing.T) {
			r := c.get("/experts?topic=+&kind=baas")
			wantStatus(t, "empty topic", r, http.StatusBadRequest)
			wantBody(t, "empty topic", r, text("nl", "error.expert_topic_required"))
		})
		t.Run("English", func(t *testing.T) {
			en := s.signedIn(s.admin)
			if _, err := s.svc.UpdateProfile(as(s.admin), s.admin.ID, biebplein.ProfileUpdate{Locale: ptr(biebplein.LocaleEN)}); err != nil {
				t.Fatal(err)
			}
			r := en.get("/experts?topic=")
			wantStatus(t, "english", r, http.StatusBadRequest)
			wantBody(t, "english", r, text("en", "error.expert_topic_required"))
		})
		t.Run("LinkedFromPeople", func(t *testing.T) {
			wantBody(t, "people", s.signedIn(s.admin).get("/people"), `href="/experts"`)
		})
	})
}

func ptr[T any](v T) *T { return &v }

func TestQuestionsPage(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		open := s.mustGroup(s.staff, "Leesclub", biebplein.VisNetwork, "")
		secret := s.mustGroup(s.admin, "Stuurgroep", biebplein.VisSecret, "")
		s.mustPost(s.staff, open, biebplein.KindQuestion, "Wie helpt met #voorlezen?")
		s.mustPost(s.staff, open, biebplein.KindQuestion, "Waar staan de #makerspace spullen?")
		s.mustPost(s.staff, open, biebplein.KindPost, "Geen vraag #voorlezen")
		done := s.mustPost(s.staff, open, biebplein.KindQuestion, "Al beantwoord #voorlezen")
		c, err := s.svc.CreateComment(as(s.vol), done.ID, "", "Zo!")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.Accept(as(s.staff), done.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		s.mustPost(s.admin, secret, biebplein.KindQuestion, "Geheime #voorlezen vraag")
		vol := s.signedIn(s.vol)

		r := vol.get("/questions?topic=%23Voorlezen")
		wantStatus(t, "topic", r, http.StatusOK)
		wantBody(t, "topic", r, "Wie helpt met", `href="/experts?topic=voorlezen"`)
		for _, not := range []string{"Waar staan", "Geen vraag", "Al beantwoord", "Geheime"} {
			if strings.Contains(r.Body, not) {
				t.Errorf("the open questions about voorlezen show %q", not)
			}
		}
		r = vol.get("/questions")
		wantBody(t, "all", r, "Wie helpt met", "Waar staan")
		if strings.Contains(r.Body, "Geheime") {
			t.Error("a question of a secret group is shown to an outsider")
		}
		wantBody(t, "member", s.signedIn(s.admin).get("/questions?topic=voorlezen"), "Geheime")
		r = vol.get("/questions?topic=%FF")
		wantStatus(t, "bad topic", r, http.StatusBadRequest)
	})
}
