package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
)

// postWorld is a network group of Alice with Bob as a member.
func postWorld(t *testing.T, f *fixture) *biebplein.Group {
	t.Helper()
	g := f.mustGroup(t, f.alice, "Leesbevordering", biebplein.VisNetwork, "")
	f.mustMember(t, f.alice, g, f.bob)
	return g
}

func TestPostShape(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		g := postWorld(t, f)
		res := f.do(t, req{method: "POST", path: "/api/v1/groups/" + g.ID + "/posts", token: f.bobToken,
			body: map[string]any{"kind": "question", "body": "Wie kent @Alice de Vries? #Voorlezen **nu**"}})
		wantStatus(t, res, http.StatusCreated)
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(res.body, &raw); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range raw {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		want := []string{"accepted_comment_id", "attachments", "author", "body", "bookmarked", "comment_count", "comments",
			"created_at", "edited_at", "group", "group_id", "html", "id", "kind", "mention_refs", "mentions", "my_reactions",
			"pinned_until", "poll", "reactions", "read_by_me", "read_count", "topics"}
		if !slices.Equal(keys, want) {
			t.Fatalf("keys = %v\nwant   %v", keys, want)
		}
		for k, v := range map[string]string{"accepted_comment_id": "null", "poll": "null", "edited_at": "null", "pinned_until": "null",
			"attachments": "[]", "comments": "[]", "my_reactions": "[]", "comment_count": "0",
			"reactions": `{"celebrate":0,"insightful":0,"like":0,"thanks":0}`} {
			if got := string(raw[k]); got != v {
				t.Errorf("%s = %s, want %s", k, got, v)
			}
		}
		p := decode[postJSON](t, res, http.StatusCreated)
		if p.GroupID != g.ID || p.Group.ID != g.ID || p.Group.Name != g.Name || p.Author.ID != f.bob.ID || p.Author.Name != "Bob Jansen" ||
			p.Kind != "question" || !strings.Contains(p.HTML, "<strong>nu</strong>") || p.Body != "Wie kent @Alice de Vries? #Voorlezen **nu**" {
			t.Errorf("post = %+v", p)
		}
		if !slices.Equal(p.Mentions, []string{f.alice.ID}) || len(p.MentionRefs) != 1 ||
			p.MentionRefs[0] != (mentionJSON{Kind: "person", ID: f.alice.ID, Name: f.alice.Name}) {
			t.Errorf("mentions = %v, refs = %+v", p.Mentions, p.MentionRefs)
		}
		if !slices.Equal(p.Topics, []string{"voorlezen"}) {
			t.Errorf("topics = %v", p.Topics)
		}
		var created struct {
			CreatedAt string `json:"created_at"`
		}
		_ = json.Unmarshal(res.body, &created)
		if ts, err := time.Parse(time.RFC3339Nano, created.CreatedAt); err != nil || !strings.HasSuffix(created.CreatedAt, "Z") || time.Since(ts) > time.Minute {
			t.Errorf("created_at = %q (%v)", created.CreatedAt, err)
		}
	})
}

func TestPosts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		g := postWorld(t, f)
		postsPath := "/api/v1/groups/" + g.ID + "/posts"
		var q postJSON
		t.Run("Create", func(t *testing.T) {
			q = decode[postJSON](t, f.do(t, req{method: "POST", path: postsPath, token: f.bobToken,
				body: map[string]any{"kind": "question", "body": "Welk boek voor groep 8?"}}), 201)
			plain := decode[postJSON](t, f.do(t, req{method: "POST", path: postsPath, token: f.bobToken, body: map[string]any{"body": "Hallo"}}), 201)
			if plain.Kind != "post" {
				t.Fatalf("default kind = %q", plain.Kind)
			}
		})
		t.Run("CreateErrors", func(t *testing.T) {
			for _, tc := range []struct {
				token  string
				body   any
				status int
				field  string
			}{
				{f.bobToken, map[string]any{"body": ""}, 400, "body"},
				{f.bobToken, map[string]any{"kind": "essay", "body": "x"}, 400, "kind"},
				{f.bobToken, map[string]any{"kind": "poll", "body": "x", "poll": map[string]any{"options": []string{"a"}}}, 400, "poll.options"},
				{f.bobToken, map[string]any{"kind": "poll", "body": "x", "poll": map[string]any{"options": []string{"a", "b"}, "closes_at": "morgen"}}, 400, "poll.closes_at"},
				{f.bobToken, map[string]any{"kind": "poll", "body": "x", "poll": map[string]any{"options": []string{"a", "b"}, "closes_at": "2001-01-01T00:00:00Z"}}, 400, "poll.closes_at"},
				{f.bobToken, map[string]any{"kind": "post", "body": "x", "poll": map[string]any{"options": []string{"a", "b"}}}, 400, "poll"},
				{f.bobToken, map[string]any{"body": "x", "title": "y"}, 400, "title"},
				{f.bobToken, map[string]any{"kind": "announcement", "body": "x"}, 403, ""},
				{f.mustToken(t, f.carol), map[string]any{"body": "x"}, 403, ""},
			} {
				res := f.do(t, req{method: "POST", path: postsPath, token: tc.token, body: tc.body})
				if res.status != tc.status {
					t.Errorf("%v: status %d, want %d: %s", tc.body, res.status, tc.status, res.body)
					continue
				}
				if e := decode[errorBody](t, res, tc.status); tc.field != "" && e.Error.Fields[tc.field] == "" {
					t.Errorf("%v: fields = %v, want %s", tc.body, e.Error.Fields, tc.field)
				}
			}
			wantError(t, f.do(t, req{method: "POST", path: "/api/v1/groups/nope/posts", token: f.bobToken, body: map[string]any{"body": "x"}}), 404, "not_found")
		})
		var c commentJSON
		t.Run("Comments", func(t *testing.T) {
			path := "/api/v1/posts/" + q.ID + "/comments"
			c = decode[commentJSON](t, f.do(t, req{method: "POST", path: path, token: f.aliceToken, body: map[string]any{"body": "*De Gruffalo*"}}), 201)
			if c.PostID != q.ID || c.ParentID != nil || c.Author.ID != f.alice.ID || !strings.Contains(c.HTML, "<em>") || c.CreatedAt.Location() != time.UTC {
				t.Fatalf("comment = %+v", c)
			}
			reply := decode[commentJSON](t, f.do(t, req{method: "POST", path: path, token: f.bobToken, body: map[string]any{"body": "Dank", "parent_id": c.ID}}), 201)
			if reply.ParentID == nil || *reply.ParentID != c.ID {
				t.Fatalf("reply = %+v", reply)
			}
			e := wantError(t, f.do(t, req{method: "POST", path: path, token: f.bobToken, body: map[string]any{"body": "x", "parent_id": "nope"}}), 400, "invalid")
			if e.Fields["parent_id"] == "" {
				t.Fatalf("fields = %v", e.Fields)
			}
			wantError(t, f.do(t, req{method: "POST", path: path, token: f.bobToken, body: map[string]any{"body": " "}}), 400, "invalid")
			wantError(t, f.do(t, req{method: "POST", path: "/api/v1/posts/nope/comments", token: f.bobToken, body: map[string]any{"body": "x"}}), 404, "not_found")
		})
		t.Run("ShowHasAllComments", func(t *testing.T) {
			p := decode[postJSON](t, f.get(t, "/api/v1/posts/"+q.ID, f.bobToken), 200)
			if p.CommentCount != 2 || len(p.Comments) != 2 || p.Comments[0].ID != c.ID {
				t.Fatalf("comments = %d %+v", p.CommentCount, p.Comments)
			}
			wantError(t, f.get(t, "/api/v1/posts/nope", f.bobToken), 404, "not_found")
		})
		t.Run("Accept", func(t *testing.T) {
			path := "/api/v1/posts/" + q.ID + "/accept"
			wantError(t, f.do(t, req{method: "POST", path: path, token: f.mustToken(t, f.carol), body: map[string]any{"comment_id": c.ID}}), 403, "forbidden")
			e := wantError(t, f.do(t, req{method: "POST", path: path, token: f.bobToken, body: map[string]any{"comment_id": "nope"}}), 400, "invalid")
			if e.Fields["comment_id"] == "" {
				t.Fatalf("fields = %v", e.Fields)
			}
			p := decode[postJSON](t, f.do(t, req{method: "POST", path: path, token: f.bobToken, body: map[string]any{"comment_id": c.ID}}), 200)
			if p.AcceptedCommentID == nil || *p.AcceptedCommentID != c.ID || len(p.Comments) != 2 {
				t.Fatalf("accepted = %v", p.AcceptedCommentID)
			}
		})
		t.Run("ReactionsAreIdempotent", func(t *testing.T) {
			path := "/api/v1/posts/" + q.ID + "/reactions"
			for range 2 {
				wantStatus(t, f.do(t, req{method: "POST", path: path, token: f.aliceToken, body: map[string]any{"kind": "thanks"}}), 201)
			}
			p := decode[postJSON](t, f.get(t, "/api/v1/posts/"+q.ID, f.aliceToken), 200)
			if p.Reactions["thanks"] != 1 || !slices.Equal(p.MyReactions, []string{"thanks"}) {
				t.Fatalf("reactions = %v, mine %v", p.Reactions, p.MyReactions)
			}
			for range 2 {
				wantStatus(t, f.do(t, req{method: "DELETE", path: path + "/thanks", token: f.aliceToken}), 204)
			}
			p = decode[postJSON](t, f.get(t, "/api/v1/posts/"+q.ID, f.aliceToken), 200)
			if p.Reactions["thanks"] != 0 || len(p.MyReactions) != 0 {
				t.Fatalf("reactions after taking back = %v, mine %v", p.Reactions, p.MyReactions)
			}
			e := wantError(t, f.do(t, req{method: "POST", path: path, token: f.aliceToken, body: map[string]any{"kind": "love"}}), 400, "invalid")
			if e.Fields["kind"] == "" {
				t.Fatalf("fields = %v", e.Fields)
			}
			wantError(t, f.do(t, req{method: "DELETE", path: path + "/love", token: f.aliceToken}), 400, "invalid")
		})
		t.Run("Bookmarks", func(t *testing.T) {
			path := "/api/v1/posts/" + q.ID + "/bookmark"
			for range 2 {
				wantStatus(t, f.do(t, req{method: "PUT", path: path, token: f.bobToken}), 204)
			}
			saved := decode[listBody[postJSON]](t, f.get(t, "/api/v1/saved", f.bobToken), 200)
			if got := postIDs(saved.Items); !slices.Equal(got, []string{q.ID}) || !saved.Items[0].Bookmarked {
				t.Fatalf("saved = %v", got)
			}
			wantStatus(t, f.do(t, req{method: "DELETE", path: path, token: f.bobToken}), 204)
			if saved := decode[listBody[postJSON]](t, f.get(t, "/api/v1/saved", f.bobToken), 200); len(saved.Items) != 0 {
				t.Fatalf("saved after unsaving = %v", postIDs(saved.Items))
			}
		})
		t.Run("Update", func(t *testing.T) {
			path := "/api/v1/posts/" + q.ID
			wantError(t, f.do(t, req{method: "PATCH", path: path, token: f.aliceToken, body: map[string]any{"body": "x"}}), 403, "forbidden")
			wantError(t, f.do(t, req{method: "PATCH", path: path, token: f.bobToken, body: map[string]any{"body": ""}}), 400, "invalid")
			wantError(t, f.do(t, req{method: "PATCH", path: path, token: f.bobToken, body: map[string]any{"kind": "poll"}}), 400, "invalid")
			p := decode[postJSON](t, f.do(t, req{method: "PATCH", path: path, token: f.bobToken, body: map[string]any{"body": "Welk boek? #groep8"}}), 200)
			if p.Body != "Welk boek? #groep8" || p.EditedAt == nil || !slices.Equal(p.Topics, []string{"groep8"}) {
				t.Fatalf("updated = %+v", p)
			}
		})
		t.Run("ReadConfirmation", func(t *testing.T) {
			a := f.mustPost(t, f.alice, biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindAnnouncement, Body: "Let op"})
			for range 2 {
				wantStatus(t, f.do(t, req{method: "POST", path: "/api/v1/posts/" + a.ID + "/read", token: f.bobToken}), 204)
			}
			p := decode[postJSON](t, f.get(t, "/api/v1/posts/"+a.ID, f.bobToken), 200)
			if p.ReadCount != 1 || !p.ReadByMe || p.PinnedUntil == nil {
				t.Fatalf("announcement = %+v", p)
			}
			wantError(t, f.do(t, req{method: "POST", path: "/api/v1/posts/" + q.ID + "/read", token: f.bobToken}), 400, "invalid")
		})
		t.Run("Delete", func(t *testing.T) {
			path := "/api/v1/posts/" + q.ID
			wantError(t, f.do(t, req{method: "DELETE", path: path, token: f.mustToken(t, f.carol)}), 403, "forbidden")
			wantStatus(t, f.do(t, req{method: "DELETE", path: path, token: f.bobToken}), 204)
			wantError(t, f.get(t, path, f.bobToken), 404, "not_found")
			wantError(t, f.do(t, req{method: "DELETE", path: path, token: f.bobToken}), 404, "not_found")
			// The group admin may still see it, marked deleted, to restore it.
			p := decode[postJSON](t, f.get(t, path, f.aliceToken), 200)
			if p.DeletedAt == nil {
				t.Fatal("deleted_at missing for the group admin")
			}
		})
		t.Run("PathIDsThatCannotBeIDs", func(t *testing.T) {
			for _, path := range []string{"/api/v1/posts/%00", "/api/v1/posts/%FF", "/api/v1/groups/a%00b/posts", "/api/v1/groups/%00",
				"/api/v1/topics/%00/posts", "/api/v1/people/%00/posts", "/api/v1/groups/" + strings.Repeat("x", 300) + "/members"} {
				wantError(t, f.get(t, path, f.bobToken), 404, "not_found")
			}
			for _, path := range []string{"/api/v1/posts/%00/bookmark", "/api/v1/groups/%00/members/%00"} {
				wantError(t, f.do(t, req{method: "DELETE", path: path, token: f.bobToken}), 404, "not_found")
			}
		})
		t.Run("Lists", func(t *testing.T) {
			byBob := decode[listBody[postJSON]](t, f.get(t, "/api/v1/people/"+f.bob.ID+"/posts", f.aliceToken), 200)
			if len(byBob.Items) != 1 || byBob.Items[0].Author.ID != f.bob.ID {
				t.Fatalf("Bob's posts = %v", postIDs(byBob.Items))
			}
			wantError(t, f.get(t, "/api/v1/people/nope/posts", f.aliceToken), 404, "not_found")
			f.mustPost(t, f.alice, biebplein.PostInput{GroupID: g.ID, Body: "Over #Jeugd"})
			topic := decode[listBody[postJSON]](t, f.get(t, "/api/v1/topics/JEUGD/posts", f.bobToken), 200)
			if len(topic.Items) != 1 || topic.Items[0].Topics[0] != "jeugd" {
				t.Fatalf("topic = %v", postIDs(topic.Items))
			}
			feed := decode[listBody[postJSON]](t, f.get(t, "/api/v1/feed", f.bobToken), 200)
			if len(feed.Items) != 3 { // the announcement, Alice's post, Bob's plain post
				t.Fatalf("feed = %d items", len(feed.Items))
			}
			wantError(t, f.get(t, "/api/v1/feed?cursor=bogus", f.bobToken), 400, "invalid")
			wantError(t, f.get(t, "/api/v1/feed?limit=101", f.bobToken), 400, "invalid")
		})
	})
}

func TestPolls(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		g := postWorld(t, f)
		newPoll := func(t *testing.T, multiple bool) postJSON {
			t.Helper()
			return decode[postJSON](t, f.do(t, req{method: "POST", path: "/api/v1/groups/" + g.ID + "/posts", token: f.aliceToken,
				body: map[string]any{"kind": "poll", "body": "Wanneer?", "poll": map[string]any{"options": []string{"Maandag", "Dinsdag", "Woensdag"},
					"multiple": multiple, "closes_at": time.Now().Add(time.Hour).Format(time.RFC3339)}}}), 201)
		}
		p := newPoll(t, false)
		other := newPoll(t, true)
		votes := "/api/v1/posts/" + p.ID + "/votes"

		t.Run("CountsHiddenBeforeVoting", func(t *testing.T) {
			if p.Poll == nil || len(p.Poll.Options) != 3 || p.Poll.Multiple || p.Poll.Closed || p.Poll.ClosesAt == nil {
				t.Fatalf("poll = %+v", p.Poll)
			}
			res := f.get(t, "/api/v1/posts/"+p.ID, f.bobToken)
			if !strings.Contains(string(res.body), `"votes":null`) {
				t.Fatalf("votes shown before voting: %s", res.body)
			}
			for _, o := range decode[postJSON](t, res, 200).Poll.Options {
				if o.Votes != nil {
					t.Fatalf("option %s shows %d votes", o.Label, *o.Votes)
				}
			}
		})
		t.Run("Vote", func(t *testing.T) {
			poll := decode[pollJSON](t, f.do(t, req{method: "POST", path: votes, token: f.bobToken,
				body: map[string]any{"option_ids": []string{p.Poll.Options[1].ID}}}), 200)
			if poll.Voters != 1 || !slices.Equal(poll.MyVotes, []string{p.Poll.Options[1].ID}) {
				t.Fatalf("poll = %+v", poll)
			}
			for i, want := range []int{0, 1, 0} {
				if o := poll.Options[i]; o.Votes == nil || *o.Votes != want {
					t.Fatalf("option %d votes = %v, want %d", i, o.Votes, want)
				}
			}
			// Alice has not voted: still hidden for her, though there are votes.
			for _, o := range decode[postJSON](t, f.get(t, "/api/v1/posts/"+p.ID, f.aliceToken), 200).Poll.Options {
				if o.Votes != nil {
					t.Fatal("votes shown to someone who did not vote")
				}
			}
		})
		t.Run("VoteErrors", func(t *testing.T) {
			for _, tc := range []struct {
				path string
				ids  []string
			}{
				{votes, []string{other.Poll.Options[0].ID}}, // an option of another poll
				{votes, []string{"nope"}},
				{votes, []string{p.Poll.Options[0].ID, p.Poll.Options[1].ID}}, // single choice
				{votes, []string{}},
				{"/api/v1/posts/" + mustQuestion(t, f, g).ID + "/votes", []string{"x"}},
			} {
				e := wantError(t, f.do(t, req{method: "POST", path: tc.path, token: f.bobToken, body: map[string]any{"option_ids": tc.ids}}), 400, "invalid")
				if e.Fields["option_ids"] == "" {
					t.Errorf("%v: fields = %v", tc.ids, e.Fields)
				}
			}
			wantError(t, f.do(t, req{method: "POST", path: votes, token: f.bobToken, body: map[string]any{"option_ids": "x"}}), 400, "invalid")
			wantError(t, f.do(t, req{method: "POST", path: "/api/v1/posts/nope/votes", token: f.bobToken, body: map[string]any{"option_ids": []string{"x"}}}), 404, "not_found")
			poll := decode[pollJSON](t, f.do(t, req{method: "POST", path: "/api/v1/posts/" + other.ID + "/votes", token: f.bobToken,
				body: map[string]any{"option_ids": []string{other.Poll.Options[0].ID, other.Poll.Options[2].ID}}}), 200)
			if len(poll.MyVotes) != 2 || !poll.Multiple {
				t.Fatalf("multiple choice = %+v", poll)
			}
		})
	})
}

func mustQuestion(t *testing.T, f *fixture, g *biebplein.Group) *biebplein.Post {
	t.Helper()
	return f.mustPost(t, f.alice, biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindQuestion, Body: "Vraag"})
}

// TestGroupPostPages pages through 45 posts and a pinned announcement, 20 at a time.
func TestGroupPostPages(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		g := postWorld(t, f)
		var want []string
		for i := range 45 {
			want = append(want, f.mustPost(t, f.bob, biebplein.PostInput{GroupID: g.ID, Body: "Bericht " + string(rune('a'+i%26))}).ID)
		}
		pinned := f.mustPost(t, f.alice, biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindAnnouncement, Body: "Vast"})
		f.mustPost(t, f.bob, biebplein.PostInput{GroupID: g.ID, Body: "Nieuwer dan de mededeling"})

		seen := map[string]int{}
		cursor, pages := "", 0
		for {
			path := "/api/v1/groups/" + g.ID + "/posts?limit=20"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			page := decode[listBody[postJSON]](t, f.get(t, path, f.aliceToken), 200)
			pages++
			for i, p := range page.Items {
				seen[p.ID]++
				if isPinned := p.ID == pinned.ID; isPinned != (pages == 1 && i == 0) {
					t.Fatalf("page %d item %d: pinned announcement in the wrong place", pages, i)
				}
				// Ids order within a millisecond at random; newest first holds to the millisecond.
				if i > 1 && p.CreatedAt.Truncate(time.Millisecond).After(page.Items[i-1].CreatedAt) {
					t.Fatalf("page %d: not newest first at %d", pages, i)
				}
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
			if pages > 5 {
				t.Fatal("too many pages")
			}
		}
		if pages != 3 || len(seen) != 47 {
			t.Fatalf("pages = %d, posts seen = %d, want 3 and 47", pages, len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("post %s seen %d times", id, n)
			}
		}
		for _, id := range want {
			if seen[id] != 1 {
				t.Errorf("post %s missing", id)
			}
		}
	})
}

// TestPollResultsAfterClosing: once a poll has closed its results show to everyone, voter or
// not (the service refuses closing times in the past, so this renders a poll directly).
func TestPollResultsAfterClosing(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	closes := now.Add(-time.Minute)
	poll := &biebplein.Poll{ClosesAt: &closes, Voters: 2, Options: []*biebplein.PollOption{{ID: "a", Label: "A", Votes: 2}, {ID: "b", Label: "B"}}}
	got := newPoll(poll, now)
	if !got.Closed || got.Options[0].Votes == nil || *got.Options[0].Votes != 2 || got.Options[1].Votes == nil || *got.Options[1].Votes != 0 {
		t.Fatalf("closed poll = %+v", got)
	}
	if got.MyVotes == nil {
		t.Fatal("my_votes is nil, want []")
	}
	open := newPoll(&biebplein.Poll{Options: poll.Options}, now)
	if open.Closed || open.Options[0].Votes != nil {
		t.Fatalf("open poll without my vote = %+v", open)
	}
}
