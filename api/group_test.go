package api

import (
	"net/http"
	"slices"
	"testing"
)

func TestGroups(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		var g groupJSON
		t.Run("Create", func(t *testing.T) {
			res := f.do(t, req{method: "POST", path: "/api/v1/groups", token: f.aliceToken,
				body: map[string]any{"name": " Leesclub  Noord ", "description": "Over boeken", "visibility": "closed"}})
			g = decode[groupJSON](t, res, http.StatusCreated)
			if g.ID == "" || g.Name != "Leesclub Noord" || g.Visibility != "closed" || g.MemberCount != 1 ||
				g.MyRole == nil || *g.MyRole != "admin" || g.OrganisationID != nil {
				t.Fatalf("group = %+v", g)
			}
		})
		t.Run("CreateOrganisationGroup", func(t *testing.T) {
			res := f.do(t, req{method: "POST", path: "/api/v1/groups", token: f.aliceToken,
				body: map[string]any{"name": "Team Aan Zee", "visibility": "organisation", "organisation_id": f.library.ID}})
			og := decode[groupJSON](t, res, http.StatusCreated)
			if og.OrganisationID == nil || *og.OrganisationID != f.library.ID {
				t.Fatalf("organisation_id = %v", og.OrganisationID)
			}
		})
		t.Run("CreateErrors", func(t *testing.T) {
			for _, tc := range []struct {
				token  string
				body   any
				status int
				code   string
				field  string
			}{
				{f.aliceToken, map[string]any{"name": "", "visibility": "public"}, 400, "invalid", "name"},
				{f.aliceToken, map[string]any{"name": "X", "visibility": "everyone"}, 400, "invalid", "visibility"},
				{f.aliceToken, map[string]any{"name": "X", "visibility": "organisation"}, 400, "invalid", "organisation_id"},
				{f.aliceToken, map[string]any{"name": "X", "visibility": "public", "colour": "red"}, 400, "invalid", "colour"},
				{f.aliceToken, map[string]any{"name": 3, "visibility": "public"}, 400, "invalid", "name"},
				{f.aliceToken, `{"name": "X", "visibility": "public"}[]`, 400, "invalid", ""},
				{f.aliceToken, "{\"name\": \"X\xff\"}", 400, "invalid", ""},
				{f.aliceToken, map[string]any{"name": "Leesclub Noord", "visibility": "public"}, 409, "conflict", ""},
				{f.bobToken, map[string]any{"name": "Vrijwilligers", "visibility": "public"}, 403, "forbidden", ""},
				{"", map[string]any{"name": "X", "visibility": "public"}, 401, "unauthorized", ""},
			} {
				e := wantError(t, f.do(t, req{method: "POST", path: "/api/v1/groups", token: tc.token, body: tc.body}), tc.status, tc.code)
				if tc.field != "" && e.Fields[tc.field] == "" {
					t.Errorf("%v: fields = %v, want %s", tc.body, e.Fields, tc.field)
				}
			}
			big := `{"name": "` + string(make([]byte, MaxBodyBytes)) + `"}`
			wantError(t, f.do(t, req{method: "POST", path: "/api/v1/groups", token: f.aliceToken, body: big}), 413, "too_large")
		})
		t.Run("Show", func(t *testing.T) {
			got := decode[groupJSON](t, f.get(t, "/api/v1/groups/"+g.ID, f.bobToken), 200)
			if got.Name != g.Name || got.MyRole != nil {
				t.Fatalf("group for Bob = %+v", got)
			}
			wantError(t, f.get(t, "/api/v1/groups/nope", f.bobToken), 404, "not_found")
		})
		t.Run("JoinClosedIsPending", func(t *testing.T) {
			res := f.do(t, req{method: "POST", path: "/api/v1/groups/" + g.ID + "/join", token: f.bobToken})
			if got := decode[joinJSON](t, res, http.StatusAccepted); got.Status != "pending" {
				t.Fatalf("status = %q", got.Status)
			}
			got := decode[groupJSON](t, f.get(t, "/api/v1/groups/"+g.ID, f.bobToken), 200)
			if got.MyRole == nil || *got.MyRole != "pending" {
				t.Fatalf("my_role = %v, want pending", got.MyRole)
			}
		})
		t.Run("RequestsForAdminsOnly", func(t *testing.T) {
			wantError(t, f.get(t, "/api/v1/groups/"+g.ID+"/members?status=pending", f.bobToken), 403, "forbidden")
			wantError(t, f.get(t, "/api/v1/groups/"+g.ID+"/members?status=gone", f.aliceToken), 400, "invalid")
			list := decode[listBody[memberJSON]](t, f.get(t, "/api/v1/groups/"+g.ID+"/members?status=pending", f.aliceToken), 200)
			if len(list.Items) != 1 || list.Items[0].Person.ID != f.bob.ID || list.Items[0].Status != "pending" {
				t.Fatalf("requests = %+v", list.Items)
			}
		})
		t.Run("Approve", func(t *testing.T) {
			path := "/api/v1/groups/" + g.ID + "/requests/" + f.bob.ID + "/approve"
			wantError(t, f.do(t, req{method: "POST", path: path, token: f.bobToken}), 403, "forbidden")
			wantStatus(t, f.do(t, req{method: "POST", path: path, token: f.aliceToken}), 204)
			wantError(t, f.do(t, req{method: "POST", path: path, token: f.aliceToken}), 409, "conflict")
			res := f.do(t, req{method: "POST", path: "/api/v1/groups/" + g.ID + "/join", token: f.bobToken})
			if got := decode[joinJSON](t, res, 200); got.Status != "member" {
				t.Fatalf("join as a member = %q", got.Status)
			}
		})
		t.Run("AddMember", func(t *testing.T) {
			path := "/api/v1/groups/" + g.ID + "/members"
			wantError(t, f.do(t, req{method: "POST", path: path, token: f.bobToken, body: map[string]any{"person_id": f.carol.ID}}), 403, "forbidden")
			e := wantError(t, f.do(t, req{method: "POST", path: path, token: f.aliceToken, body: map[string]any{"person_id": "nobody"}}), 400, "invalid")
			if e.Fields["person_id"] == "" {
				t.Fatalf("fields = %v", e.Fields)
			}
			e = wantError(t, f.do(t, req{method: "POST", path: path, token: f.aliceToken, body: map[string]any{"person_id": f.carol.ID, "role": "boss"}}), 400, "invalid")
			if e.Fields["role"] == "" {
				t.Fatalf("fields = %v", e.Fields)
			}
			m := decode[memberJSON](t, f.do(t, req{method: "POST", path: path, token: f.aliceToken,
				body: map[string]any{"person_id": f.carol.ID, "role": "admin"}}), 201)
			if m.Person.ID != f.carol.ID || m.Person.Name != "Carol Kok" || m.Role != "admin" || m.Status != "member" {
				t.Fatalf("member = %+v", m)
			}
			list := decode[listBody[memberJSON]](t, f.get(t, path, f.bobToken), 200)
			var got []string
			for _, m := range list.Items {
				got = append(got, m.Person.ID+":"+m.Role)
			}
			if want := []string{f.alice.ID + ":admin", f.carol.ID + ":admin", f.bob.ID + ":member"}; !slices.Equal(got, want) {
				t.Fatalf("members = %v, want %v", got, want)
			}
		})
		t.Run("Invite", func(t *testing.T) {
			secret := decode[groupJSON](t, f.do(t, req{method: "POST", path: "/api/v1/groups", token: f.aliceToken,
				body: map[string]any{"name": "Geheim", "visibility": "secret"}}), 201)
			wantError(t, f.get(t, "/api/v1/groups/"+secret.ID, f.bobToken), 404, "not_found")
			m := decode[memberJSON](t, f.do(t, req{method: "POST", path: "/api/v1/groups/" + secret.ID + "/members", token: f.aliceToken,
				body: map[string]any{"person_id": f.bob.ID, "invite": true}}), 201)
			if m.Status != "invited" {
				t.Fatalf("status = %q", m.Status)
			}
			got := decode[groupJSON](t, f.get(t, "/api/v1/groups/"+secret.ID, f.bobToken), 200)
			if got.MyRole == nil || *got.MyRole != "invited" {
				t.Fatalf("my_role = %v", got.MyRole)
			}
			wantStatus(t, f.do(t, req{method: "POST", path: "/api/v1/groups/" + secret.ID + "/join", token: f.bobToken}), 200)
		})
		t.Run("List", func(t *testing.T) {
			all := decode[listBody[groupJSON]](t, f.get(t, "/api/v1/groups", f.mustToken(t, f.carol)), 200)
			if got := groupIDs(all.Items); !slices.Contains(got, g.ID) || len(got) != 2 {
				t.Fatalf("groups for Carol = %d items", len(got))
			}
			mine := decode[listBody[groupJSON]](t, f.get(t, "/api/v1/groups?member=me", f.bobToken), 200)
			if len(mine.Items) != 2 {
				t.Fatalf("Bob's groups = %+v", mine.Items)
			}
			found := decode[listBody[groupJSON]](t, f.get(t, "/api/v1/groups?q=LEESCLUB", f.bobToken), 200)
			if got := groupIDs(found.Items); !slices.Equal(got, []string{g.ID}) {
				t.Fatalf("?q= found %v", got)
			}
			page := decode[listBody[groupJSON]](t, f.get(t, "/api/v1/groups?limit=1", f.aliceToken), 200)
			if len(page.Items) != 1 || page.NextCursor == "" {
				t.Fatalf("first page = %+v", page)
			}
			next := decode[listBody[groupJSON]](t, f.get(t, "/api/v1/groups?limit=1&cursor="+page.NextCursor, f.aliceToken), 200)
			if len(next.Items) != 1 || next.Items[0].ID == page.Items[0].ID {
				t.Fatalf("second page = %+v", next)
			}
			e := wantError(t, f.get(t, "/api/v1/groups?member=you&limit=0", f.bobToken), 400, "invalid")
			if e.Fields["member"] == "" || e.Fields["limit"] == "" {
				t.Fatalf("fields = %v", e.Fields)
			}
		})
		t.Run("LeaveAndRemove", func(t *testing.T) {
			path := "/api/v1/groups/" + g.ID + "/members/"
			wantError(t, f.do(t, req{method: "DELETE", path: path + f.carol.ID, token: f.bobToken}), 403, "forbidden")
			wantStatus(t, f.do(t, req{method: "DELETE", path: path + f.carol.ID, token: f.aliceToken}), 204)
			wantError(t, f.do(t, req{method: "DELETE", path: path + f.carol.ID, token: f.aliceToken}), 404, "not_found")
			// The last admin cannot leave while there are members.
			wantError(t, f.do(t, req{method: "DELETE", path: path + f.alice.ID, token: f.aliceToken}), 409, "conflict")
			wantStatus(t, f.do(t, req{method: "DELETE", path: path + f.bob.ID, token: f.bobToken}), 204)
			wantStatus(t, f.do(t, req{method: "DELETE", path: path + f.bob.ID, token: f.bobToken}), 204) // again: nothing to leave
		})
	})
}
