package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// bulkWorld is a small network written through a Bulk, with the counts the test expects.
type bulkWorld struct {
	library          *biebplein.Organisation
	anna, bert, piet *biebplein.Person
	public, secret   *biebplein.Group
	posts            []*biebplein.Post // oldest first
	rows             map[string]int64
}

// loadBulkWorld writes two groups with posts, comments (with replies), reactions, a poll
// with votes, an announcement with reads, topics, mentions and follows, keeping every
// counter as the rows it counts.
func loadBulkWorld(t *testing.T, db *store.DB, extra func(b *store.Bulk, w *bulkWorld)) *bulkWorld {
	t.Helper()
	ctx := context.Background()
	b, err := db.NewBulk(ctx)
	mustNil(t, err)
	w := &bulkWorld{rows: map[string]int64{}}
	add := func(table string, err error) {
		t.Helper()
		mustNil(t, err)
		w.rows[table]++
	}
	support := &biebplein.Organisation{ID: biebplein.NewID(t0), Name: "Steunpunt", Kind: biebplein.OrgSupport, CreatedAt: t0, UpdatedAt: t0}
	w.library = &biebplein.Organisation{ID: biebplein.NewID(t0), Name: "Bibliotheek Leiden", Kind: biebplein.OrgLibrary,
		ParentID: support.ID, CreatedAt: t0, UpdatedAt: t0}
	add("organisations", b.Organisation(support))
	add("organisations", b.Organisation(w.library))
	person := func(name string, kind biebplein.PersonKind, tags ...string) *biebplein.Person {
		p := &biebplein.Person{ID: biebplein.NewID(t0), Name: name, Kind: kind,
			Email:        strings.ReplaceAll(strings.ToLower(name), " ", ".") + "@example.nl",
			Organisation: biebplein.OrganisationRef{ID: w.library.ID}, Expertise: tags, CreatedAt: t0, UpdatedAt: t0}
		add("people", b.Person(p))
		w.rows["person_tags"] += int64(len(tags))
		return p
	}
	w.anna = person("Anna de Vries", biebplein.KindStaff, "leesbevordering", "boekstart")
	w.bert = person("Bert Jansen", biebplein.KindVolunteer)
	w.piet = person("Piet Partner", biebplein.KindPartner)
	group := func(name string, vis biebplein.Visibility, members ...*biebplein.Person) *biebplein.Group {
		g := &biebplein.Group{ID: biebplein.NewID(t0), Name: name, Visibility: vis, MemberCount: len(members),
			CreatedBy: members[0].ID, CreatedAt: t0, UpdatedAt: t0}
		add("groups", b.Group(g))
		for i, m := range members {
			role := biebplein.RoleMember
			if i == 0 {
				role = biebplein.RoleAdmin
			}
			add("group_members", b.Membership(&biebplein.Membership{GroupID: g.ID, PersonID: m.ID, Role: role,
				Status: biebplein.StatusMember, CreatedAt: t0, UpdatedAt: t0}))
		}
		return g
	}
	w.public = group("Theeducatie", biebplein.VisPublic, w.anna, w.bert)
	w.secret = group("Stuurgroep", biebplein.VisSecret, w.anna)
	add("group_members", b.Membership(&biebplein.Membership{GroupID: w.secret.ID, PersonID: w.bert.ID,
		Role: biebplein.RoleMember, Status: biebplein.StatusInvited, InvitedBy: w.anna.ID, CreatedAt: t0, UpdatedAt: t0}))
	add("follows", b.Follow(biebplein.Follow{PersonID: w.bert.ID, TargetKind: "topic", Target: "boekstart"}, t0))

	people := []*biebplein.Person{w.anna, w.bert}
	for i := range 30 {
		at := t0.Add(time.Duration(i) * time.Hour)
		g := w.public
		if i%3 == 2 {
			g = w.secret
		}
		p := &biebplein.Post{ID: biebplein.NewID(at), Group: biebplein.GroupRef{ID: g.ID}, Author: biebplein.PersonRef{ID: w.anna.ID},
			Kind: biebplein.KindPost, Body: fmt.Sprintf("Bericht %d #boekstart", i), HTML: fmt.Sprintf("<p>Bericht %d</p>", i),
			Text: fmt.Sprintf("Bericht %d", i), Topics: []string{"boekstart"}, CreatedAt: at,
			Reactions: map[biebplein.ReactionKind]int{}}
		if i%5 == 0 {
			p.Mentions = []biebplein.Mention{{Kind: "person", ID: w.bert.ID}}
		}
		var votes [][2]string
		switch i {
		case 10:
			p.Kind = biebplein.KindPoll
			p.Poll = &biebplein.Poll{Voters: 2, Options: []*biebplein.PollOption{
				{ID: biebplein.NewID(at), Label: "Ja", Votes: 2}, {ID: biebplein.NewID(at), Label: "Nee"}}}
			votes = [][2]string{{p.Poll.Options[0].ID, w.anna.ID}, {p.Poll.Options[0].ID, w.bert.ID}}
		case 20:
			p.Kind = biebplein.KindAnnouncement
			until := time.Now().Add(time.Hour)
			p.PinnedUntil, p.ReadCount = &until, 1
		}
		var comments []*biebplein.Comment
		for j := range i % 4 {
			c := &biebplein.Comment{ID: biebplein.NewID(at.Add(time.Duration(j+1) * time.Minute)), PostID: p.ID,
				Author: biebplein.PersonRef{ID: people[j%2].ID}, Body: "Goed idee", HTML: "<p>Goed idee</p>", Text: "Goed idee",
				CreatedAt: at.Add(time.Duration(j+1) * time.Minute)}
			if j == 2 {
				c.ParentID = comments[0].ID
				c.Mentions = []biebplein.Mention{{Kind: "person", ID: w.anna.ID}}
			}
			comments = append(comments, c)
		}
		p.CommentCount = len(comments)
		var reactions [][2]string // person, kind
		for j, kind := range biebplein.ReactionKinds()[:i%3] {
			reactions = append(reactions, [2]string{people[j%2].ID, string(kind)})
			p.Reactions[kind]++
		}
		add("posts", b.Post(p))
		w.rows["post_topics"]++
		w.rows["post_mentions"] += int64(len(p.Mentions))
		if p.Poll != nil {
			w.rows["polls"]++
			w.rows["poll_options"] += int64(len(p.Poll.Options))
		}
		for _, v := range votes {
			add("poll_votes", b.Vote(p.ID, v[0], v[1]))
		}
		if p.Kind == biebplein.KindAnnouncement {
			add("post_reads", b.Read(p.ID, w.bert.ID, at))
		}
		for _, c := range comments {
			add("comments", b.Comment(c))
			w.rows["comment_mentions"] += int64(len(c.Mentions))
		}
		for _, r := range reactions {
			add("reactions", b.Reaction(p.ID, r[0], biebplein.ReactionKind(r[1]), at))
		}
		w.posts = append(w.posts, p)
	}
	if extra != nil {
		extra(b, w)
	}
	mustNil(t, b.Close())
	return w
}

func TestBulk(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storetest.Open(t, dialect)
		indexesBefore := schemaObjects(t, db)
		w := loadBulkWorld(t, db, nil)

		t.Run("Counts", func(t *testing.T) {
			got, err := db.CountRows(ctx)
			mustNil(t, err)
			for table, want := range w.rows {
				if got[table] != want {
					t.Errorf("%s: %d rows, want %d", table, got[table], want)
				}
			}
		})
		t.Run("CountersEqualRows", func(t *testing.T) {
			mustNil(t, db.CheckCounters(ctx))
		})
		t.Run("IndexesAndForeignKeysBack", func(t *testing.T) {
			if got := schemaObjects(t, db); got != indexesBefore {
				t.Errorf("after the load: %s, want %s", got, indexesBefore)
			}
		})
		t.Run("FindPosts", func(t *testing.T) {
			viewer := func(p *biebplein.Person) biebplein.GroupScope {
				return biebplein.GroupScope{Access: biebplein.AccessRead, Viewer: biebplein.Viewer{PersonID: p.ID, Kind: p.Kind,
					Organisations: []string{w.library.ID}}}
			}
			posts, next, err := db.FindPosts(ctx, biebplein.PostFilter{Scope: viewer(w.anna), Feed: biebplein.FeedHome,
				Comments: 2, Limit: 5, Now: time.Now()})
			mustNil(t, err)
			// The pinned announcement first, then the newest posts of both groups.
			if len(posts) != 6 || next == "" {
				t.Fatalf("home feed: %d posts, next %q; want 1 pinned and 5 with a next page", len(posts), next)
			}
			if got, want := posts[0].ID, w.posts[20].ID; got != want {
				t.Errorf("first post = %s, want the pinned announcement %s", got, want)
			}
			for i, p := range posts[1:] {
				want := w.posts[29-i]
				if p.ID != want.ID || p.CommentCount != want.CommentCount || len(p.Comments) != min(2, want.CommentCount) ||
					p.Reactions[biebplein.ReactLike] != want.Reactions[biebplein.ReactLike] {
					t.Errorf("post %d = %s with %d comments (%d loaded), %d likes; want %s with %d, %d likes", i, p.ID,
						p.CommentCount, len(p.Comments), p.Reactions[biebplein.ReactLike], want.ID, want.CommentCount,
						want.Reactions[biebplein.ReactLike])
				}
			}
			// Bert is only invited to the secret group: none of its posts.
			posts, _, err = db.FindPosts(ctx, biebplein.PostFilter{Scope: viewer(w.bert), Feed: biebplein.FeedGroup,
				GroupID: w.secret.ID, Now: time.Now()})
			mustNil(t, err)
			if len(posts) != 0 {
				t.Errorf("secret group feed for an invitee: %d posts, want none", len(posts))
			}
			posts, _, err = db.FindPosts(ctx, biebplein.PostFilter{Scope: viewer(w.anna), Feed: biebplein.FeedGroup,
				GroupID: w.public.ID, Limit: 100, Now: time.Now()})
			mustNil(t, err)
			if len(posts) != 20 {
				t.Errorf("public group feed: %d posts, want 20", len(posts))
			}
		})
		t.Run("RefusesADatabaseWithPeople", func(t *testing.T) {
			if _, err := db.NewBulk(ctx); err == nil {
				t.Fatal("NewBulk on a database with people succeeded")
			}
			if got := schemaObjects(t, db); got != indexesBefore {
				t.Errorf("after the refusal: %s, want %s", got, indexesBefore)
			}
		})
		t.Run("CheckCountersFindsAWrongCount", func(t *testing.T) {
			_, writer := db.Pools()
			q := "UPDATE posts SET like_count = like_count + 1 WHERE id = '" + w.posts[3].ID + "'"
			if _, err := writer.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
			err := db.CheckCounters(ctx)
			if err == nil || !strings.Contains(err.Error(), "posts.like_count on 1 rows") {
				t.Fatalf("CheckCounters = %v, want posts.like_count on 1 rows", err)
			}
		})
	})
}

func TestBulkDanglingReference(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect)
		ctx := context.Background()
		b, err := db.NewBulk(ctx)
		mustNil(t, err)
		mustNil(t, b.Reaction(biebplein.NewID(t0), biebplein.NewID(t0), biebplein.ReactLike, t0))
		if err := b.Close(); err == nil {
			t.Fatal("Close with a reaction to no post succeeded")
		}
	})
}

// A load larger than one write of buffered rows keeps the order of what refers to what.
func TestBulkManyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a quarter of a million rows")
	}
	forEachDialect(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect)
		const follows = 250_000
		// A comment on a post written before many other rows, and a reply to it after them:
		// the post, the comment and the reply go out in different transactions. (The post's
		// comment_count is left alone: this test checks rows, not counters.)
		first := &biebplein.Comment{ID: biebplein.NewID(t0), Body: "Eerste",
			HTML: "<p>Eerste</p>", Text: "Eerste", CreatedAt: t0}
		w := loadBulkWorld(t, db, func(b *store.Bulk, w *bulkWorld) {
			first.PostID, first.Author.ID = w.posts[0].ID, w.bert.ID
			mustNil(t, b.Comment(first))
			for i := range follows {
				mustNil(t, b.Follow(biebplein.Follow{PersonID: w.anna.ID, TargetKind: "topic", Target: fmt.Sprintf("t%07d", i)}, t0))
			}
			reply := *first
			reply.ID, reply.ParentID = biebplein.NewID(t0.Add(time.Minute)), first.ID
			mustNil(t, b.Comment(&reply))
		})
		rows, err := db.CountRows(context.Background())
		mustNil(t, err)
		if got, want := rows["follows"], w.rows["follows"]+follows; got != want {
			t.Errorf("follows = %d, want %d", got, want)
		}
		if got, want := rows["comments"], w.rows["comments"]+2; got != want {
			t.Errorf("comments = %d, want %d", got, want)
		}
	})
}

// schemaObjects describes the indexes and foreign keys of the database.
func schemaObjects(t *testing.T, db *store.DB) string {
	t.Helper()
	reader, _ := db.Pools()
	q := `SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'index'),
		(SELECT count(*) FROM pragma_foreign_key_list('comments')) + (SELECT count(*) FROM pragma_foreign_key_list('reactions'))`
	if db.Dialect() == storetest.Postgres {
		q = `SELECT (SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()),
			(SELECT count(*) FROM pg_constraint WHERE contype = 'f')`
	}
	var indexes, fks int
	if err := reader.QueryRowContext(context.Background(), q).Scan(&indexes, &fks); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d indexes, %d foreign keys", indexes, fks)
}
