package store_test

import (
	"encoding/base64"
	"fmt"
	"slices"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// visibilityFixture has one post in a group of each visibility, all by Anna (who administers
// every group), and people who see different parts of them.
type visibilityFixture struct {
	*postFixture
	anna, bert, carla, piet, root *biebplein.Person
	groups                        map[biebplein.Visibility]*biebplein.Group
	posts                         map[biebplein.Visibility]*biebplein.Post
}

func newVisibilityFixture(t *testing.T, dialect string) *visibilityFixture {
	f := &visibilityFixture{postFixture: newPostFixture(t, dialect),
		groups: map[biebplein.Visibility]*biebplein.Group{}, posts: map[biebplein.Visibility]*biebplein.Post{}}
	f.anna = f.person("Anna de Vries", nil)
	f.bert = f.person("Bert Jansen", nil) // Haarlem, member of the closed group
	f.carla = f.person("Carla Smit", func(p *biebplein.Person) { p.Organisation.ID = f.leiden.ID })
	f.piet = f.person("Piet Partner", func(p *biebplein.Person) {
		p.Organisation.ID = f.leiden.ID
		p.Kind = biebplein.KindPartner
	})
	f.root = f.person("Rita Beheer", func(p *biebplein.Person) {
		p.Organisation.ID = f.support.ID
		p.Admin = true
	})
	for _, vis := range biebplein.Visibilities() {
		f.groups[vis] = f.group("Groep "+string(vis), vis, f.anna)
	}
	f.join(f.groups[biebplein.VisClosed], f.bert, biebplein.RoleMember)
	for _, vis := range biebplein.Visibilities() {
		f.posts[vis] = f.post(f.groups[vis], f.anna, string(vis), func(p *biebplein.Post) { p.Topics = []string{"lezen"} })
	}
	return f
}

// Every feed shows only posts of groups the viewer may read; a secret group's posts appear
// to nobody but its members.
func TestFindPostsVisibility(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newVisibilityFixture(t, dialect)
		mustNil(t, f.db.SetFollow(t.Context(), biebplein.Follow{PersonID: f.carla.ID, TargetKind: "person", Target: f.anna.ID}, true))
		mustNil(t, f.db.SetFollow(t.Context(), biebplein.Follow{PersonID: f.piet.ID, TargetKind: "topic", Target: "lezen"}, true))
		mustNil(t, f.db.SetFollow(t.Context(), biebplein.Follow{PersonID: f.root.ID, TargetKind: "person", Target: f.anna.ID}, true))

		readable := map[string][]string{ // newest first
			"anna":  {"secret", "closed", "organisation", "network", "public"},
			"bert":  {"closed", "organisation", "network", "public"},
			"carla": {"network", "public"},
			"piet":  {"public"},
			"root":  {"closed", "organisation", "network", "public"},
		}
		home := map[string][]string{
			"anna":  {"secret", "closed", "organisation", "network", "public"}, // her groups
			"bert":  {"closed"},                                                // his group
			"carla": {"network", "public"},                                     // follows Anna
			"piet":  {"public"},                                                // follows #lezen
			"root":  {"closed", "organisation", "network", "public"},           // follows Anna
		}
		people := map[string]*biebplein.Person{"anna": f.anna, "bert": f.bert, "carla": f.carla, "piet": f.piet, "root": f.root}
		for name, who := range people {
			t.Run(name, func(t *testing.T) {
				for _, tt := range []struct {
					feed   string
					filter biebplein.PostFilter
					want   []string
				}{
					{"All", biebplein.PostFilter{}, readable[name]},
					{"Topic", biebplein.PostFilter{Feed: biebplein.FeedTopic, Topic: "#Lezen"}, readable[name]},
					{"Person", biebplein.PostFilter{Feed: biebplein.FeedPerson, AuthorID: f.anna.ID}, readable[name]},
					{"Home", biebplein.PostFilter{Feed: biebplein.FeedHome}, home[name]},
				} {
					posts, _ := f.find(who, tt.filter)
					if got := bodies(posts); !slices.Equal(got, tt.want) {
						t.Errorf("%s feed = %q, want %q", tt.feed, got, tt.want)
					}
				}
				for vis, p := range f.posts {
					want := slices.Contains(readable[name], string(vis))
					if got := f.findOne(who, p.ID) != nil; got != want {
						t.Errorf("post page of the %s post found = %v, want %v", vis, got, want)
					}
					posts, _ := f.find(who, biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: f.groups[vis].ID})
					if got := len(posts) == 1; got != want {
						t.Errorf("group feed of the %s group has %d posts, want readable = %v", vis, len(posts), want)
					}
				}
			})
		}
		t.Run("NoViewer", func(t *testing.T) {
			posts, _, err := f.db.FindPosts(t.Context(), biebplein.PostFilter{ID: f.posts[biebplein.VisPublic].ID})
			mustNil(t, err)
			if len(posts) != 0 {
				t.Fatalf("without a viewer: %q, want nothing", bodies(posts))
			}
		})
	})
}

// The home feed shows announcements of public, network and organisation groups to everyone
// who may read them, member or not, but not other posts of those groups.
func TestFindPostsHomeAnnouncements(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newVisibilityFixture(t, dialect)
		for _, vis := range biebplein.Visibilities() {
			f.post(f.groups[vis], f.anna, "nieuws "+string(vis), func(p *biebplein.Post) { p.Kind = biebplein.KindAnnouncement })
		}
		for who, want := range map[*biebplein.Person][]string{
			f.bert:  {"nieuws closed", "nieuws organisation", "nieuws network", "nieuws public", "closed"}, // member
			f.carla: {"nieuws network", "nieuws public"},
			f.piet:  {"nieuws public"},
			f.root:  {"nieuws organisation", "nieuws network", "nieuws public"},
		} {
			posts, _ := f.find(who, biebplein.PostFilter{Feed: biebplein.FeedHome})
			if got := bodies(posts); !slices.Equal(got, want) {
				t.Errorf("home of %s = %q, want %q", who.Name, got, want)
			}
		}
	})
}

// Pinned announcements come first on the first page (at most five, newest first), and
// nothing shows twice across the pages; older pinned ones and expired ones keep their place.
func TestFindPostsPinned(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna, bert)
		other := f.group("Elders", biebplein.VisPublic, anna, bert)

		var want []string // the regular order, newest first, filled in backwards
		var pinned []string
		for i := range 7 {
			f.post(g, anna, fmt.Sprintf("p%d", i), nil)
			f.announce(g, anna, fmt.Sprintf("A%d", i), 3) // pinned until after Now
			want = append([]string{fmt.Sprintf("A%d", i), fmt.Sprintf("p%d", i)}, want...)
		}
		f.announce(g, anna, "verlopen", 0) // pinned until before Now
		want = append([]string{"verlopen"}, want...)
		gone := f.announce(g, anna, "weg", 3)
		mustNil(t, f.db.SetPostDeleted(t.Context(), gone.ID, &t0, anna.ID))
		f.announce(other, anna, "elders", 3) // pinned in another group
		unpinned := f.announce(g, anna, "losgemaakt", 3)
		mustNil(t, f.db.SetPinned(t.Context(), unpinned.ID, nil))
		want = append([]string{"losgemaakt"}, want...)

		pinned = []string{"A6", "A5", "A4", "A3", "A2"}
		var regular []string
		for _, b := range want {
			if !slices.Contains(pinned, b) {
				regular = append(regular, b)
			}
		}

		t.Run("Group", func(t *testing.T) {
			pages := collectPages(t, f, bert, biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: g.ID, Limit: 4})
			wantBodies(t, pages[0][:5], pinned...)
			for _, p := range pages[0][:5] {
				if !p.Pinned(t0.Add(24 * time.Hour)) {
					t.Fatalf("%s on top is not pinned", p.Body)
				}
			}
			wantBodies(t, flatten(pages), append(slices.Clone(pinned), regular...)...)
			if len(pages[0]) != 9 || len(pages[1]) != 4 {
				t.Fatalf("page sizes %d, %d; want 5 pinned + 4, then 4", len(pages[0]), len(pages[1]))
			}
		})
		t.Run("Home", func(t *testing.T) {
			pages := collectPages(t, f, bert, biebplein.PostFilter{Feed: biebplein.FeedHome, Limit: 3})
			wantPinned := []string{"elders", "A6", "A5", "A4", "A3"}
			wantBodies(t, pages[0][:5], wantPinned...)
			var rest []string
			for _, b := range want {
				if !slices.Contains(wantPinned, b) {
					rest = append(rest, b)
				}
			}
			wantBodies(t, flatten(pages), append(wantPinned, rest...)...)
		})
		t.Run("NotPinnedElsewhere", func(t *testing.T) {
			posts, _ := f.find(bert, biebplein.PostFilter{Feed: biebplein.FeedPerson, AuthorID: anna.ID, Limit: 3})
			wantBodies(t, posts, "losgemaakt", "elders", "verlopen")
		})
		t.Run("PinningEnds", func(t *testing.T) {
			later := t0.Add(5 * 24 * time.Hour)
			posts, _ := f.find(bert, biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: g.ID, Limit: 3, Now: later})
			wantBodies(t, posts, "losgemaakt", "verlopen", "A6")
		})
	})
}

// collectPages follows the cursors of a feed to its end.
func collectPages(t *testing.T, f *postFixture, who *biebplein.Person, filter biebplein.PostFilter) [][]*biebplein.Post {
	t.Helper()
	var pages [][]*biebplein.Post
	for {
		posts, next := f.find(who, filter)
		pages = append(pages, posts)
		if next == "" {
			return pages
		}
		if len(pages) > 100 {
			t.Fatal("more than 100 pages")
		}
		filter.After = next
	}
}

func flatten(pages [][]*biebplein.Post) []*biebplein.Post {
	var out []*biebplein.Post
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}

// Following the cursors visits every post once, newest first.
func TestFindPostsPagination(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		var want []string
		for i := range 45 {
			p := f.post(g, anna, fmt.Sprintf("p%02d", i), nil)
			want = append([]string{p.Body}, want...)
		}

		for _, tt := range []struct {
			name  string
			limit int
			sizes []int
		}{
			{"Limit10", 10, []int{10, 10, 10, 10, 5}},
			{"Limit15", 15, []int{15, 15, 15}},
			{"Default20", 0, []int{20, 20, 5}},
			{"Max100", 500, []int{45}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				for _, filter := range []biebplein.PostFilter{
					{Feed: biebplein.FeedGroup, GroupID: g.ID, Limit: tt.limit},
					{Feed: biebplein.FeedHome, Limit: tt.limit},
					{Feed: biebplein.FeedPerson, AuthorID: anna.ID, Limit: tt.limit},
				} {
					pages := collectPages(t, f, anna, filter)
					var sizes []int
					for _, p := range pages {
						sizes = append(sizes, len(p))
					}
					if !slices.Equal(sizes, tt.sizes) {
						t.Fatalf("%s: page sizes %v, want %v", filter.Feed, sizes, tt.sizes)
					}
					wantBodies(t, flatten(pages), want...)
				}
			})
		}
		t.Run("ErrCursorInvalid", func(t *testing.T) {
			viewer := f.viewer(anna)
			for _, c := range []string{"!!", base64.RawURLEncoding.EncodeToString([]byte("{}")), "bm9wZQ",
				base64.RawURLEncoding.EncodeToString([]byte(`{"i":"x","s":"gisteren"}`))} {
				_, _, err := f.db.FindPosts(t.Context(), biebplein.PostFilter{Scope: biebplein.GroupScope{Viewer: viewer},
					Feed: biebplein.FeedGroup, GroupID: g.ID, After: c})
				wantCode(t, err, biebplein.CodeInvalid, "error.cursor_invalid")
			}
		})
	})
}

// The saved feed lists bookmarks, most recently saved first.
func TestFindPostsSaved(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newVisibilityFixture(t, dialect)
		var posts []*biebplein.Post
		for i := range 5 {
			posts = append(posts, f.post(f.groups[biebplein.VisPublic], f.anna, fmt.Sprintf("p%d", i), nil))
		}
		for _, i := range []int{3, 0, 4, 1} {
			mustNil(t, f.db.SetBookmark(t.Context(), posts[i].ID, f.carla.ID, true))
		}
		// A post she saved before losing access to its group is not shown.
		mustNil(t, f.db.SetBookmark(t.Context(), f.posts[biebplein.VisSecret].ID, f.carla.ID, true))
		mustNil(t, f.db.SetBookmark(t.Context(), posts[2].ID, f.bert.ID, true))

		pages := collectPages(t, f.postFixture, f.carla, biebplein.PostFilter{Feed: biebplein.FeedSaved, Limit: 3})
		wantBodies(t, flatten(pages), "p1", "p4", "p0", "p3")
		if len(pages) != 2 {
			t.Fatalf("%d pages, want 2", len(pages))
		}
		for _, p := range flatten(pages) {
			if !p.Bookmarked {
				t.Fatalf("%s in the saved feed is not Bookmarked", p.Body)
			}
		}
		t.Run("ErrOtherFeedsCursor", func(t *testing.T) {
			_, next := f.find(f.anna, biebplein.PostFilter{Limit: 1})
			_, _, err := f.db.FindPosts(t.Context(), biebplein.PostFilter{Scope: biebplein.GroupScope{Viewer: f.viewer(f.carla)},
				Feed: biebplein.FeedSaved, After: next})
			wantCode(t, err, biebplein.CodeInvalid, "error.cursor_invalid")
		})
	})
}

// Deleted posts are hidden; with Deleted they show to the group's admins and to site
// administrators only.
func TestFindPostsDeleted(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newVisibilityFixture(t, dialect)
		g := f.groups[biebplein.VisClosed] // Anna admin, Bert member
		kept := f.post(g, f.bert, "blijft", nil)
		gone := f.post(g, f.bert, "weg", nil)
		mustNil(t, f.db.SetPostDeleted(t.Context(), gone.ID, &t0, f.anna.ID))
		pinnedGone := f.announce(g, f.anna, "weg en vastgezet", 3)
		mustNil(t, f.db.SetPostDeleted(t.Context(), pinnedGone.ID, &t0, f.anna.ID))
		_ = kept

		for _, tt := range []struct {
			name    string
			who     *biebplein.Person
			deleted bool
			want    []string
		}{
			{"Hidden", f.anna, false, []string{"blijft", "closed"}},
			{"GroupAdmin", f.anna, true, []string{"weg en vastgezet", "weg", "blijft", "closed"}},
			{"Member", f.bert, true, []string{"blijft", "closed"}},
			{"SiteAdmin", f.root, true, []string{"weg en vastgezet", "weg", "blijft", "closed"}},
			{"Outsider", f.carla, true, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				posts, _ := f.find(tt.who, biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: g.ID, Deleted: tt.deleted})
				wantBodies(t, posts, tt.want...)
				home, _ := f.find(tt.who, biebplein.PostFilter{Feed: biebplein.FeedHome, Deleted: tt.deleted})
				for _, p := range home {
					if p.DeletedAt != nil && !tt.deleted {
						t.Fatalf("home shows deleted %q", p.Body)
					}
				}
			})
		}
		t.Run("DeletedInOtherGroupsStayHidden", func(t *testing.T) {
			// Bert administers a group of his own; that does not open Anna's group's bin.
			own := f.group("Van Bert", biebplein.VisPublic, f.bert)
			f.post(own, f.bert, "eigen", nil)
			posts, _ := f.find(f.bert, biebplein.PostFilter{Deleted: true})
			for _, p := range posts {
				if p.DeletedAt != nil {
					t.Fatalf("Bert sees deleted %q of a group he does not administer", p.Body)
				}
			}
		})
	})
}

func TestFindPostsErrFeedInvalid(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		for _, filter := range []biebplein.PostFilter{
			{Feed: "nope"},
			{Feed: biebplein.FeedGroup},
			{Feed: biebplein.FeedPerson},
			{Feed: biebplein.FeedTopic, Topic: "#"},
		} {
			filter.Scope = biebplein.GroupScope{Viewer: f.viewer(anna)}
			_, _, err := f.db.FindPosts(t.Context(), filter)
			wantCode(t, err, biebplein.CodeInvalid, "error.feed_invalid")
		}
	})
}

// A page of posts with all its associations costs the same number of queries for 5 posts as
// for 50: no query per post.
func TestFindPostsQueryCount(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		g := f.group("Leesbevordering", biebplein.VisNetwork, anna, bert)
		f.announce(g, anna, "vastgezet", 3)
		for i := range 55 {
			p := f.post(g, anna, fmt.Sprintf("p%02d #lezen @Bert Jansen", i), func(p *biebplein.Post) {
				p.Topics = []string{"lezen"}
				p.Mentions = []biebplein.Mention{{Kind: "person", ID: bert.ID}}
				p.Attachments = []*biebplein.Attachment{{ID: fmt.Sprintf("f%02d", i), Kind: "image",
					ContentType: "image/png", Name: "plaatje.png", Size: 10}}
				if i%5 == 0 {
					p.Kind = biebplein.KindPoll
					p.Poll = &biebplein.Poll{Options: []*biebplein.PollOption{{Label: "ja"}, {Label: "nee"}}}
				}
			})
			for range 3 {
				c := &biebplein.Comment{PostID: p.ID, Author: biebplein.PersonRef{ID: bert.ID}, Body: "@Anna", HTML: "x",
					Text: "x", Mentions: []biebplein.Mention{{Kind: "person", ID: anna.ID}}}
				mustNil(t, f.db.CreateComment(t.Context(), c))
			}
			mustNil(t, f.db.React(t.Context(), p.ID, bert.ID, biebplein.ReactLike, true))
			mustNil(t, f.db.SetBookmark(t.Context(), p.ID, bert.ID, true))
			mustNil(t, f.db.MarkRead(t.Context(), p.ID, bert.ID, t0))
			if p.Poll != nil {
				mustNil(t, f.db.Vote(t.Context(), p.ID, bert.ID, []string{p.Poll.Options[0].ID}, t0))
			}
		}

		viewer := f.viewer(bert)
		count := func(feed biebplein.FeedKind, limit int) int64 {
			before := f.db.QueryCount()
			posts, next, err := f.db.FindPosts(t.Context(), biebplein.PostFilter{Scope: biebplein.GroupScope{Viewer: viewer},
				Feed: feed, Limit: limit, Comments: 2, Now: t0})
			n := f.db.QueryCount() - before
			mustNil(t, err)
			pinned := 0
			if feed == biebplein.FeedHome {
				pinned = 1
			}
			if len(posts) != limit+pinned || next == "" {
				t.Fatalf("limit %d: %d posts, next %q; want %d pinned + %d and a next page", limit, len(posts), next, pinned, limit)
			}
			for _, p := range posts[pinned:] {
				if len(p.Comments) != 2 || len(p.Comments[0].Mentions) != 1 || len(p.Topics) != 1 || len(p.Mentions) != 1 ||
					len(p.Attachments) != 1 || !p.Bookmarked || !p.ReadByMe || len(p.MyReactions) != 1 ||
					(p.Kind == biebplein.KindPoll && (p.Poll == nil || len(p.Poll.MyVotes) != 1)) {
					t.Fatalf("post %s lacks associations: %+v", p.Body, p)
				}
			}
			return n
		}
		// Read from SQL (every feed but the first page of the home and group feeds): the
		// posts, topics and mentions, attachments, polls, the viewer's marks, comments, and the
		// comments' mentions.
		if small, large := count("", 5), count("", 50); small != large || small != 7 {
			t.Fatalf("from SQL, a page of 5 posts took %d queries, of 50 posts %d: want 7 for both", small, large)
		}
		// The first page of the home feed: the viewer's groups and follows with the feed epoch,
		// then the heads of its sources (once, feedcache.go), the versions of its posts, the
		// posts that are not in memory with their parts (six queries), and the viewer's marks.
		cold, small := count(biebplein.FeedHome, 5), count(biebplein.FeedHome, 5)
		colder, large := count(biebplein.FeedHome, 50), count(biebplein.FeedHome, 50)
		if small != large || small != 3 || cold != 10 || colder != 9 {
			t.Fatalf("home feed pages of 5 and 50 took %d and %d queries, want 3; at first %d and %d, want 10 and 9",
				small, large, cold, colder)
		}
		t.Logf("%s: %d queries per page", dialect, small)
	})
}
