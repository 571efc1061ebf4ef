package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

func TestSearch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		g := f.mustGroup(t, f.alice, "Taalhuis", biebplein.VisPublic, "")
		p := f.mustPost(t, f.alice, biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindPost,
			Body: "Het taalhuis zoekt vrijwilligers voor de <b>cursus</b> Digisterker"})
		c := f.mustComment(t, f.bob, p.ID, "Ik help graag bij het taalhuis")
		get := func(q string) *response { return f.get(t, "/api/v1/search?"+q, f.bobToken) }

		body := decode[searchBody](t, get("q=taalhuis"), http.StatusOK)
		byType := map[string]searchHitJSON{}
		for _, it := range body.Items {
			byType[it.Type] = it
		}
		if it := byType["post"]; it.ID != p.ID || it.URL != "/posts/"+p.ID || it.Author == nil || it.Author.Name != "Alice de Vries" ||
			it.Group == nil || it.Group.ID != g.ID || !strings.Contains(it.TitleHTML, "<mark>taalhuis</mark>") {
			t.Errorf("post hit = %+v", it)
		}
		if it := byType["comment"]; it.ID != c.ID || it.PostID != p.ID || it.URL != "/posts/"+p.ID+"#comment-"+c.ID {
			t.Errorf("comment hit = %+v", it)
		}
		if it := byType["group"]; it.ID != g.ID || it.Title != "Taalhuis" || it.URL != "/groups/"+g.ID {
			t.Errorf("group hit = %+v", it)
		}
		if body.Counts["post"] != 1 || body.Counts["comment"] != 1 || body.Counts["group"] != 1 {
			t.Errorf("counts = %v", body.Counts)
		}
		// The marked HTML escapes the text around the marks.
		body = decode[searchBody](t, get("q=cursus"), http.StatusOK)
		if len(body.Items) != 1 || strings.Contains(body.Items[0].TitleHTML, "<b>") {
			t.Errorf("cursus: %+v", body.Items)
		}
		// People by expertise; types filter, repeated or comma separated.
		body = decode[searchBody](t, get("q=leesbevordering&type=person"), http.StatusOK)
		if len(body.Items) != 1 || body.Items[0].ID != f.alice.ID || body.Items[0].URL != "/people/"+f.alice.ID {
			t.Errorf("people by expertise: %+v", body.Items)
		}
		body = decode[searchBody](t, get("q=taalhuis&type=comment,group"), http.StatusOK)
		if len(body.Items) != 2 {
			t.Errorf("comment,group: %d items", len(body.Items))
		}
		// Types of later capabilities find nothing yet; unknown ones are refused.
		body = decode[searchBody](t, get("q=taalhuis&type=article&type=event"), http.StatusOK)
		if len(body.Items) != 0 || body.NextCursor != "" {
			t.Errorf("articles: %+v", body)
		}
		e := wantError(t, get("q=taalhuis&type=hond"), http.StatusBadRequest, "invalid")
		f.wantField(t, e, "type", "nl", "error.search_type_invalid")
		e = wantError(t, get("q="+url.QueryEscape("  ")), http.StatusBadRequest, "invalid")
		f.wantField(t, e, "q", "nl", "error.search_empty")
		wantError(t, get("q=taalhuis&from=gisteren"), http.StatusBadRequest, "invalid")
		wantError(t, get("q=taalhuis&cursor=eyJkIjotMX0"), http.StatusBadRequest, "invalid")
		wantError(t, get("q=taalhuis&order=random"), http.StatusBadRequest, "invalid")
		wantError(t, get("q=taalhuis&from=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z"), http.StatusBadRequest, "invalid")
		wantError(t, get("q=taalhuis&author_id=nobody"), http.StatusNotFound, "not_found")
		wantError(t, f.get(t, "/api/v1/search?q=taalhuis", ""), http.StatusUnauthorized, "unauthorized")
		// Paging: one at a time through the three hits, newest first.
		var seen []string
		cursor := ""
		for range 5 {
			body := decode[searchBody](t, get("q=taalhuis&order=newest&limit=1&cursor="+cursor), http.StatusOK)
			for _, it := range body.Items {
				seen = append(seen, it.Type)
			}
			if cursor = body.NextCursor; cursor == "" {
				break
			}
		}
		if strings.Join(seen, ",") != "comment,post,group" {
			t.Errorf("newest first, one by one: %v", seen)
		}
	})
}
