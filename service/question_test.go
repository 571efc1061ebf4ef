package service_test

import (
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

func TestAskQuestion(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		ctx := f.as(f.staff)
		var people []string
		for _, e := range []string{"a@bieb.test", "b@bieb.test", "c@bieb.test", "d@bieb.test", "e@bieb.test", "g@bieb.test"} {
			people = append(people, f.mustPerson(t, e, false).ID)
		}
		closed, err := f.svc.CreateGroup(ctx, biebplein.GroupInput{Name: "Werkgroep", Visibility: biebplein.VisClosed})
		if err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			in    biebplein.QuestionInput
			field string
			key   string
		}{
			"TooMany":     {biebplein.QuestionInput{Title: "Wie?", Ask: people}, "ask", "error.question_ask_too_many"},
			"Self":        {biebplein.QuestionInput{Title: "Wie?", Ask: []string{f.staff.ID}}, "ask", "error.question_ask_self"},
			"CannotRead":  {biebplein.QuestionInput{Title: "Wie?", GroupID: closed.ID, Ask: people[:1]}, "ask", "error.question_ask_cannot_read"},
			"Unknown":     {biebplein.QuestionInput{Title: "Wie?", Ask: []string{"nobody"}}, "ask", "error.question_ask_cannot_read"},
			"NoTitle":     {biebplein.QuestionInput{Title: " "}, "title", "error.title_required"},
			"TopicPhrase": {biebplein.QuestionInput{Title: "Wie?", Topics: []string{"de bibliotheek op school"}}, "topics", "error.question_topic_word"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := f.svc.AskQuestion(ctx, c.in)
				if code(err) != biebplein.CodeInvalid || biebplein.ErrorFields(err)[c.field] != c.key {
					t.Fatalf("AskQuestion = %v (fields %v), want %s on %s", err, biebplein.ErrorFields(err), c.key, c.field)
				}
			})
		}
		t.Run("NotInOthersGroup", func(t *testing.T) {
			outsider := f.mustPerson(t, "h@bieb.test", false)
			other, err := f.svc.AskQuestion(f.as(outsider), biebplein.QuestionInput{Title: "Mag dit?", GroupID: closed.ID})
			if code(err) != biebplein.CodeForbidden || other != nil {
				t.Fatalf("asking in a closed group one is no member of = %v, want forbidden", err)
			}
		})
		t.Run("Posted", func(t *testing.T) {
			p, err := f.svc.AskQuestion(ctx, biebplein.QuestionInput{Title: "Hoe lees ik voor?", Body: "Aan peuters.",
				Topics: []string{"#Voorlezen", "boekstart"}, Ask: people[:2]})
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != biebplein.KindQuestion || !p.Group.Visibility.Valid() || len(p.Asked) != 2 || p.Asked[0].Name != "a" {
				t.Fatalf("post = %+v, want a question asking a and b", p)
			}
			if p.Body != "Hoe lees ik voor?\n\nAan peuters.\n\n#voorlezen #boekstart" {
				t.Errorf("body %q", p.Body)
			}
			space, err := f.svc.Group(ctx, p.Group.ID)
			if err != nil || !space.Questions {
				t.Fatalf("posted in %+v (%v), want the question space", space, err)
			}
			// Only questions there, for everyone but its managers.
			if _, err := f.svc.CreatePost(ctx, biebplein.PostInput{GroupID: space.ID, Body: "Gewoon een bericht"}); code(err) != biebplein.CodeForbidden {
				t.Errorf("a plain post in the space = %v, want forbidden", err)
			}
			asked := biebplein.NewContext(t.Context(), &biebplein.Person{ID: people[0], Kind: biebplein.KindStaff,
				Organisation: biebplein.OrganisationRef{ID: f.lib.ID}})
			ns, _, err := f.svc.Notifications(asked, biebplein.NotificationFilter{})
			if err != nil || len(ns) != 1 || ns[0].Kind != biebplein.NoticeAsked || ns[0].PostID != p.ID {
				t.Fatalf("notifications of the person asked = %+v (%v), want one 'asked'", ns, err)
			}
		})
	})
}

func TestEscalateQuestions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		other, err := f.svc.CreateOrganisation(f.sys, biebplein.OrganisationInput{Name: "Rijnbrink", Kind: biebplein.OrgSupport})
		if err != nil {
			t.Fatal(err)
		}
		yes := true
		advisor := func(email, org string, expertise ...string) *biebplein.Person {
			t.Helper()
			p, _, err := f.svc.CreatePerson(f.sys, biebplein.PersonInput{Email: email, Name: email[:3], Kind: biebplein.KindStaff, OrganisationID: org, Password: "wachtwoord-123"})
			if err != nil {
				t.Fatal(err)
			}
			if p, err = f.svc.UpdatePerson(f.as(f.admin), p.ID, service.AdminUpdate{Name: p.Name, Kind: p.Kind, OrganisationID: org, Advisor: &yes}); err != nil || !p.Advisor {
				t.Fatalf("make advisor: %v", err)
			}
			if _, err := f.svc.UpdateProfile(f.as(p), p.ID, biebplein.ProfileUpdate{Expertise: &expertise}); err != nil {
				t.Fatal(err)
			}
			return p
		}
		ada := advisor("ada@bieb.test", f.root.ID, "voorlezen")
		bas := advisor("bas@bieb.test", f.root.ID)
		dora := advisor("dora@bieb.test", other.ID, "voorlezen")
		ctx := f.as(f.staff)
		ask := func(title, group string, topics ...string) *biebplein.Post {
			t.Helper()
			p, err := f.svc.AskQuestion(ctx, biebplein.QuestionInput{Title: title, Topics: topics, GroupID: group})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		closed, err := f.svc.CreateGroup(ctx, biebplein.GroupInput{Name: "Werkgroep", Visibility: biebplein.VisClosed})
		if err != nil {
			t.Fatal(err)
		}
		// More questions than a page that no advisor may read, older than the others: they
		// must not keep the others from their turn.
		f.clock.Add(-time.Hour)
		for range 101 {
			ask("Alleen voor ons", closed.ID, "voorlezen")
		}
		f.clock.Add(time.Hour)
		read := ask("Wie leest voor?", "", "voorlezen")
		maker := ask("Wie kent de makerspace?", "", "makerspace")
		answered := ask("Wie weet het?", "", "voorlezen")
		if _, err := f.svc.CreateComment(f.as(f.admin), answered.ID, "", "Ik"); err != nil {
			t.Fatal(err)
		}

		escalated := func(p *biebplein.Person) map[string]bool {
			t.Helper()
			ns, _, err := f.svc.Notifications(f.as(p), biebplein.NotificationFilter{Kinds: []biebplein.NoticeKind{biebplein.NoticeEscalated}})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, n := range ns {
				out[n.PostID] = true
			}
			return out
		}
		age := 5 * 24 * time.Hour
		if n, err := f.svc.EscalateQuestions(t.Context(), age); err != nil || n != 0 {
			t.Fatalf("at once: escalated %d (%v), want none", n, err)
		}
		f.clock.Add(age + time.Hour)
		if n, err := f.svc.EscalateQuestions(t.Context(), age); err != nil || n != 2 {
			t.Fatalf("after 5 days: escalated %d (%v), want the two open questions of the space", n, err)
		}
		if got := escalated(ada); len(got) != 2 || !got[read.ID] || !got[maker.ID] {
			t.Errorf("Ada (voorlezen) was told about %v, want both open questions", got)
		}
		if got := escalated(bas); len(got) != 1 || !got[maker.ID] {
			t.Errorf("Bas was told about %v, want only the makerspace question (Ada knows voorlezen)", got)
		}
		if got := escalated(dora); len(got) != 0 {
			t.Errorf("an advisor of another support organisation was told about %v", got)
		}
		if n, err := f.svc.EscalateQuestions(t.Context(), age); err != nil || n != 0 {
			t.Fatalf("again: escalated %d (%v), want none", n, err)
		}
		st, err := f.svc.QuestionState(ctx, read.ID)
		if err != nil || st.EscalatedAt == nil {
			t.Fatalf("state = %+v (%v), want escalated", st, err)
		}
	})
}
