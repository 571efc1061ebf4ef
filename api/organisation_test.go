package api

import (
	"bytes"
	"net/http"
	"net/url"
	"testing"

	"github.com/biebplein/biebplein"
)

func TestOrganisations(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		t.Run("List", func(t *testing.T) {
			list := decode[listBody[organisationJSON]](t, f.get(t, "/api/v1/organisations", f.bobToken), http.StatusOK)
			if list.NextCursor != "" {
				t.Fatalf("next_cursor = %q, want \"\"", list.NextCursor)
			}
			byName := map[string]organisationJSON{}
			for _, o := range list.Items {
				byName[o.Name] = o
			}
			if got, want := len(byName), 4; got != want {
				t.Fatalf("got %d organisations, want %d: %+v", got, want, list.Items)
			}
			if root := byName["Probiblio"]; root.ParentID != nil || root.Kind != "support" || root.MemberCount != 1 {
				t.Fatalf("root = %+v, want parent_id null, kind support, one member", root)
			}
			if noord := byName["Vestiging Noord"]; noord.ParentID == nil || *noord.ParentID != f.library.ID || noord.Kind != "branch" {
				t.Fatalf("noord = %+v, want parent %s", noord, f.library.ID)
			}
		})

		t.Run("RootParentIsNull", func(t *testing.T) {
			res := f.get(t, "/api/v1/organisations/"+f.support.ID, f.bobToken)
			wantStatus(t, res, http.StatusOK)
			if want := `"parent_id":null`; !contains(res.body, want) {
				t.Fatalf("body %s lacks %s", res.body, want)
			}
		})

		t.Run("Paged", func(t *testing.T) {
			seen := map[string]int{}
			cursor, pages := "", 0
			for {
				list := decode[listBody[organisationJSON]](t,
					f.get(t, "/api/v1/organisations?limit=3&cursor="+url.QueryEscape(cursor), f.bobToken), http.StatusOK)
				pages++
				for _, o := range list.Items {
					seen[o.ID]++
				}
				if cursor = list.NextCursor; cursor == "" {
					break
				}
			}
			if len(seen) != 4 || pages != 2 {
				t.Fatalf("saw %v in %d pages, want 4 organisations once in 2 pages", seen, pages)
			}
			for id, n := range seen {
				if n != 1 {
					t.Fatalf("saw %s %d times", id, n)
				}
			}
			e := wantError(t, f.get(t, "/api/v1/organisations?cursor=nonsense", f.bobToken), http.StatusBadRequest, biebplein.CodeInvalid)
			f.wantField(t, e, "cursor", "nl", "error.cursor_invalid")
		})

		t.Run("Filters", func(t *testing.T) {
			list := decode[listBody[organisationJSON]](t,
				f.get(t, "/api/v1/organisations?kind=branch&parent_id="+f.library.ID, f.bobToken), http.StatusOK)
			if len(list.Items) != 2 || list.Items[0].Name != "Vestiging Noord" || list.Items[1].Name != "Vestiging Zuid" {
				t.Fatalf("branches = %+v, want Noord and Zuid", list.Items)
			}
			e := wantError(t, f.get(t, "/api/v1/organisations?kind=school", f.bobToken), http.StatusBadRequest, biebplein.CodeInvalid)
			f.wantField(t, e, "kind", "nl", "error.org_kind_invalid")
		})

		t.Run("Limits", func(t *testing.T) {
			for _, limit := range []string{"0", "101", "abc", "-1", "1.5"} {
				e := wantError(t, f.get(t, "/api/v1/organisations?limit="+limit, f.bobToken), http.StatusBadRequest, biebplein.CodeInvalid)
				f.wantField(t, e, "limit", "nl", "error.limit_invalid")
			}
		})

		t.Run("Show", func(t *testing.T) {
			o := decode[organisationJSON](t, f.get(t, "/api/v1/organisations/"+f.noord.ID, f.bobToken), http.StatusOK)
			if o.ID != f.noord.ID || o.Name != "Vestiging Noord" || o.MemberCount != 1 {
				t.Fatalf("noord = %+v", o)
			}
			wantError(t, f.get(t, "/api/v1/organisations/unknown", f.bobToken), http.StatusNotFound, biebplein.CodeNotFound)
		})

		t.Run("CreateAsAdmin", func(t *testing.T) {
			res := f.do(t, req{method: "POST", path: "/api/v1/organisations", token: f.adminToken,
				body: map[string]string{"name": " Vestiging  Oost ", "kind": "branch", "parent_id": f.library.ID}})
			o := decode[organisationJSON](t, res, http.StatusCreated)
			if o.ID == "" || o.Name != "Vestiging Oost" || o.Kind != "branch" || o.ParentID == nil || *o.ParentID != f.library.ID {
				t.Fatalf("created = %+v", o)
			}
			got := decode[organisationJSON](t, f.get(t, "/api/v1/organisations/"+o.ID, f.bobToken), http.StatusOK)
			if got.Name != "Vestiging Oost" {
				t.Fatalf("stored = %+v", got)
			}
			root := decode[organisationJSON](t, f.do(t, req{method: "POST", path: "/api/v1/organisations", token: f.adminToken,
				body: `{"name": "Stichting Lezen", "kind": "partner", "parent_id": null}`}), http.StatusCreated)
			if root.ParentID != nil {
				t.Fatalf("root partner = %+v, want parent_id null", root)
			}
		})

		t.Run("CreateInvalid", func(t *testing.T) {
			for _, tc := range []struct {
				body       map[string]string
				field, key string
			}{
				{map[string]string{"name": "X", "kind": "school"}, "kind", "error.org_kind_invalid"},
				{map[string]string{"name": "", "kind": "support"}, "name", "error.name_required"},
				{map[string]string{"name": "Vestiging West", "kind": "branch", "parent_id": "unknown"}, "parent_id", "error.organisation_not_found"},
				{map[string]string{"name": "Vestiging West", "kind": "branch", "parent_id": "a\x00b"}, "parent_id", "error.organisation_not_found"},
				{map[string]string{"name": "Vestiging West", "kind": "branch", "parent_id": f.noord.ID}, "parent_id", "error.org_parent_invalid"},
			} {
				res := f.do(t, req{method: "POST", path: "/api/v1/organisations", token: f.adminToken, body: tc.body})
				e := wantError(t, res, http.StatusBadRequest, biebplein.CodeInvalid)
				f.wantField(t, e, tc.field, "nl", tc.key)
			}
		})

		t.Run("CreateDuplicateName", func(t *testing.T) {
			res := f.do(t, req{method: "POST", path: "/api/v1/organisations", token: f.adminToken,
				body: map[string]string{"name": "vestiging noord", "kind": "branch", "parent_id": f.library.ID}})
			wantError(t, res, http.StatusConflict, biebplein.CodeConflict)
		})

		t.Run("CreateAsNonAdminIsNotFound", func(t *testing.T) {
			for _, body := range []string{`{"name": "Vestiging West", "kind": "branch", "parent_id": "` + f.library.ID + `"}`, `{"bogus": 1}`, `not json`} {
				res := f.do(t, req{method: "POST", path: "/api/v1/organisations", token: f.aliceToken, body: body})
				wantError(t, res, http.StatusNotFound, biebplein.CodeNotFound)
			}
			list := decode[listBody[organisationJSON]](t, f.get(t, "/api/v1/organisations?limit=100", f.bobToken), http.StatusOK)
			for _, o := range list.Items {
				if o.Name == "Vestiging West" {
					t.Fatal("a non-administrator created an organisation")
				}
			}
		})
	})
}

func contains(body []byte, s string) bool { return bytes.Contains(body, []byte(s)) }
