package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

// askBoxes returns the ids of the people offered to ask, and of those ticked.
func askBoxes(r *response) (offered, ticked []string) {
	for _, m := range regexp.MustCompile(`<input type="checkbox" id="question-ask-\d+" name="ask" value="([^"]+)"( checked)?`).FindAllStringSubmatch(r.Body, -1) {
		offered = append(offered, m[1])
		if m[2] != "" {
			ticked = append(ticked, m[1])
		}
	}
	return offered, ticked
}

func TestQuestionForm(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		exp := []string{"BoekStart"}
		for _, p := range []*biebplein.Person{s.staff, s.vol, s.admin} {
			if _, err := s.svc.UpdateProfile(as(p), p.ID, biebplein.ProfileUpdate{Expertise: &exp}); err != nil {
				t.Fatal(err)
			}
		}
		vol := s.signedIn(s.vol)
		closed := s.mustGroup(s.admin, "Voorleesploeg", biebplein.VisClosed, "")
		s.mustJoin(s.admin, s.vol, closed)

		var space string
		t.Run("Form", func(t *testing.T) {
			r := vol.get("/questions/new?topics=boekstart")
			wantStatus(t, "form", r, http.StatusOK)
			wantBody(t, "form", r, text("nl", "web.question_new.title"), `name="title"`, `name="topics" value="boekstart"`,
				`<datalist id="question-topic-tags">`, `<option value="boekstart">`, htmlEscape(text("nl", "web.question_new.suggest")),
				`value="suggest"`, `value="post"`, ">Vraag en antwoord</option>", ">Voorleesploeg</option>")
			m := regexp.MustCompile(`<option value="([^"]+)"[^>]*>Vraag en antwoord</option>`).FindStringSubmatch(r.Body)
			if m == nil || strings.Index(r.Body, ">Vraag en antwoord<") > strings.Index(r.Body, ">Voorleesploeg<") {
				t.Fatal("the Vraag en antwoord space is not the first choice")
			}
			space = m[1]
		})
		t.Run("SuggestionsWithoutScript", func(t *testing.T) {
			r := vol.post("/questions", url.Values{"title": {"Hoe begin ik?"}, "body": {"Met peuters"}, "topics": {"boekstart"},
				"group_id": {space}, "action": {"suggest"}})
			wantStatus(t, "suggest", r, http.StatusOK)
			offered, ticked := askBoxes(r)
			if len(offered) != 2 || !contains(offered, s.staff.ID) || !contains(offered, s.admin.ID) || len(ticked) != 0 {
				t.Fatalf("offered %v (ticked %v), want Sam and Anne without the asker", offered, ticked)
			}
			wantBody(t, "suggest", r, htmlEscape(text("nl", "expert.reason.expertise", "boekstart")), `value="Hoe begin ik?"`, "Met peuters")
		})
		t.Run("TicksKeptWhenTopicsChange", func(t *testing.T) {
			// Sam was ticked for boekstart; the topics are now ones nobody declares, so the
			// finder no longer suggests him, but the author's choice stays on the list, ticked.
			r := vol.post("/questions", url.Values{"title": {"Hoe begin ik?"}, "topics": {"taalcafé"},
				"group_id": {space}, "ask": {s.staff.ID, "nobody-has-this-id"}, "action": {"suggest"}})
			wantStatus(t, "suggest again", r, http.StatusOK)
			offered, ticked := askBoxes(r)
			if len(offered) != 1 || len(ticked) != 1 || ticked[0] != s.staff.ID {
				t.Fatalf("offered %v (ticked %v) after changing the topics, want Sam alone, still ticked", offered, ticked)
			}
			wantBody(t, "suggest again", r, htmlEscape(text("nl", "web.question_new.kept")))
			notBody(t, "suggest again", r, "nobody-has-this-id")
		})
		t.Run("OnlyReadersOfTheGroup", func(t *testing.T) {
			r := vol.post("/questions", url.Values{"title": {"Hoe begin ik?"}, "topics": {"boekstart"},
				"group_id": {closed.ID}, "action": {"suggest"}})
			wantStatus(t, "suggest closed", r, http.StatusOK)
			// Anne made the closed group; Sam, no member, may not read it.
			if offered, _ := askBoxes(r); len(offered) != 1 || offered[0] != s.admin.ID {
				t.Fatalf("offered %v for the closed group, want only Anne", offered)
			}
		})
		t.Run("SixIsTooMany", func(t *testing.T) {
			six := []string{s.staff.ID, s.admin.ID, "a", "b", "c", "d"}
			r := vol.post("/questions", url.Values{"title": {"Hoe begin ik?"}, "body": {"Uitleg blijft"}, "topics": {"boekstart"},
				"group_id": {space}, "ask": six, "action": {"post"}})
			wantStatus(t, "six", r, http.StatusBadRequest)
			wantBody(t, "six", r, htmlEscape(text("nl", "error.question_ask_too_many")), `value="Hoe begin ik?"`, "Uitleg blijft",
				`href="#question-ask"`)
			if _, ticked := askBoxes(r); len(ticked) != 2 {
				t.Errorf("ticked %v after the error, want Sam and Anne still ticked", ticked)
			}
		})
		t.Run("CannotReadTheGroup", func(t *testing.T) {
			r := vol.post("/questions", url.Values{"title": {"Wie helpt?"}, "topics": {"boekstart"}, "group_id": {closed.ID},
				"ask": {s.staff.ID}, "action": {"post"}})
			wantStatus(t, "closed", r, http.StatusBadRequest)
			wantBody(t, "closed", r, htmlEscape(text("nl", "error.question_ask_cannot_read")), `value="Wie helpt?"`)
		})
		t.Run("English", func(t *testing.T) {
			if _, err := s.svc.UpdateProfile(as(s.admin), s.admin.ID, biebplein.ProfileUpdate{Locale: ptr(biebplein.LocaleEN)}); err != nil {
				t.Fatal(err)
			}
			en := s.signedIn(s.admin)
			r := en.post("/questions", url.Values{"title": {""}, "topics": {"de bibliotheek op school"}, "group_id": {space}, "action": {"post"}})
			wantStatus(t, "english", r, http.StatusBadRequest)
			wantBody(t, "english", r, text("en", "error.title_required"), text("en", "error.question_topic_word"))
		})
		t.Run("Posted", func(t *testing.T) {
			title := `<script>alert("x")</script> Wie weet het?`
			r := vol.post("/questions", url.Values{"title": {title}, "topics": {"boekstart"}, "group_id": {space},
				"ask": {s.staff.ID, s.admin.ID}, "action": {"post"}})
			wantStatus(t, "post", r, http.StatusSeeOther)
			if !strings.HasPrefix(r.Location, "/posts/") {
				t.Fatalf("redirect to %q, want the question", r.Location)
			}
			page := vol.get(r.Location)
			wantBody(t, "question", page, htmlEscape(text("nl", "web.post.asked", "Sam Leesconsulent, Anne Beheer")),
				htmlEscape(text("nl", "web.flash.question_posted")))
			notBody(t, "question", page, "<script>alert")
			// Sam is told, in the words of the new kind, and the title stays text.
			sam := s.signedIn(s.staff)
			n := sam.get("/notifications")
			wantBody(t, "notifications", n, "Vera Vrijwilliger vraagt u om mee te denken:", "Wie weet het?")
			notBody(t, "notifications", n, "<script>alert")
			ns, _, err := s.svc.Notifications(as(s.admin), biebplein.NotificationFilter{Kinds: []biebplein.NoticeKind{biebplein.NoticeAsked}})
			if err != nil || len(ns) != 1 || "/posts/"+ns[0].PostID != r.Location {
				t.Fatalf("Anne's 'asked' notifications = %+v (%v), want one about the question", ns, err)
			}
		})
		t.Run("SpacePage", func(t *testing.T) {
			r := vol.get("/groups/" + space)
			wantStatus(t, "space", r, http.StatusOK)
			wantBody(t, "space", r, `href="/questions/new"`, htmlEscape(text("nl", "web.group.questions_space")), "Wie weet het?")
			notBody(t, "space", r, `action="/groups/`+space+`/join"`, `id="composer-body"`)
			wantStatus(t, "join", vol.post("/groups/"+space+"/join", nil), http.StatusConflict)
		})
		t.Run("AdminMarksAdvisor", func(t *testing.T) {
			admin := s.signedIn(s.admin)
			r := admin.post("/admin/people/"+s.staff.ID, url.Values{"name": {s.staff.Name}, "organisation_id": {s.root.ID},
				"kind": {"staff"}, "advisor": {"on"}})
			wantRedirect(t, "advisor", r, "/admin/people/"+s.staff.ID)
			wantBody(t, "advisor form", admin.get("/admin/people/"+s.staff.ID), `name="advisor" value="on" checked`)
			p, err := s.svc.Person(as(s.admin), s.staff.ID)
			if err != nil || !p.Advisor {
				t.Fatalf("after saving: advisor %v (%v), want on", p != nil && p.Advisor, err)
			}
		})
		t.Run("Linked", func(t *testing.T) {
			wantBody(t, "questions", vol.get("/questions"), `href="/questions/new"`)
			wantBody(t, "experts", vol.get("/experts?topic=boekstart"), `href="/questions/new?topics=boekstart"`)
		})
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
