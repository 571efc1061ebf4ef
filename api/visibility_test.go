package api

import (
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

// walkWorld is the world of the visibility walk: one group of every visibility, made by
// Olga (staff of library A), each with an announcement, a poll and a question with a comment,
// all tagged #wandeling.
//
//	Probiblio (support)            Anna Admin (site admin)
//	├── Bibliotheek Aan Zee (A)    Alice (staff; member of the closed and secret groups),
//	│   └── Vestiging Noord        Carol (staff; member of nothing), Olga (owner of all groups)
//	│                              Bob (volunteer), Erik (volunteer, added by the walk)
//	├── Bibliotheek Binnenland (B) Bert (staff)
//	└── Theater De Kade (partner)  Petra (partner)
type walkWorld struct {
	f           *fixture
	owner, erik *biebplein.Person
	groups      []*walkGroup
}

type walkGroup struct {
	vis                       biebplein.Visibility
	group                     *biebplein.Group
	announcement, poll, quest *biebplein.Post
	comment                   *biebplein.Comment
}

// walker is one person of the walk and what they may do per visibility.
type walker struct {
	name   string
	person *biebplein.Person // nil: no token
	token  string
	see    []biebplein.Visibility
	read   []biebplein.Visibility
	member []biebplein.Visibility
	admin  bool
}

// walkCase is what one walker may do with one group.
type walkCase struct {
	// creator: staff or site admin, who may start groups (routes not about one group).
	anon, see, read, member, manage, creator bool
	vis                                      biebplein.Visibility
}

func newWalkWorld(t *testing.T, f *fixture) *walkWorld {
	t.Helper()
	w := &walkWorld{f: f}
	w.owner = f.mustPerson(t, biebplein.PersonInput{Name: "Olga Owner", Email: "olga@aanzee.nl",
		Kind: biebplein.KindStaff, OrganisationID: f.library.ID, Password: password})
	w.erik = f.mustPerson(t, biebplein.PersonInput{Name: "Erik Extra", Email: "erik@aanzee.nl",
		Kind: biebplein.KindVolunteer, OrganisationID: f.library.ID, Password: password})
	for _, vis := range biebplein.Visibilities() {
		org := ""
		if vis == biebplein.VisOrganisation {
			org = f.library.ID
		}
		wg := &walkGroup{vis: vis, group: f.mustGroup(t, w.owner, "Groep "+string(vis), vis, org)}
		if vis == biebplein.VisClosed || vis == biebplein.VisSecret {
			f.mustMember(t, w.owner, wg.group, f.alice)
		}
		wg.announcement = f.mustPost(t, w.owner, biebplein.PostInput{GroupID: wg.group.ID,
			Kind: biebplein.KindAnnouncement, Body: "Let op, #wandeling " + string(vis)})
		wg.poll = f.mustPost(t, w.owner, biebplein.PostInput{GroupID: wg.group.ID, Kind: biebplein.KindPoll,
			Body: "Kiezen #wandeling", PollOptions: []string{"ja", "nee"}})
		wg.quest = f.mustPost(t, w.owner, biebplein.PostInput{GroupID: wg.group.ID, Kind: biebplein.KindQuestion,
			Body: "Wie weet het? #wandeling"})
		wg.comment = f.mustComment(t, w.owner, wg.quest.ID, "Ik")
		w.groups = append(w.groups, wg)
	}
	return w
}

// walkers builds the people of the walk in f. Their tables of what they may see and read are
// written out here, not derived from the rule under test.
func walkers(t *testing.T, f *fixture) []*walker {
	t.Helper()
	libB := f.mustOrganisation(t, "Bibliotheek Binnenland", biebplein.OrgLibrary, f.support)
	theatre := f.mustOrganisation(t, "Theater De Kade", biebplein.OrgPartner, f.support)
	bert := f.mustPerson(t, biebplein.PersonInput{Name: "Bert Binnen", Email: "bert@binnenland.nl",
		Kind: biebplein.KindStaff, OrganisationID: libB.ID, Password: password})
	petra := f.mustPerson(t, biebplein.PersonInput{Name: "Petra Partner", Email: "petra@kade.nl",
		Kind: biebplein.KindPartner, OrganisationID: theatre.ID, Password: password})
	const (
		pub, nw, org, cl, sec = biebplein.VisPublic, biebplein.VisNetwork, biebplein.VisOrganisation, biebplein.VisClosed, biebplein.VisSecret
	)
	all := []biebplein.Visibility{pub, nw, org, cl, sec}
	return []*walker{
		{name: "SiteAdmin", person: f.admin, token: f.adminToken, admin: true, see: all, read: []biebplein.Visibility{pub, nw, org, cl}},
		{name: "StaffA", person: f.alice, token: f.aliceToken, see: all, read: all, member: []biebplein.Visibility{cl, sec}},
		{name: "StaffB", person: bert, token: f.mustToken(t, bert), see: []biebplein.Visibility{pub, nw, cl}, read: []biebplein.Visibility{pub, nw}},
		{name: "Volunteer", person: f.bob, token: f.bobToken, see: []biebplein.Visibility{pub, nw, org, cl}, read: []biebplein.Visibility{pub, nw, org}},
		{name: "Partner", person: petra, token: f.mustToken(t, petra), see: []biebplein.Visibility{pub}, read: []biebplein.Visibility{pub}},
		{name: "NonMember", person: f.carol, token: f.mustToken(t, f.carol), see: []biebplein.Visibility{pub, nw, org, cl}, read: []biebplein.Visibility{pub, nw, org}},
		{name: "NoToken"},
	}
}

// walkRoute is one route of the API as the walk calls it: for one group of the world
// (perGroup) or once.
type walkRoute struct {
	pattern string
	// call builds the request; g is nil for routes that are not about one group.
	call func(w *walkWorld, g *walkGroup, me *walker) req
	// want is the status for a signed-in walker; for routes about one group it is only asked
	// when the group is visible (invisible ones must be 404).
	want func(c walkCase) int
	// check looks at a 200 answer of a route that is not about one group.
	check func(t *testing.T, w *walkWorld, me *walker, res *response)
}

func pick(cond bool, yes, no int) int {
	if cond {
		return yes
	}
	return no
}

// walkRoutes lists every route, in the order the walk calls them: what changes the world
// (joining, deleting, leaving) comes last.
func walkRoutes() []walkRoute {
	get := func(path func(w *walkWorld, g *walkGroup, me *walker) string) func(w *walkWorld, g *walkGroup, me *walker) req {
		return func(w *walkWorld, g *walkGroup, me *walker) req {
			return req{method: http.MethodGet, path: path(w, g, me), token: me.token}
		}
	}
	send := func(method string, path func(g *walkGroup) string, body func(w *walkWorld, g *walkGroup, me *walker) any) func(w *walkWorld, g *walkGroup, me *walker) req {
		return func(w *walkWorld, g *walkGroup, me *walker) req {
			r := req{method: method, path: path(g), token: me.token}
			if body != nil {
				r.body = body(w, g, me)
			}
			return r
		}
	}
	group := func(suffix string) func(g *walkGroup) string {
		return func(g *walkGroup) string { return "/api/v1/groups/" + g.group.ID + suffix }
	}
	quest := func(suffix string) func(g *walkGroup) string {
		return func(g *walkGroup) string { return "/api/v1/posts/" + g.quest.ID + suffix }
	}
	fixed := func(body any) func(*walkWorld, *walkGroup, *walker) any {
		return func(*walkWorld, *walkGroup, *walker) any { return body }
	}
	readable := func(ok int) func(c walkCase) int { return func(c walkCase) int { return pick(c.read, ok, 404) } }
	ok := func(c walkCase) int { return http.StatusOK }

	return []walkRoute{
		// Routes of the first capabilities: the walk only checks they answer every walker.
		{pattern: "POST /api/v1/tokens", call: func(w *walkWorld, _ *walkGroup, me *walker) req {
			return req{method: http.MethodPost, path: "/api/v1/tokens", body: map[string]string{"email": "nobody@x.nl", "password": "wrong", "name": "x"}}
		}, want: func(walkCase) int { return http.StatusUnauthorized }},
		{pattern: "GET /api/v1/tokens", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/tokens" }), want: ok},
		{pattern: "DELETE /api/v1/tokens/{id}", call: send(http.MethodDelete, func(*walkGroup) string { return "/api/v1/tokens/unknown" }, nil),
			want: func(walkCase) int { return http.StatusNotFound }},
		{pattern: "GET /api/v1/me", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/me" }), want: ok},
		{pattern: "PATCH /api/v1/me", call: send(http.MethodPatch, func(*walkGroup) string { return "/api/v1/me" }, fixed(map[string]any{})), want: ok},
		{pattern: "GET /api/v1/organisations", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/organisations" }), want: ok},
		{pattern: "POST /api/v1/organisations", call: send(http.MethodPost, func(*walkGroup) string { return "/api/v1/organisations" }, fixed(map[string]any{"kind": "x"})),
			want: func(c walkCase) int { return pick(c.manage, 400, 404) }},
		{pattern: "GET /api/v1/organisations/{id}", call: get(func(w *walkWorld, _ *walkGroup, _ *walker) string { return "/api/v1/organisations/" + w.f.library.ID }), want: ok},
		{pattern: "GET /api/v1/people", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/people" }), want: ok},
		{pattern: "POST /api/v1/people", call: send(http.MethodPost, func(*walkGroup) string { return "/api/v1/people" }, fixed(map[string]any{"kind": "x"})),
			want: func(c walkCase) int { return pick(c.manage, 400, 404) }},
		{pattern: "GET /api/v1/people/{id}", call: get(func(w *walkWorld, _ *walkGroup, _ *walker) string { return "/api/v1/people/" + w.owner.ID }), want: ok},
		// The expertise finder counts Olga's posts (three per group) and comments (one per
		// group) only in the groups the walker may read.
		{pattern: "GET /api/v1/experts", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/experts?topic=Wandeling" }), want: ok,
			check: func(t *testing.T, w *walkWorld, me *walker, res *response) {
				want := map[string]int{biebplein.ReasonPosts: 3 * len(me.read), biebplein.ReasonComments: len(me.read)}
				got := map[string]int{}
				for _, e := range decode[listBody[expertJSON]](t, res, 200).Items {
					if e.Person.ID == w.owner.ID {
						for _, r := range e.Reasons {
							got[r.Kind] = r.Count
						}
					}
				}
				if !maps.Equal(got, want) {
					t.Errorf("Olga's reasons = %v, want %v", got, want)
				}
			}},
		{pattern: "GET /api/v1/tags", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/tags?prefix=lees" }), want: ok},
		{pattern: "GET /api/v1/audit", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/audit" }),
			want: func(c walkCase) int { return pick(c.manage, 200, 404) }},

		// Lists: never an invisible group or an unreadable post.
		{pattern: "GET /api/v1/groups", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/groups?limit=100" }), want: ok,
			check: func(t *testing.T, w *walkWorld, me *walker, res *response) {
				got := groupIDs(decode[listBody[groupJSON]](t, res, 200).Items)
				for _, g := range w.groups {
					if want := slices.Contains(me.see, g.vis); slices.Contains(got, g.group.ID) != want {
						t.Errorf("group %s listed = %v, want %v", g.vis, !want, want)
					}
				}
			}},
		{pattern: "POST /api/v1/groups", call: send(http.MethodPost, func(*walkGroup) string { return "/api/v1/groups" },
			func(_ *walkWorld, _ *walkGroup, me *walker) any {
				return map[string]any{"name": "Nieuw van " + me.name, "visibility": "public"}
			}),
			want: func(c walkCase) int { return pick(c.creator, 201, 403) }},
		{pattern: "GET /api/v1/feed", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/feed?limit=100" }), want: ok,
			check: readablePostsOnly(false)},
		{pattern: "GET /api/v1/topics/{topic}/posts", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/topics/wandeling/posts?limit=100" }), want: ok,
			check: readablePostsOnly(true)},
		// Open questions: exactly the world's questions (none answered) of the readable groups.
		{pattern: "GET /api/v1/questions", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/questions?topic=wandeling&limit=100" }), want: ok,
			check: func(t *testing.T, w *walkWorld, me *walker, res *response) {
				got := postIDs(decode[listBody[postJSON]](t, res, 200).Items)
				for _, g := range w.groups {
					if want := slices.Contains(me.read, g.vis); slices.Contains(got, g.quest.ID) != want {
						t.Errorf("question of the %s group listed = %v, want %v", g.vis, !want, want)
					}
					if slices.Contains(got, g.poll.ID) || slices.Contains(got, g.announcement.ID) {
						t.Errorf("a post that is no question is listed (%s)", g.vis)
					}
				}
			}},
		// Asking: in the public group only the site administrator may post (nobody else is a
		// member); per group, its members (and the site administrator where they may read).
		// Olga, asked each time, may read every group. Another topic than the world's, so that
		// the lists and searches walked later find only what the world made.
		{pattern: "POST /api/v1/questions", call: func(w *walkWorld, _ *walkGroup, me *walker) req {
			return req{method: http.MethodPost, path: "/api/v1/questions", token: me.token, body: map[string]any{
				"title": "Wie fietst mee?", "topics": []string{"fietsen"}, "group_id": w.groups[0].group.ID, "ask": []string{w.owner.ID}}}
		}, want: func(c walkCase) int { return pick(c.manage, 201, 403) }},
		{pattern: "POST /api/v1/questions?group_id={id}", call: func(w *walkWorld, g *walkGroup, me *walker) req {
			return req{method: http.MethodPost, path: "/api/v1/questions", token: me.token, body: map[string]any{
				"title": "Wie fietst mee?", "topics": []string{"fietsen"}, "group_id": g.group.ID, "ask": []string{w.owner.ID}}}
		}, want: func(c walkCase) int { return pick(c.member || (c.manage && c.read), 201, 403) }},
		{pattern: "GET /api/v1/questions/suggestions", call: get(func(w *walkWorld, _ *walkGroup, _ *walker) string {
			return "/api/v1/questions/suggestions?topics=wandeling&group_id=" + w.groups[0].group.ID
		}), want: func(c walkCase) int { return pick(c.manage, 200, 403) }},
		{pattern: "GET /api/v1/questions/suggestions?group_id={id}", call: get(func(_ *walkWorld, g *walkGroup, _ *walker) string {
			return "/api/v1/questions/suggestions?topics=wandeling&group_id=" + g.group.ID
		}), want: func(c walkCase) int { return pick(c.member || (c.manage && c.read), 200, 403) }},
		{pattern: "GET /api/v1/people/{id}/posts", call: get(func(w *walkWorld, _ *walkGroup, _ *walker) string {
			return "/api/v1/people/" + w.owner.ID + "/posts?limit=100"
		}), want: ok,
			check: readablePostsOnly(true)},
		{pattern: "GET /api/v1/saved", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/saved" }), want: ok,
			check: readablePostsOnly(false)},
		// Search: every readable post of the world and none other, counts included; a group
		// filter on a group the walker may not see is not_found.
		{pattern: "GET /api/v1/search", call: get(func(*walkWorld, *walkGroup, *walker) string {
			return "/api/v1/search?q=wandeling&type=post&limit=100"
		}), want: ok, check: func(t *testing.T, w *walkWorld, me *walker, res *response) {
			body := decode[searchBody](t, res, 200)
			var got []string
			for _, it := range body.Items {
				got = append(got, it.ID)
			}
			n := 0
			for _, g := range w.groups {
				readable := slices.Contains(me.read, g.vis)
				for _, p := range []*biebplein.Post{g.announcement, g.poll, g.quest} {
					if slices.Contains(got, p.ID) != readable {
						t.Errorf("post of the %s group found = %v, want %v", g.vis, !readable, readable)
					}
					if readable {
						n++
					}
				}
			}
			if body.Counts["post"] != n || len(body.Items) != n {
				t.Errorf("%d found, counted %d, want %d", len(body.Items), body.Counts["post"], n)
			}
		}},
		{pattern: "GET /api/v1/search?group_id={id}", call: get(func(_ *walkWorld, g *walkGroup, _ *walker) string {
			return "/api/v1/search?q=wandeling&group_id=" + g.group.ID
		}), want: func(c walkCase) int { return pick(c.see, 200, 404) }},

		// Notifications: only about what the walker may read. The world's announcements tell
		// the members of their groups, so exactly the groups the walker is a member of show.
		{pattern: "GET /api/v1/notifications", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/notifications?limit=100" }), want: ok,
			check: func(t *testing.T, w *walkWorld, me *walker, res *response) {
				list := decode[notificationListJSON](t, res, 200)
				var got []biebplein.Visibility
				for _, n := range list.Items {
					for _, g := range w.groups {
						if g.group.ID == n.GroupID {
							got = append(got, g.vis)
						}
					}
				}
				slices.Sort(got)
				want := slices.Sorted(slices.Values(me.member))
				if !slices.Equal(got, want) || list.UnreadCount != len(want) {
					t.Errorf("notifications of the groups %v (unread %d), want %v", got, list.UnreadCount, want)
				}
			}},
		{pattern: "POST /api/v1/notifications/read", call: send(http.MethodPost, func(*walkGroup) string { return "/api/v1/notifications/read" }, fixed(map[string]any{"ids": []string{}})),
			want: func(walkCase) int { return http.StatusNoContent }},
		{pattern: "GET /api/v1/notifications/preferences", call: get(func(*walkWorld, *walkGroup, *walker) string { return "/api/v1/notifications/preferences" }), want: ok},
		{pattern: "PUT /api/v1/notifications/preferences", call: send(http.MethodPut, func(*walkGroup) string { return "/api/v1/notifications/preferences" },
			fixed(map[string]any{"items": []any{}})), want: ok},
		{pattern: "GET /api/v1/groups/{id}/reach", call: get(func(_ *walkWorld, g *walkGroup, _ *walker) string { return group("/reach")(g) }),
			want: func(c walkCase) int { return pick(c.manage, 200, 403) }},

		// Live updates: the home stream for everyone signed in, a group's only for its readers
		// (the stream is read up to its first event, the count).
		{pattern: "GET /api/v1/events", call: func(_ *walkWorld, _ *walkGroup, me *walker) req {
			return req{method: http.MethodGet, path: "/api/v1/events?feed=home", token: me.token, stream: true}
		}, want: ok, check: func(t *testing.T, _ *walkWorld, _ *walker, res *response) {
			if !strings.HasPrefix(string(res.body), "event: count\n") {
				t.Errorf("stream starts with %q, want the count", res.body)
			}
		}},
		{pattern: "GET /api/v1/events?feed=group&group={id}", call: func(_ *walkWorld, g *walkGroup, me *walker) req {
			return req{method: http.MethodGet, path: "/api/v1/events?feed=group&group=" + g.group.ID, token: me.token, stream: true}
		}, want: func(c walkCase) int { return pick(c.read, 200, 403) }},

		// One group and its posts.
		{pattern: "GET /api/v1/groups/{id}", call: get(func(_ *walkWorld, g *walkGroup, _ *walker) string { return group("")(g) }), want: ok},
		{pattern: "GET /api/v1/groups/{id}/members", call: get(func(_ *walkWorld, g *walkGroup, _ *walker) string { return group("/members")(g) }),
			want: func(c walkCase) int { return pick(c.read, 200, 403) }},
		{pattern: "GET /api/v1/groups/{id}/posts", call: get(func(_ *walkWorld, g *walkGroup, _ *walker) string { return group("/posts")(g) }),
			want: func(c walkCase) int { return pick(c.read, 200, 403) }},
		{pattern: "GET /api/v1/posts/{id}", call: get(func(_ *walkWorld, g *walkGroup, _ *walker) string { return quest("")(g) }), want: readable(200)},
		{pattern: "POST /api/v1/posts/{id}/comments", call: send(http.MethodPost, quest("/comments"), fixed(map[string]any{"body": "Ik ook"})), want: readable(201)},
		{pattern: "POST /api/v1/posts/{id}/reactions", call: send(http.MethodPost, quest("/reactions"), fixed(map[string]any{"kind": "like"})), want: readable(201)},
		{pattern: "DELETE /api/v1/posts/{id}/reactions/{kind}", call: send(http.MethodDelete, quest("/reactions/like"), nil), want: readable(204)},
		{pattern: "PUT /api/v1/posts/{id}/bookmark", call: send(http.MethodPut, quest("/bookmark"), nil), want: readable(204)},
		{pattern: "DELETE /api/v1/posts/{id}/bookmark", call: send(http.MethodDelete, quest("/bookmark"), nil), want: readable(204)},
		{pattern: "POST /api/v1/posts/{id}/read", call: send(http.MethodPost, func(g *walkGroup) string { return "/api/v1/posts/" + g.announcement.ID + "/read" }, nil), want: readable(204)},
		{pattern: "POST /api/v1/posts/{id}/votes", call: send(http.MethodPost, func(g *walkGroup) string { return "/api/v1/posts/" + g.poll.ID + "/votes" },
			func(_ *walkWorld, g *walkGroup, _ *walker) any {
				return map[string]any{"option_ids": []string{g.poll.Poll.Options[0].ID}}
			}), want: readable(200)},
		{pattern: "PATCH /api/v1/posts/{id}", call: send(http.MethodPatch, quest(""), fixed(map[string]any{"body": "Anders"})), want: readable(403)},
		{pattern: "POST /api/v1/posts/{id}/accept", call: send(http.MethodPost, quest("/accept"),
			func(_ *walkWorld, g *walkGroup, _ *walker) any { return map[string]any{"comment_id": g.comment.ID} }),
			want: func(c walkCase) int { return pick(c.read, pick(c.manage, 200, 403), 404) }},
		{pattern: "POST /api/v1/groups/{id}/posts", call: send(http.MethodPost, group("/posts"), fixed(map[string]any{"body": "Hallo"})),
			want: func(c walkCase) int { return pick(c.member || (c.manage && c.read), 201, 403) }},
		{pattern: "GET /api/v1/groups/{id}/members?status=pending", call: get(func(_ *walkWorld, g *walkGroup, _ *walker) string { return group("/members?status=pending")(g) }),
			want: func(c walkCase) int { return pick(c.manage, 200, 403) }},
		{pattern: "POST /api/v1/groups/{id}/members", call: send(http.MethodPost, group("/members"),
			func(w *walkWorld, _ *walkGroup, _ *walker) any { return map[string]any{"person_id": w.erik.ID} }),
			want: func(c walkCase) int { return pick(c.manage, 201, 403) }},
		{pattern: "POST /api/v1/groups/{id}/requests/{person_id}/approve", call: func(w *walkWorld, g *walkGroup, me *walker) req {
			return req{method: http.MethodPost, path: group("/requests/" + w.erik.ID + "/approve")(g), token: me.token}
		}, want: func(c walkCase) int { return pick(c.manage, 409, 403) }}, // Erik is a member by now
		{pattern: "POST /api/v1/groups/{id}/join", call: send(http.MethodPost, group("/join"), nil),
			want: func(c walkCase) int {
				switch {
				case c.member:
					return 200
				case c.vis == biebplein.VisSecret:
					return 403
				case c.vis == biebplein.VisClosed:
					return 202
				}
				return 200
			}},
		{pattern: "DELETE /api/v1/posts/{id}", call: send(http.MethodDelete, quest(""), nil),
			want: func(c walkCase) int { return pick(c.read, pick(c.manage, 204, 403), 404) }},
		{pattern: "DELETE /api/v1/groups/{id}/members/{person_id}", call: func(w *walkWorld, g *walkGroup, me *walker) req {
			id := w.erik.ID // without a token there is no own id
			if me.person != nil {
				id = me.person.ID
			}
			return req{method: http.MethodDelete, path: group("/members/" + id)(g), token: me.token}
		}, want: func(walkCase) int { return 204 }},
	}
}

// readablePostsOnly checks that a list of posts holds only posts of groups the walker may
// read and, with complete, every tagged post of those groups.
func readablePostsOnly(complete bool) func(t *testing.T, w *walkWorld, me *walker, res *response) {
	return func(t *testing.T, w *walkWorld, me *walker, res *response) {
		t.Helper()
		got := postIDs(decode[listBody[postJSON]](t, res, 200).Items)
		for _, g := range w.groups {
			readable := slices.Contains(me.read, g.vis)
			for _, p := range []*biebplein.Post{g.announcement, g.poll, g.quest} {
				listed := slices.Contains(got, p.ID)
				if listed && !readable {
					t.Errorf("post of the %s group listed", g.vis)
				}
				if complete && readable && !listed {
					t.Errorf("post of the %s group missing", g.vis)
				}
			}
		}
	}
}

// TestVisibilityWalk calls every route as every kind of person, for every visibility.
// Whatever may not be seen is not_found on every route, and never in a list.
func TestVisibilityWalk(t *testing.T) {
	routes := walkRoutes()
	t.Run("EveryRouteIsWalked", func(t *testing.T) {
		src, err := os.ReadFile("routes.go")
		if err != nil {
			t.Fatal(err)
		}
		walked := map[string]bool{}
		for _, r := range routes {
			walked[r.pattern] = true
		}
		found := regexp.MustCompile(`handle\("([A-Z]+ /api/v1/[^"]*)"`).FindAllStringSubmatch(string(src), -1)
		if len(found) < 10 {
			t.Fatalf("found %d routes in routes.go: the pattern is wrong", len(found))
		}
		for _, m := range found {
			if !walked[m[1]] {
				t.Errorf("route %q is not in the walk", m[1])
			}
		}
	})

	perGroup := regexp.MustCompile(`/groups/\{id\}|/posts/\{id\}|group=\{id\}|group_id=\{id\}`)
	forEachDialect(t, func(t *testing.T, base *fixture) {
		// Each walker gets a world of their own, so that what one does never changes what
		// another may do.
		for i, name := range []string{"SiteAdmin", "StaffA", "StaffB", "Volunteer", "Partner", "NonMember", "NoToken"} {
			t.Run(name, func(t *testing.T) {
				f := base
				if i > 0 {
					t.Parallel()
					f = newFixture(t, base.dialect)
				}
				me := walkers(t, f)[i]
				if me.name != name {
					t.Fatalf("walker %d is %s, want %s", i, me.name, name)
				}
				world := newWalkWorld(t, f)
				for _, rt := range routes {
					if !perGroup.MatchString(rt.pattern) {
						r := rt.call(world, nil, me)
						res := f.do(t, r)
						want := http.StatusUnauthorized
						if me.person != nil && rt.pattern != "POST /api/v1/tokens" {
							want = rt.want(walkCase{manage: me.admin, creator: me.person.Kind == biebplein.KindStaff || me.admin})
						}
						if res.status != want {
							t.Errorf("%s %s: status %d, want %d; %s", r.method, r.path, res.status, want, res.body)
						} else if rt.check != nil && res.status == 200 {
							rt.check(t, world, me, res)
						}
						continue
					}
					for _, g := range world.groups {
						c := walkCase{anon: me.person == nil, vis: g.vis, see: slices.Contains(me.see, g.vis),
							read: slices.Contains(me.read, g.vis), member: slices.Contains(me.member, g.vis)}
						c.manage = me.admin && c.see
						r := rt.call(world, g, me)
						want := http.StatusNotFound
						switch {
						case c.anon:
							want = http.StatusUnauthorized
						case c.see:
							want = rt.want(c)
						}
						if res := f.do(t, r); res.status != want {
							t.Errorf("%s group: %s %s: status %d, want %d; %s", g.vis, r.method, r.path, res.status, want, res.body)
						}
					}
				}
			})
		}
	})
}
