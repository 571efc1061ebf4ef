package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/service"
)

func TestPeople(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		// Twenty-five people in Vestiging Zuid: odd numbers staff, even numbers volunteers,
		// every fifth an expert in "makerspace".
		var zuid []string
		for i := 1; i <= 25; i++ {
			kind := biebplein.KindStaff
			if i%2 == 0 {
				kind = biebplein.KindVolunteer
			}
			p := f.mustPerson(t, biebplein.PersonInput{Name: fmt.Sprintf("Medewerker %02d", i),
				Email: fmt.Sprintf("m%02d@zuid.nl", i), Kind: kind, OrganisationID: f.zuid.ID})
			if i%5 == 0 {
				tags := []string{"makerspace"}
				if _, err := f.svc.UpdateProfile(service.System(t.Context()), p.ID, biebplein.ProfileUpdate{Expertise: &tags}); err != nil {
					t.Fatal(err)
				}
			}
			zuid = append(zuid, p.ID)
		}
		everyone := append([]string{f.admin.ID, f.alice.ID, f.bob.ID, f.carol.ID}, zuid...)

		// all pages through /api/v1/people?query with limit 10 and returns the ids in order.
		all := func(t *testing.T, query string) []string {
			t.Helper()
			var got []string
			cursor := ""
			for page := 0; ; page++ {
				if page > 10 {
					t.Fatal("more than 10 pages: the cursor does not advance")
				}
				path := "/api/v1/people?limit=10&" + query
				if cursor != "" {
					path += "&cursor=" + url.QueryEscape(cursor)
				}
				list := decode[listBody[personJSON]](t, f.get(t, path, f.bobToken), http.StatusOK)
				if len(list.Items) > 10 {
					t.Fatalf("page %d has %d items, want at most 10", page, len(list.Items))
				}
				got = append(got, ids(list.Items)...)
				if cursor = list.NextCursor; cursor == "" {
					return got
				}
			}
		}
		sameSet := func(t *testing.T, got, want []string) {
			t.Helper()
			seen := map[string]bool{}
			for _, id := range got {
				if seen[id] {
					t.Fatalf("%s listed twice", id)
				}
				seen[id] = true
			}
			g, w := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
			if !slices.Equal(g, w) {
				t.Fatalf("got %d people %v\nwant %d %v", len(g), g, len(w), w)
			}
		}

		t.Run("PaginationVisitsEachOnce", func(t *testing.T) {
			got := all(t, "organisation_id="+f.zuid.ID)
			if !slices.Equal(got, zuid) {
				t.Fatalf("Vestiging Zuid in pages = %v\nwant, by name, %v", got, zuid)
			}
			sameSet(t, all(t, ""), everyone)
		})

		t.Run("DefaultLimit", func(t *testing.T) {
			list := decode[listBody[personJSON]](t, f.get(t, "/api/v1/people", f.bobToken), http.StatusOK)
			if len(list.Items) != 20 || list.NextCursor == "" {
				t.Fatalf("got %d people and next_cursor %q, want 20 and a cursor", len(list.Items), list.NextCursor)
			}
		})

		t.Run("Filters", func(t *testing.T) {
			for _, tc := range []struct {
				name, query string
				want        []string
			}{
				{"Query", "q=VRIES", []string{f.alice.ID}},
				{"QueryFunction", "q=leescons", []string{f.alice.ID}},
				{"Expertise", "expertise=%23Leesbevordering", []string{f.alice.ID}},
				{"ExpertiseInOrganisation", "expertise=makerspace&organisation_id=" + f.zuid.ID, []string{zuid[4], zuid[9], zuid[14], zuid[19], zuid[24]}},
				{"Organisation", "organisation_id=" + f.noord.ID, []string{f.bob.ID}},
				{"Kind", "kind=volunteer&q=medewerker+1", []string{zuid[9], zuid[11], zuid[13], zuid[15], zuid[17]}},
				{"KindEverywhere", "kind=volunteer&organisation_id=" + f.noord.ID, []string{f.bob.ID}},
				{"Nobody", "q=zzz", nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					sameSet(t, all(t, tc.query), tc.want)
				})
			}
		})

		t.Run("InvalidParameters", func(t *testing.T) {
			for _, tc := range []struct{ query, field, key string }{
				{"limit=0", "limit", "error.limit_invalid"},
				{"limit=101", "limit", "error.limit_invalid"},
				{"limit=abc", "limit", "error.limit_invalid"},
				{"limit=", "", ""}, // empty is the default
				{"kind=boss", "kind", "error.person_kind_invalid"},
				{"status=sleeping", "status", msgStatusInvalid},
				{"q=%00", "q", "error.text_invalid"},
				{"q=%ff", "q", "error.text_invalid"},
				{"q=" + strings.Repeat("a", maxQueryLen+1), "q", msgQueryTooLong},
				{"organisation_id=%00", "organisation_id", "error.text_invalid"},
				{"cursor=%00", "cursor", "error.cursor_invalid"},
			} {
				res := f.get(t, "/api/v1/people?"+tc.query, f.bobToken)
				if tc.field == "" {
					wantStatus(t, res, http.StatusOK)
					continue
				}
				e := wantError(t, res, http.StatusBadRequest, biebplein.CodeInvalid)
				f.wantField(t, e, tc.field, "nl", tc.key)
			}
			// A cursor the store did not hand out.
			e := wantError(t, f.get(t, "/api/v1/people?cursor=garbage", f.bobToken), http.StatusBadRequest, biebplein.CodeInvalid)
			if got, want := e.Message, f.bundle.T("nl", "error.cursor_invalid"); got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
		})

		// The mention suggestions of the web pages (web/static/mention.js) search with the
		// session cookie and no CSRF header: a GET needs none.
		t.Run("SearchWithSessionCookie", func(t *testing.T) {
			cookie, _ := f.mustSession(t, f.bob)
			res := f.do(t, req{method: "GET", path: "/api/v1/people?q=Alice&limit=6",
				header: map[string]string{"Cookie": httpx.SessionCookie + "=" + cookie, "Accept": "application/json"}})
			list := decode[listBody[personJSON]](t, res, http.StatusOK)
			if len(list.Items) != 1 || list.Items[0].Name != "Alice de Vries" || list.Items[0].Organisation.Name == "" {
				t.Fatalf("items = %+v, want Alice with her organisation", list.Items)
			}
		})

		t.Run("Show", func(t *testing.T) {
			p := decode[personJSON](t, f.get(t, "/api/v1/people/"+f.alice.ID, f.bobToken), http.StatusOK)
			want := personJSON{
				ID: f.alice.ID, Name: "Alice de Vries", Kind: "staff",
				Organisation: organisationRefJSON{ID: f.library.ID, Name: "Bibliotheek Aan Zee", Kind: "library"},
				Function:     "leesconsulent", Expertise: []string{"leesbevordering", "jeugd"}, Interests: []string{},
			}
			if !samePerson(p, want) {
				t.Fatalf("alice for bob = %+v\nwant %+v", p, want)
			}
			p = decode[personJSON](t, f.get(t, "/api/v1/people/"+f.alice.ID, f.aliceToken), http.StatusOK)
			if p.Email != "alice@aanzee.nl" || p.Status != "" || p.Locale != "" {
				t.Fatalf("alice for herself = %+v, want her e-mail only", p)
			}
			p = decode[personJSON](t, f.get(t, "/api/v1/people/"+f.alice.ID, f.adminToken), http.StatusOK)
			if p.Email != "alice@aanzee.nl" || p.Status != statusActive {
				t.Fatalf("alice for admin = %+v, want e-mail and status", p)
			}
			wantError(t, f.get(t, "/api/v1/people/unknown", f.bobToken), http.StatusNotFound, biebplein.CodeNotFound)
		})

		t.Run("EmailsOnlyForAdmins", func(t *testing.T) {
			list := decode[listBody[personJSON]](t, f.get(t, "/api/v1/people?limit=100", f.bobToken), http.StatusOK)
			for _, p := range list.Items {
				if (p.Email != "") != (p.ID == f.bob.ID) || p.Status != "" {
					t.Fatalf("bob sees %+v: only his own e-mail and no status", p)
				}
			}
			list = decode[listBody[personJSON]](t, f.get(t, "/api/v1/people?limit=100", f.adminToken), http.StatusOK)
			for _, p := range list.Items {
				if p.Email == "" || p.Status == "" {
					t.Fatalf("admin sees %+v: want e-mail and status", p)
				}
			}
		})

		t.Run("DeactivatedOnlyForAdmins", func(t *testing.T) {
			gone := zuid[0]
			if err := f.svc.SetActive(service.System(t.Context()), gone, false); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := f.svc.SetActive(service.System(t.Context()), gone, true); err != nil {
					t.Fatal(err)
				}
			}()
			wantError(t, f.get(t, "/api/v1/people/"+gone, f.bobToken), http.StatusNotFound, biebplein.CodeNotFound)
			p := decode[personJSON](t, f.get(t, "/api/v1/people/"+gone, f.adminToken), http.StatusOK)
			if p.Status != statusDeactivated {
				t.Fatalf("status = %q, want deactivated", p.Status)
			}
			for _, tc := range []struct {
				token, status string
				want          bool
			}{
				{f.bobToken, "", false}, {f.bobToken, "all", false}, {f.bobToken, "deactivated", false},
				{f.adminToken, "", false}, {f.adminToken, "all", true}, {f.adminToken, "deactivated", true},
			} {
				list := decode[listBody[personJSON]](t,
					f.get(t, "/api/v1/people?limit=100&organisation_id="+f.zuid.ID+"&status="+tc.status, tc.token), http.StatusOK)
				if got := slices.Contains(ids(list.Items), gone); got != tc.want {
					t.Fatalf("admin %v, status %q: listed = %v, want %v", tc.token == f.adminToken, tc.status, got, tc.want)
				}
			}
		})

		t.Run("CreateWithPassword", func(t *testing.T) {
			res := f.do(t, req{method: "POST", path: "/api/v1/people", token: f.adminToken, body: map[string]any{
				"name": "Eva de Boer", "email": " Eva@AanZee.NL ", "kind": "staff", "organisation_id": f.library.ID,
				"function": "educatiemanager", "admin": true, "password": password,
			}})
			p := decode[personJSON](t, res, http.StatusCreated)
			if p.ID == "" || p.Email != "eva@aanzee.nl" || !p.Admin || p.Status != statusActive || p.InviteURL != "" ||
				p.Organisation.ID != f.library.ID || p.Function != "educatiemanager" || p.Expertise == nil {
				t.Fatalf("created = %+v", p)
			}
			if strings.Contains(string(res.body), "invite_url") || strings.Contains(string(res.body), password) {
				t.Fatalf("answer shows an invite_url or the password: %s", res.body)
			}
			// Eva can sign in at once.
			tok := decode[tokenCreated](t, f.do(t, req{method: "POST", path: "/api/v1/tokens",
				body: map[string]string{"email": "eva@aanzee.nl", "password": password, "name": "eva"}}), http.StatusCreated)
			me := decode[personJSON](t, f.get(t, "/api/v1/me", tok.Token), http.StatusOK)
			if me.ID != p.ID {
				t.Fatalf("me = %+v, want %s", me, p.ID)
			}
		})

		t.Run("CreateWithoutPasswordInvites", func(t *testing.T) {
			p := decode[personJSON](t, f.do(t, req{method: "POST", path: "/api/v1/people", token: f.adminToken, body: map[string]any{
				"name": "Frank Visser", "email": "frank@aanzee.nl", "kind": "partner", "organisation_id": f.noord.ID,
			}}), http.StatusCreated)
			if !strings.HasPrefix(p.InviteURL, baseURL+"/invite/") || p.Status != statusInvited || p.Admin {
				t.Fatalf("created = %+v, want an invite_url and status invited", p)
			}
			token := strings.TrimPrefix(p.InviteURL, baseURL+"/invite/")
			invited, err := f.svc.Invitation(t.Context(), token)
			if err != nil || invited.ID != p.ID {
				t.Fatalf("invitation = %v, %v; want %s", invited, err, p.ID)
			}
		})

		t.Run("CreateDuplicateEmailOtherCase", func(t *testing.T) {
			res := f.do(t, req{method: "POST", path: "/api/v1/people", token: f.adminToken, body: map[string]any{
				"name": "Alice Tweede", "email": "ALICE@aanzee.nl", "kind": "staff", "organisation_id": f.library.ID,
			}})
			e := wantError(t, res, http.StatusConflict, biebplein.CodeConflict)
			if got, want := e.Message, f.bundle.T("nl", "error.email_taken"); got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
		})

		t.Run("CreateInvalid", func(t *testing.T) {
			for _, tc := range []struct {
				body       map[string]any
				field, key string
			}{
				{map[string]any{"name": "X", "email": "not-an-address", "kind": "staff", "organisation_id": f.library.ID}, "email", "error.email_invalid"},
				{map[string]any{"name": "X", "email": "x@aanzee.nl", "kind": "boss", "organisation_id": f.library.ID}, "kind", "error.person_kind_invalid"},
				{map[string]any{"name": "X", "email": "x@aanzee.nl", "kind": "staff"}, "organisation_id", "error.organisation_required"},
				{map[string]any{"name": "X", "email": "x@aanzee.nl", "kind": "staff", "organisation_id": "unknown"}, "organisation_id", "error.organisation_not_found"},
				{map[string]any{"name": "X", "email": "x@aanzee.nl", "kind": "staff", "organisation_id": "\x00"}, "organisation_id", "error.organisation_not_found"},
				{map[string]any{"name": "X", "email": "x@aanzee.nl", "kind": "staff", "organisation_id": f.library.ID, "password": "short"}, "password", "error.password_too_short"},
				{map[string]any{"name": strings.Repeat("n", 121), "email": "x@aanzee.nl", "kind": "staff", "organisation_id": f.library.ID}, "name", "error.name_too_long"},
				{map[string]any{"name": "X", "email": "x@aanzee.nl", "kind": "staff", "organisation_id": f.library.ID, "admin": "yes"}, "admin", msgJSONType},
			} {
				res := f.do(t, req{method: "POST", path: "/api/v1/people", token: f.adminToken, body: tc.body})
				e := wantError(t, res, http.StatusBadRequest, biebplein.CodeInvalid)
				f.wantField(t, e, tc.field, "nl", tc.key)
			}
		})

		t.Run("CreateAsNonAdminIsNotFound", func(t *testing.T) {
			res := f.do(t, req{method: "POST", path: "/api/v1/people", token: f.aliceToken, body: map[string]any{
				"name": "Gert", "email": "gert@aanzee.nl", "kind": "staff", "organisation_id": f.library.ID, "admin": true,
			}})
			wantError(t, res, http.StatusNotFound, biebplein.CodeNotFound)
			list := decode[listBody[personJSON]](t, f.get(t, "/api/v1/people?q=gert", f.adminToken), http.StatusOK)
			if len(list.Items) != 0 {
				t.Fatalf("a non-administrator created %+v", list.Items)
			}
		})
	})
}
