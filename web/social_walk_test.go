package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// The visibility walk: every route of groups, posts and feeds, requested as every kind of
// person, with the ids of visible and invisible groups, posts and files. What someone may
// not see is 404: never 403, never a page that shows it.

// walkWorld is a network with groups of every visibility, each with an image and a post
// with a file.
type walkWorld struct {
	*site
	libB, partnerOrg                 *biebplein.Organisation
	owner, staffB, partner, outsider *biebplein.Person
	groups                           map[biebplein.Visibility]*biebplein.Group
	posts                            map[biebplein.Visibility]*biebplein.Post
	files                            map[biebplein.Visibility]string
}

func newWalkWorld(t *testing.T, dialect string) *walkWorld {
	t.Helper()
	w := &walkWorld{site: newSite(t, dialect), groups: map[biebplein.Visibility]*biebplein.Group{},
		posts: map[biebplein.Visibility]*biebplein.Post{}, files: map[biebplein.Visibility]string{}}
	ctx := service.System(context.Background())
	w.libB = w.mustOrg(ctx, "Bibliotheek Achter de Duinen", biebplein.OrgLibrary, w.root.ID)
	w.partnerOrg = w.mustOrg(ctx, "Taalhuis Partner", biebplein.OrgPartner, w.root.ID)
	w.owner = w.mustPerson(ctx, "Olga Eigenaar", "olga@example.nl", biebplein.KindStaff, w.library.ID, false)
	w.staffB = w.mustPerson(ctx, "Bram Anderebieb", "bram@example.nl", biebplein.KindStaff, w.libB.ID, false)
	w.partner = w.mustPerson(ctx, "Pim Partner", "pim@example.nl", biebplein.KindPartner, w.partnerOrg.ID, false)
	w.outsider = w.mustPerson(ctx, "Nina Nergenslid", "nina@example.nl", biebplein.KindStaff, w.library.ID, false)
	for _, vis := range biebplein.Visibilities() {
		org := ""
		if vis == biebplein.VisOrganisation {
			org = w.library.ID
		}
		img := w.mustFile("walkgroep-"+string(vis)+".png", pngBytes(t))
		g, err := w.svc.CreateGroup(as(w.owner), biebplein.GroupInput{Name: "Walkgroep-" + string(vis), Visibility: vis, OrganisationID: org, ImageID: img.ID})
		if err != nil {
			t.Fatalf("CreateGroup(%s): %v", vis, err)
		}
		f := w.mustFile("walk-"+string(vis)+".png", pngBytes(t))
		w.groups[vis] = g
		w.posts[vis] = w.mustPost(w.owner, g, biebplein.KindPost, "Geheimtekst-"+string(vis)+" #walk", f)
		w.files[vis] = f.ID
	}
	w.mustJoin(w.owner, w.staff, w.groups[biebplein.VisSecret])
	w.mustJoin(w.owner, w.vol, w.groups[biebplein.VisClosed])
	w.mustJoin(w.owner, w.partner, w.groups[biebplein.VisClosed])
	return w
}

// walker is one kind of person in the walk.
type walker struct {
	name   string
	person func(w *walkWorld) *biebplein.Person // nil: signed out
}

// The walkers; the administrator comes last, because what they may do (delete any post)
// changes what the others would see.
var walkers = []walker{
	{"StaffSameLibrary", func(w *walkWorld) *biebplein.Person { return w.staff }},
	{"StaffOtherLibrary", func(w *walkWorld) *biebplein.Person { return w.staffB }},
	{"Volunteer", func(w *walkWorld) *biebplein.Person { return w.vol }},
	{"Partner", func(w *walkWorld) *biebplein.Person { return w.partner }},
	{"NonMember", func(w *walkWorld) *biebplein.Person { return w.outsider }},
	{"SignedOut", nil},
	{"Admin", func(w *walkWorld) *biebplein.Person { return w.admin }},
}

// Who may see each group and read its posts and files, written out by hand as the
// specification (staff of the same library is a member of the secret group; the volunteer
// and the partner of the closed group).
var (
	walkSees = map[biebplein.Visibility][]string{
		biebplein.VisPublic:       {"StaffSameLibrary", "StaffOtherLibrary", "Volunteer", "Partner", "NonMember", "Admin"},
		biebplein.VisNetwork:      {"StaffSameLibrary", "StaffOtherLibrary", "Volunteer", "NonMember", "Admin"},
		biebplein.VisOrganisation: {"StaffSameLibrary", "Volunteer", "NonMember", "Admin"},
		biebplein.VisClosed:       {"StaffSameLibrary", "StaffOtherLibrary", "Volunteer", "Partner", "NonMember", "Admin"},
		biebplein.VisSecret:       {"StaffSameLibrary", "Admin"},
	}
	walkReads = map[biebplein.Visibility][]string{
		biebplein.VisPublic:       {"StaffSameLibrary", "StaffOtherLibrary", "Volunteer", "Partner", "NonMember", "Admin"},
		biebplein.VisNetwork:      {"StaffSameLibrary", "StaffOtherLibrary", "Volunteer", "NonMember", "Admin"},
		biebplein.VisOrganisation: {"StaffSameLibrary", "Volunteer", "NonMember", "Admin"},
		biebplein.VisClosed:       {"Volunteer", "Partner", "Admin"},
		biebplein.VisSecret:       {"StaffSameLibrary"},
	}
)

// walkRoute is one route of routes.go with how to call it.
type walkRoute struct {
	pattern string
	// target is what the route's {id} names: "group" (seen), "post" and "file" (read),
	// "form-group" (a group named in the form), or "" for routes about no group.
	target string
	form   func(w *walkWorld, p *biebplein.Person, vis biebplein.Visibility) url.Values
	// ok are the answers allowed when the target is visible.
	ok []int
}

func noForm(*walkWorld, *biebplein.Person, biebplein.Visibility) url.Values { return nil }

func formOf(kv ...string) func(*walkWorld, *biebplein.Person, biebplein.Visibility) url.Values {
	return func(*walkWorld, *biebplein.Person, biebplein.Visibility) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
}

var (
	okPage            = []int{http.StatusOK}
	okPageOrForbidden = []int{http.StatusOK, http.StatusForbidden}
	okDone            = []int{http.StatusSeeOther}
)

// walkRoutes must list every route of the groups, posts and feeds block of routes.go
// (TestVisibilityWalkCoversRoutes fails otherwise), and the home page.
var walkRoutes = []walkRoute{
	{"GET /{$}", "", noForm, okPage},
	{"GET /groups", "", noForm, okPage},
	{"GET /groups/new", "", noForm, okPage},
	{"POST /groups/new", "", func(w *walkWorld, p *biebplein.Person, _ biebplein.Visibility) url.Values {
		name := "Nieuw"
		if p != nil {
			name += " van " + p.Name
		}
		return url.Values{"name": {name}, "visibility": {"public"}}
	}, []int{http.StatusSeeOther, http.StatusForbidden}},
	{"GET /groups/{id}", "group", noForm, okPage},
	{"GET /groups/{id}/members", "group", noForm, okPage},
	{"GET /groups/{id}/about", "group", noForm, okPage},
	{"GET /groups/{id}/image", "group", noForm, okPage},
	{"GET /groups/{id}/edit", "group", noForm, []int{http.StatusOK, http.StatusForbidden}},
	{"POST /groups/{id}/edit", "group", func(w *walkWorld, _ *biebplein.Person, vis biebplein.Visibility) url.Values {
		g := w.groups[vis]
		return url.Values{"name": {g.Name}, "visibility": {string(vis)}, "organisation_id": {g.OrganisationID}}
	}, []int{http.StatusSeeOther, http.StatusForbidden}},
	{"POST /groups/{id}/join", "group", noForm, []int{http.StatusSeeOther, http.StatusForbidden}},
	{"POST /groups/{id}/leave", "group", noForm, okDone},
	{"POST /groups/{id}/requests/{pid}/approve", "group", noForm, []int{http.StatusForbidden, http.StatusConflict}},
	{"POST /groups/{id}/requests/{pid}/refuse", "group", noForm, []int{http.StatusForbidden, http.StatusConflict}},
	{"POST /groups/{id}/members", "group", func(w *walkWorld, _ *biebplein.Person, _ biebplein.Visibility) url.Values {
		return url.Values{"person": {personLabel(w.owner)}, "mode": {"invite"}}
	}, []int{http.StatusForbidden, http.StatusConflict}},
	{"POST /groups/{id}/members/{pid}/role", "group", formOf("role", "member"), []int{http.StatusForbidden, http.StatusConflict}},
	// The site administrator may remove the owner where nobody else is a member.
	{"POST /groups/{id}/members/{pid}/remove", "group", noForm, []int{http.StatusSeeOther, http.StatusForbidden, http.StatusConflict}},
	{"POST /groups/{id}/posts", "post-in-group", formOf("kind", "post", "body", "Walkbericht"), []int{http.StatusSeeOther, http.StatusForbidden}},
	{"POST /posts", "form-group", func(w *walkWorld, _ *biebplein.Person, vis biebplein.Visibility) url.Values {
		return url.Values{"group_id": {w.groups[vis].ID}, "kind": {"post"}, "body": {"Walkbericht"}}
	}, []int{http.StatusSeeOther, http.StatusForbidden}},
	{"GET /posts/{id}", "post", noForm, okPage},
	{"POST /posts/{id}/comments", "post", formOf("body", "Walkreactie"), okDone},
	{"GET /posts/{id}/edit", "post", noForm, []int{http.StatusForbidden}},
	{"POST /posts/{id}/edit", "post", formOf("body", "Gewijzigd"), []int{http.StatusForbidden}},
	{"GET /posts/{id}/history", "post", noForm, okPage},
	{"GET /posts/{id}/delete", "post", noForm, okPage},
	{"POST /posts/{id}/delete", "post", noForm, []int{http.StatusSeeOther, http.StatusForbidden}},
	// Restoring is for group and site admins; others are told it does not exist.
	{"POST /posts/{id}/restore", "post", noForm, []int{http.StatusSeeOther, http.StatusNotFound}},
	{"POST /posts/{id}/react", "post", formOf("kind", "like", "on", "1"), okDone},
	{"GET /posts/{id}/reactions/{kind}", "post", noForm, okPage},
	{"POST /posts/{id}/vote", "post", formOf("option_ids", "x"), []int{http.StatusBadRequest}},
	{"POST /posts/{id}/accept", "post", formOf("comment_id", "x"), []int{http.StatusBadRequest}},
	{"POST /posts/{id}/read", "post", noForm, []int{http.StatusBadRequest}},
	{"POST /posts/{id}/pin", "post", noForm, []int{http.StatusBadRequest, http.StatusForbidden}},
	{"POST /posts/{id}/unpin", "post", noForm, []int{http.StatusBadRequest, http.StatusForbidden}},
	{"POST /posts/{id}/bookmark", "post", formOf("on", "1"), okDone},
	{"GET /saved", "", noForm, okPage},
	// Searched for what every post and group of the walk holds ("#walk", "Walkgroep-"):
	// walkNoLeak checks that nothing invisible is found.
	{"GET /search", "", noForm, okPage},
	{"GET /topics/{topic}", "", noForm, okPage},
	{"GET /experts", "", noForm, okPage},
	{"GET /questions", "", noForm, okPage},
	{"GET /questions/new", "", noForm, okPage},
	// Asking in a group: its members may (303), others who see it are told they may not.
	{"POST /questions", "form-group", func(w *walkWorld, _ *biebplein.Person, vis biebplein.Visibility) url.Values {
		return url.Values{"group_id": {w.groups[vis].ID}, "title": {"Walkvraag"}, "topics": {"walk"}}
	}, []int{http.StatusSeeOther, http.StatusForbidden}},
	// "Toon wie dit weet" for a group: the suggestions are people who may read it.
	{"POST /questions", "form-group", func(w *walkWorld, _ *biebplein.Person, vis biebplein.Visibility) url.Values {
		return url.Values{"group_id": {w.groups[vis].ID}, "title": {"Walkvraag"}, "topics": {"walk"}, "action": {"suggest"}}
	}, okPageOrForbidden},
	{"POST /topics/{topic}/follow", "", formOf("on", "1"), okDone},
	{"POST /people/{id}/follow", "", formOf("on", "1"), okDone},
	{"GET /files/{id}", "file", noForm, okPage},
	{"GET /files/{id}/thumb", "file", noForm, okPage},
}

// TestVisibilityWalkCoversRoutes fails when a route of the groups, posts and feeds block of
// routes.go is missing from the walk, or the walk lists a route that is gone.
func TestVisibilityWalkCoversRoutes(t *testing.T) {
	inside, _ := routesByBlock(t)
	if len(inside) < 30 {
		t.Fatalf("found only %d routes; is the scan broken?", len(inside))
	}
	var walked []string
	for _, r := range walkRoutes {
		walked = append(walked, r.pattern)
	}
	wantSameRoutes(t, "the visibility walk", inside, walked, "GET /{$}")
}

// TestVisibilityWalk requests every route as every kind of person.
func TestVisibilityWalk(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		for _, route := range walkRoutes {
			t.Run(strings.NewReplacer(" ", "_", "/", "_").Replace(route.pattern), func(t *testing.T) {
				walkRoute1(t, dialect, route)
			})
		}
	})
}

// walkRoute1 walks one route on a fresh world, so that what one route changes cannot hide
// what another does.
func walkRoute1(t *testing.T, dialect string, route walkRoute) {
	w := newWalkWorld(t, dialect)
	method, pattern, _ := strings.Cut(route.pattern, " ")
	targets := biebplein.Visibilities()
	if route.target == "" {
		targets = []biebplein.Visibility{""}
	}
	for _, wk := range walkers {
		var c *client
		var p *biebplein.Person
		if wk.person != nil {
			p = wk.person(w)
			c = w.signedIn(p)
		} else {
			c = w.client()
		}
		for _, vis := range targets {
			path := walkPath(w, pattern, route.target, vis)
			what := wk.name + " " + method + " " + path + " (" + string(vis) + ")"
			var r *response
			if method == http.MethodGet {
				r = c.get(path)
			} else {
				r = c.post(path, route.form(w, p, vis))
			}
			visible := route.target == "" || walkAllowed(route.target, vis, wk.name)
			switch {
			case p == nil:
				if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/login") {
					t.Errorf("%s: got %d to %q, want 303 to sign in", what, r.Status, r.Location)
				}
			case !visible:
				if r.Status != http.StatusNotFound {
					t.Errorf("%s: status %d, want 404 for what may not be seen", what, r.Status)
				}
			case !slices.Contains(route.ok, r.Status):
				t.Errorf("%s: status %d, want one of %v\n%s", what, r.Status, route.ok, excerpt(r.Body))
			}
			if r.Status != http.StatusSeeOther {
				walkNoLeak(t, w, what, wk.name, r)
			}
		}
	}
}

// walkAllowed reports whether the walker may reach a route's target in a group of vis.
func walkAllowed(target string, vis biebplein.Visibility, walker string) bool {
	if target == "group" || target == "post-in-group" || target == "form-group" {
		return slices.Contains(walkSees[vis], walker)
	}
	return slices.Contains(walkReads[vis], walker)
}

// walkPath fills in a route pattern for a target in the group of vis.
func walkPath(w *walkWorld, pattern, target string, vis biebplein.Visibility) string {
	id := ""
	switch target {
	case "group", "post-in-group", "form-group":
		id = w.groups[vis].ID
	case "post":
		id = w.posts[vis].ID
	case "file":
		id = w.files[vis]
	}
	if pattern == "/people/{id}/follow" {
		id = w.owner.ID
	}
	if pattern == "/search" {
		return "/search?q=walk"
	}
	path := strings.NewReplacer("{id}", id, "{pid}", w.owner.ID, "{kind}", "like", "{topic}", "walk", "{$}", "").Replace(pattern)
	if pattern == "/experts" {
		// Olga posted #walk in every group, and the groups' names hold the word.
		path += "?topic=walk"
	}
	return path
}

// walkNoLeak fails when an answer shows a post the walker may not read or a group they may
// not see.
func walkNoLeak(t *testing.T, w *walkWorld, what, walker string, r *response) {
	t.Helper()
	for _, vis := range biebplein.Visibilities() {
		if !slices.Contains(walkReads[vis], walker) && strings.Contains(r.Body, "Geheimtekst-"+string(vis)) {
			t.Errorf("%s shows the post of the %s group", what, vis)
		}
		if !slices.Contains(walkReads[vis], walker) && strings.Contains(r.Body, w.files[vis]) {
			t.Errorf("%s shows the file of the %s group", what, vis)
		}
		if !slices.Contains(walkSees[vis], walker) && strings.Contains(r.Body, "Walkgroep-"+string(vis)) {
			t.Errorf("%s shows the %s group", what, vis)
		}
	}
}
