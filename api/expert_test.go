package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

func TestExperts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		// Alice has the expertise Leesbevordering (the fixture); Carol answered a question
		// about it and that answer was accepted.
		g := f.mustGroup(t, f.alice, "Lezen", biebplein.VisNetwork, "")
		f.mustMember(t, f.alice, g, f.carol)
		q := f.mustPost(t, f.alice, biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindQuestion, Body: "Tips? #leesbevordering"})
		c := f.mustComment(t, f.carol, q.ID, "Begin klein.")
		if _, err := f.svc.Accept(biebplein.NewContext(t.Context(), f.alice), q.ID, c.ID); err != nil {
			t.Fatal(err)
		}

		t.Run("RankedWithReasons", func(t *testing.T) {
			list := decode[listBody[expertJSON]](t, f.get(t, "/api/v1/experts?topic=%23Leesbev%C3%B6rdering", f.bobToken), http.StatusOK)
			if len(list.Items) != 2 || list.Items[0].Person.ID != f.alice.ID || list.Items[1].Person.ID != f.carol.ID {
				t.Fatalf("items = %+v, want Alice then Carol", list.Items)
			}
			if got := list.Items[0].Reasons[0]; got.Kind != "expertise" || got.Label != "leesbevordering" || got.Text != "expertise: leesbevordering" {
				t.Fatalf("Alice's first reason = %+v", got)
			}
			if got := list.Items[1].Reasons[0]; got.Kind != "answers" || got.Count != 1 || !strings.Contains(got.Text, "1 geaccepteerd antwoord over") {
				t.Fatalf("Carol's first reason = %+v", got)
			}
			if list.Items[0].Score <= list.Items[1].Score || list.NextCursor != "" {
				t.Fatalf("scores %d, %d, next %q", list.Items[0].Score, list.Items[1].Score, list.NextCursor)
			}
		})
		t.Run("Filters", func(t *testing.T) {
			for query, want := range map[string]int{
				"kind=volunteer":                0,
				"kind=staff":                    2,
				"function=leescons":             1,
				"organisation=" + f.library.ID:  2,
				"organisation_id=" + f.noord.ID: 0,
			} {
				list := decode[listBody[expertJSON]](t, f.get(t, "/api/v1/experts?topic=leesbevordering&"+query, f.bobToken), http.StatusOK)
				if len(list.Items) != want {
					t.Errorf("%s: %d experts, want %d", query, len(list.Items), want)
				}
			}
		})
		t.Run("Pages", func(t *testing.T) {
			list := decode[listBody[expertJSON]](t, f.get(t, "/api/v1/experts?topic=leesbevordering&limit=1", f.bobToken), http.StatusOK)
			if len(list.Items) != 1 || list.NextCursor == "" {
				t.Fatalf("first page: %d items, next %q", len(list.Items), list.NextCursor)
			}
			list = decode[listBody[expertJSON]](t, f.get(t, "/api/v1/experts?topic=leesbevordering&limit=1&cursor="+url.QueryEscape(list.NextCursor), f.bobToken), http.StatusOK)
			if len(list.Items) != 1 || list.Items[0].Person.ID != f.carol.ID || list.NextCursor != "" {
				t.Fatalf("second page: %+v, next %q", list.Items, list.NextCursor)
			}
		})
		t.Run("TopicRequired", func(t *testing.T) {
			e := wantError(t, f.get(t, "/api/v1/experts", f.bobToken), http.StatusBadRequest, biebplein.CodeInvalid)
			f.wantField(t, e, "topic", "nl", "error.expert_topic_required")
			e = wantError(t, f.get(t, "/api/v1/experts?topic=x&kind=boss&cursor=zz", f.bobToken), http.StatusBadRequest, biebplein.CodeInvalid)
			if e.Fields["kind"] == "" {
				t.Fatalf("fields = %v, want kind", e.Fields)
			}
		})
		t.Run("Unauthorized", func(t *testing.T) {
			wantStatus(t, f.get(t, "/api/v1/experts?topic=x", ""), http.StatusUnauthorized)
		})
		t.Run("Tags", func(t *testing.T) {
			tags := []string{"Leesclub", "jeugd"}
			if _, err := f.svc.UpdateProfile(service.System(t.Context()), f.bob.ID, biebplein.ProfileUpdate{Interests: &tags}); err != nil {
				t.Fatal(err)
			}
			list := decode[listBody[tagJSON]](t, f.get(t, "/api/v1/tags?prefix=LEES", f.bobToken), http.StatusOK)
			if len(list.Items) != 2 || list.Items[0].Tag != "leesbevordering" && list.Items[0].Tag != "leesclub" || list.NextCursor != "" {
				t.Fatalf("tags = %+v", list)
			}
			list = decode[listBody[tagJSON]](t, f.get(t, "/api/v1/tags", f.bobToken), http.StatusOK)
			if len(list.Items) != 3 || list.Items[0] != (tagJSON{Tag: "jeugd", Uses: 2}) {
				t.Fatalf("all tags = %+v, want jeugd (2) first of 3", list.Items)
			}
			wantError(t, f.get(t, "/api/v1/tags?cursor=abc", f.bobToken), http.StatusBadRequest, biebplein.CodeInvalid)
		})
	})
}
