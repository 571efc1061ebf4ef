package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// personLink finds the people listed on a directory page, in order.
var personLink = regexp.MustCompile(`<h3><a href="(?:/admin)?/people/[^"]+">([^<]+)</a></h3>`)

func listed(r *response) []string {
	var names []string
	for _, m := range personLink.FindAllStringSubmatch(r.Body, -1) {
		names = append(names, m[1])
	}
	return names
}

var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

func TestDirectory(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		ctx := biebplein.NewContext(context.Background(), s.staff)
		exp := []string{"Voorlezen", "BoekStart"}
		if _, err := s.svc.UpdateProfile(ctx, s.staff.ID, biebplein.ProfileUpdate{Expertise: &exp}); err != nil {
			t.Fatal(err)
		}
		c := s.signedIn(s.vol)

		for _, tc := range []struct {
			name, query string
			want        []string
		}{
			{"All", "", []string{"Anne Beheer", "Sam Leesconsulent", "Vera Vrijwilliger"}},
			{"Query", "?q=lees", []string{"Sam Leesconsulent"}},
			{"Organisation", "?organisation=" + s.branch.ID, []string{"Vera Vrijwilliger"}},
			{"Kind", "?kind=volunteer", []string{"Vera Vrijwilliger"}},
			{"Expertise", "?expertise=boekstart", []string{"Sam Leesconsulent"}},
			{"Nobody", "?q=zzzz", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := c.get("/people" + tc.query)
				wantStatus(t, tc.name, r, http.StatusOK)
				if got := listed(r); fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("listed %v, want %v", got, tc.want)
				}
			})
		}

		t.Run("FiltersShown", func(t *testing.T) {
			r := c.get("/people?kind=staff&expertise=voorlezen")
			wantBody(t, "filters", r, `<datalist id="expertise-tags">`, `<option value="voorlezen">`,
				`<option value="staff" selected>`, `value="voorlezen"`, `<option value="`+s.library.ID+`">`)
		})

		t.Run("BadFilterIsFieldError", func(t *testing.T) {
			r := c.get("/people?q=%FF&kind=baas")
			wantStatus(t, "bad filter", r, http.StatusBadRequest)
			wantBody(t, "bad filter", r, text("nl", "error.text_invalid"), text("nl", "error.person_kind_invalid"))
			r = c.get("/people?after=onzin")
			wantStatus(t, "bad cursor", r, http.StatusBadRequest)
			r = c.get("/people?after=%00")
			wantStatus(t, "control cursor", r, http.StatusOK)
		})

		t.Run("Pagination", func(t *testing.T) {
			admin := service.System(context.Background())
			for i := range 5 {
				s.mustPerson(admin, fmt.Sprintf("Zz Persoon %d", i), fmt.Sprintf("zz%d@example.nl", i), biebplein.KindStaff, s.library.ID, false)
			}
			s.server.pageSize = 3
			defer func() { s.server.pageSize = 20 }()
			var all []string
			path := "/people?q=zz"
			for range 10 {
				r := c.get(path)
				wantStatus(t, path, r, http.StatusOK)
				all = append(all, listed(r)...)
				m := nextLink.FindStringSubmatch(r.Body)
				if m == nil {
					break
				}
				path = strings.ReplaceAll(m[1], "&amp;", "&")
				if !strings.Contains(path, "q=zz") {
					t.Errorf("next page %q loses the filter", path)
				}
			}
			want := []string{"Zz Persoon 0", "Zz Persoon 1", "Zz Persoon 2", "Zz Persoon 3", "Zz Persoon 4"}
			if fmt.Sprint(all) != fmt.Sprint(want) {
				t.Errorf("pages listed %v, want %v", all, want)
			}
		})
	})
}

func TestProfilePage(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		ctx := biebplein.NewContext(context.Background(), s.staff)
		exp, interests, bio := []string{"BoekStart"}, []string{"Leesbevordering"}, "Regel een\nRegel <twee>"
		if _, err := s.svc.UpdateProfile(ctx, s.staff.ID, biebplein.ProfileUpdate{Expertise: &exp, Interests: &interests, Bio: &bio}); err != nil {
			t.Fatal(err)
		}
		c := s.signedIn(s.vol)

		t.Run("Shown", func(t *testing.T) {
			r := c.get("/people/" + s.staff.ID)
			wantStatus(t, "profile", r, http.StatusOK)
			wantBody(t, "profile", r, "<h1>Sam Leesconsulent</h1>", "Bibliotheek Aan Zee", text("nl", "web.person_kind.staff"),
				`href="/people?expertise=boekstart"`, "leesbevordering", "Regel &lt;twee&gt;")
			notBody(t, "profile of another", r, `href="/admin/people/`)
		})

		t.Run("Unknown", func(t *testing.T) {
			r := c.get("/people/bestaat-niet")
			wantStatus(t, "unknown", r, http.StatusNotFound)
			wantBody(t, "unknown", r, text("nl", "error.not_found"))
			wantStatus(t, "bad bytes", c.get("/people/%FF"), http.StatusNotFound)
		})

		t.Run("DeactivatedInvisible", func(t *testing.T) {
			if err := s.svc.SetActive(service.System(context.Background()), s.admin.ID, false); err == nil {
				t.Fatal("deactivating the only administrator should fail")
			}
			other := s.mustPerson(service.System(context.Background()), "Weg Persoon", "weg@example.nl", biebplein.KindStaff, s.library.ID, false)
			if err := s.svc.SetActive(service.System(context.Background()), other.ID, false); err != nil {
				t.Fatal(err)
			}
			wantStatus(t, "deactivated", c.get("/people/"+other.ID), http.StatusNotFound)
			wantStatus(t, "admin sees deactivated", s.signedIn(s.admin).get("/people/"+other.ID), http.StatusOK)
		})
	})
}

func TestUnknownPaths(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		c := s.signedIn(s.staff)
		r := c.get("/bestaat/niet")
		wantStatus(t, "unknown", r, http.StatusNotFound)
		wantBody(t, "unknown", r, text("nl", "web.error.title_404"), text("nl", "error.not_found"))
		r = c.post("/people", url.Values{})
		wantStatus(t, "POST /people", r, http.StatusMethodNotAllowed)
		if got := r.Header.Get("Allow"); got != "GET, HEAD" {
			t.Errorf("Allow = %q", got)
		}
		wantStatus(t, "GET /logout", c.get("/logout"), http.StatusMethodNotAllowed)
		wantRedirect(t, "signed out", s.client().get("/bestaat/niet"), "/login?next=%2Fbestaat%2Fniet")
	})
}
