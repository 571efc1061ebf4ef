package api

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/biebplein/biebplein"
)

func TestQuestionCreate(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		ask := func(token string, body any) *response {
			return f.do(t, req{method: http.MethodPost, path: "/api/v1/questions", token: token, body: body})
		}
		t.Run("Created", func(t *testing.T) {
			res := ask(f.bobToken, map[string]any{"title": "Wie helpt met voorlezen?", "body": "Aan peuters.",
				"topics": []string{"leesbevordering"}, "ask": []string{f.alice.ID, f.carol.ID}})
			q := decode[questionJSON](t, res, http.StatusCreated)
			if q.Kind != "question" || q.Author.ID != f.bob.ID || len(q.Topics) != 1 || q.Topics[0] != "leesbevordering" {
				t.Fatalf("question = %+v", q.postJSON)
			}
			if len(q.Asked) != 2 || q.Asked[0].ID != f.alice.ID || q.Asked[0].Name != f.alice.Name {
				t.Fatalf("asked = %+v, want Alice and Carol", q.Asked)
			}
			g, err := f.svc.Group(biebplein.NewContext(t.Context(), f.bob), q.GroupID)
			if err != nil || !g.Questions {
				t.Fatalf("the question went to %+v (%v), want the Vraag en antwoord space", g, err)
			}
			// Alice is told.
			list := decode[listBody[notificationJSON]](t, f.get(t, "/api/v1/notifications", f.aliceToken), http.StatusOK)
			if len(list.Items) != 1 || list.Items[0].Kind != "asked" || list.Items[0].PostID == nil || *list.Items[0].PostID != q.ID {
				t.Fatalf("Alice's notifications = %+v, want one 'asked' about the question", list.Items)
			}
		})
		t.Run("SixPeople", func(t *testing.T) {
			res := ask(f.bobToken, map[string]any{"title": "Wie?", "ask": []string{"a", "b", "c", "d", "e", "f"}})
			e := decode[errorBody](t, res, http.StatusBadRequest)
			if e.Error.Code != "invalid" {
				t.Fatalf("code %q, want invalid", e.Error.Code)
			}
			f.wantField(t, e.Error, "ask", "nl", "error.question_ask_too_many")
		})
		t.Run("Errors", func(t *testing.T) {
			closed := f.mustGroup(t, f.alice, "Werkgroep", biebplein.VisClosed, "")
			secret := f.mustGroup(t, f.alice, "Geheim", biebplein.VisSecret, "")
			for name, c := range map[string]struct {
				token  string
				body   any
				status int
				field  string
				key    string
			}{
				"NoTitle":    {f.bobToken, map[string]any{"title": ""}, 400, "title", "error.title_required"},
				"BadTopic":   {f.bobToken, map[string]any{"title": "Wie?", "topics": []string{"twee woorden"}}, 400, "topics", "error.question_topic_word"},
				"CannotRead": {f.aliceToken, map[string]any{"title": "Wie?", "group_id": closed.ID, "ask": []string{f.carol.ID}}, 400, "ask", "error.question_ask_cannot_read"},
				"NotMember":  {f.bobToken, map[string]any{"title": "Wie?", "group_id": closed.ID}, 403, "group_id", "error.question_group_not_allowed"},
				"Invisible":  {f.bobToken, map[string]any{"title": "Wie?", "group_id": secret.ID}, 404, "", ""},
				"Unknown":    {f.bobToken, map[string]any{"title": "Wie?", "to": "x"}, 400, "", ""},
			} {
				t.Run(name, func(t *testing.T) {
					e := decode[errorBody](t, ask(c.token, c.body), c.status)
					if c.field != "" {
						f.wantField(t, e.Error, c.field, "nl", c.key)
					}
				})
			}
		})
	})
}

func TestQuestionSuggestions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		// Alice declared leesbevordering; asking herself, she is left out.
		list := decode[listBody[suggestionJSON]](t, f.get(t, "/api/v1/questions/suggestions?topics="+url.QueryEscape("Leesbevordering, jeugd"), f.bobToken), http.StatusOK)
		if len(list.Items) != 1 || list.Items[0].Person.ID != f.alice.ID || len(list.Items[0].Reasons) != 2 {
			t.Fatalf("suggestions = %+v, want Alice with two reasons", list.Items)
		}
		if r := list.Items[0].Reasons[0]; r.Topic != "leesbevordering" || r.Kind != "expertise" || r.Text != "expertise: leesbevordering" {
			t.Errorf("first reason = %+v", r)
		}
		own := decode[listBody[suggestionJSON]](t, f.get(t, "/api/v1/questions/suggestions?topics=leesbevordering", f.aliceToken), http.StatusOK)
		if len(own.Items) != 0 {
			t.Errorf("Alice is suggested to herself: %+v", own.Items)
		}
		e := decode[errorBody](t, f.get(t, "/api/v1/questions/suggestions?topics=a,b,c,d,e,f", f.bobToken), http.StatusBadRequest)
		f.wantField(t, e.Error, "topics", "nl", "error.question_topics_too_many")
	})
}
