package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// The first pages of the home and group feeds come from the heads the store keeps in memory
// (store/feedcache.go). On a generated network, every person's home feed and every group feed
// they may read must be the page SQL gives, before and after the changes that move posts in
// and out of feeds: posts written, deleted and restored, pins, edits of topics, a group's
// visibility, from another handle on the same database (another instance).
func TestFeedCacheAgreesWithSQL(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel() // a database each
			ctx := context.Background()
			dsn := storetest.DSN(t, dialect)
			cached := openStore(t, dsn, store.Options{Migrate: true})
			plain := openStore(t, dsn, store.Options{NoFeedCache: true})
			w, err := Generate(ctx, cached, 0.004, 3, nil)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(7, 8))
			compare := func(stage string) {
				t.Helper()
				for _, p := range w.People {
					v := w.Viewer(p)
					scope := biebplein.GroupScope{Viewer: v, Access: biebplein.AccessRead}
					filters := []biebplein.PostFilter{
						{Feed: biebplein.FeedHome, Limit: 20}, {Feed: biebplein.FeedHome, Limit: 3}, {Feed: biebplein.FeedHome, Limit: 100},
					}
					// A group feed is the same for everyone who may read it but for their own
					// marks: a few groups per person cover every group over the network.
					for i, g := range w.Groups {
						if w.CanRead(p, g) && (i+len(p.Name))%3 == 0 {
							filters = append(filters, biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: g.ID, Limit: 20})
						}
					}
					for _, f := range filters {
						f.Scope, f.Now, f.Comments = scope, w.Now, 2
						want, wantNext, err := plain.FindPosts(ctx, f)
						if err != nil {
							t.Fatal(err)
						}
						for range 2 { // the second time from the cache
							got, gotNext, err := cached.FindPosts(ctx, f)
							if err != nil {
								t.Fatal(err)
							}
							if a, b := digests(got), digests(want); !slices.Equal(a, b) || gotNext != wantNext {
								t.Fatalf("%s: %s feed %s of %s (%s): cached %v next %q, SQL %v next %q",
									stage, f.Feed, f.GroupID, p.Name, p.Kind, a, gotNext, b, wantNext)
							}
						}
					}
				}
			}
			compare("generated")

			// Changes through the other handle, as another instance would make them.
			author := func() (*Person, *Group) {
				for {
					p := w.People[rng.IntN(len(w.People))]
					if len(p.Groups) > 0 {
						return p, w.Groups[p.Groups[rng.IntN(len(p.Groups))]]
					}
				}
			}
			var written []*biebplein.Post
			for i := range 12 {
				p, g := author()
				post := &biebplein.Post{Group: biebplein.GroupRef{ID: g.ID}, Author: biebplein.PersonRef{ID: p.ID},
					Kind: biebplein.KindPost, Body: fmt.Sprint("nieuw ", i), HTML: "<p>nieuw</p>", Text: "nieuw",
					CreatedAt: w.Now.Add(time.Duration(i) * time.Second), Topics: []string{"leesbevordering"}}
				if i%3 == 0 {
					until := w.Now.Add(48 * time.Hour)
					post.Kind, post.PinnedUntil = biebplein.KindAnnouncement, &until
				}
				if err := plain.CreatePost(ctx, post); err != nil {
					t.Fatal(err)
				}
				written = append(written, post)
			}
			compare("after posting")

			at := w.Now
			for _, post := range written[:4] {
				if err := plain.SetPostDeleted(ctx, post.ID, &at, ""); err != nil {
					t.Fatal(err)
				}
			}
			if err := plain.SetPinned(ctx, written[6].ID, nil); err != nil {
				t.Fatal(err)
			}
			edited := written[7]
			edited.Topics = []string{"voorlezen"}
			if err := plain.UpdatePost(ctx, edited, edited.Author.ID); err != nil {
				t.Fatal(err)
			}
			compare("after deleting, unpinning and editing")

			if err := plain.SetPostDeleted(ctx, written[1].ID, nil, ""); err != nil {
				t.Fatal(err)
			}
			for _, g := range w.Groups {
				if g.Visibility == biebplein.VisNetwork {
					groups, _, err := plain.FindGroups(ctx, biebplein.GroupFilter{ID: g.ID,
						Scope: biebplein.GroupScope{Viewer: biebplein.Viewer{PersonID: "x", Admin: true}}})
					if err != nil || len(groups) != 1 {
						t.Fatalf("find group %s: %v", g.ID, err)
					}
					groups[0].Visibility, g.Visibility = biebplein.VisSecret, biebplein.VisSecret
					if err := plain.UpdateGroup(ctx, groups[0]); err != nil {
						t.Fatal(err)
					}
					break
				}
			}
			compare("after restoring and making a group secret")

			// What changes a post without moving it in or out of feeds: comments, reactions,
			// reads, votes, accepted answers, bookmarks; then the name of its author.
			home, _, err := plain.FindPosts(ctx, biebplein.PostFilter{Feed: biebplein.FeedHome, Limit: 20, Now: w.Now,
				Scope: biebplein.GroupScope{Viewer: w.Viewer(w.People[0]), Access: biebplein.AccessRead}})
			if err != nil {
				t.Fatal(err)
			}
			for i, post := range home {
				p := w.People[rng.IntN(len(w.People))]
				switch i % 5 {
				case 0:
					c := &biebplein.Comment{PostID: post.ID, Author: biebplein.PersonRef{ID: p.ID}, Body: "ja", HTML: "<p>ja</p>", Text: "ja"}
					err = plain.CreateComment(ctx, c)
					if err == nil && post.Kind == biebplein.KindQuestion {
						err = plain.SetAccepted(ctx, post.ID, c.ID)
					}
				case 1:
					err = plain.React(ctx, post.ID, w.People[0].ID, biebplein.ReactThanks, true)
				case 2:
					err = plain.MarkRead(ctx, post.ID, p.ID, w.Now)
				case 3:
					err = plain.SetBookmark(ctx, post.ID, w.People[0].ID, true)
				case 4:
					if post.Poll != nil && len(post.Poll.Options) > 0 {
						err = plain.Vote(ctx, post.ID, w.People[0].ID, []string{post.Poll.Options[0].ID}, w.Now)
					}
				}
				if err != nil && biebplein.ErrorCode(err) != biebplein.CodeConflict { // a closed poll
					t.Fatalf("change post %d: %v", i, err)
				}
			}
			compare("after comments, reactions, reads and votes")
			if len(home) > 0 {
				person, err := plain.FindPersonByID(ctx, home[0].Author.ID)
				if err != nil {
					t.Fatal(err)
				}
				person.Name += " Hernoemd"
				for _, p := range w.People {
					if p.ID == person.ID {
						p.Name = person.Name
					}
				}
				if err := plain.UpdatePerson(ctx, person); err != nil {
					t.Fatal(err)
				}
			}
			compare("after a new name")
		})
	}
}

func openStore(t *testing.T, dsn string, o store.Options) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// digests describe posts by what a feed shows of them, the viewer's own marks included.
func digests(posts []*biebplein.Post) []string {
	out := make([]string, len(posts))
	for i, p := range posts {
		d := fmt.Sprintf("%s %s/%s by %s in %s: %d comments %v, reactions %v mine %v, read %d by me %v, saved %v, accepted %q, topics %v",
			p.ID, p.Kind, p.Body, p.Author.Name, p.Group.Name, p.CommentCount, commentIDs(p), p.Reactions, p.MyReactions,
			p.ReadCount, p.ReadByMe, p.Bookmarked, p.AcceptedCommentID, p.Topics)
		if p.Poll != nil {
			d += fmt.Sprintf(", poll %d voters mine %v", p.Poll.Voters, p.Poll.MyVotes)
			for _, o := range p.Poll.Options {
				d += fmt.Sprintf(" %s=%d", o.ID, o.Votes)
			}
		}
		out[i] = d
	}
	return out
}

func commentIDs(p *biebplein.Post) []string {
	var out []string
	for _, c := range p.Comments {
		out = append(out, c.ID+" "+c.Author.Name)
	}
	return out
}
