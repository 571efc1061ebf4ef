package bench

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store/storetest"
)

func TestGenerate(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel() // a database each
			ctx := context.Background()
			db := storetest.Open(t, dialect)
			w, err := Generate(ctx, db, 0.002, 1, nil)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := db.CountRows(ctx)
			if err != nil {
				t.Fatal(err)
			}
			t.Run("Sizes", func(t *testing.T) {
				want := SizesFor(0.002)
				if got := rows["people"]; got != int64(want.People) {
					t.Errorf("people = %d, want %d", got, want.People)
				}
				if got := rows["groups"]; got != int64(want.Groups) {
					t.Errorf("groups = %d, want %d", got, want.Groups)
				}
				if got := rows["posts"]; got != int64(want.Posts) {
					t.Errorf("posts = %d, want %d", got, want.Posts)
				}
				// Comments and reactions follow the posts with their means, give or take chance.
				for table, mean := range map[string]float64{"comments": commentsPerPost, "reactions": reactionsPerPost} {
					perPost := float64(rows[table]) / float64(rows["posts"])
					if math.Abs(perPost-mean) > mean/2 {
						t.Errorf("%s per post = %.2f, want about %.1f", table, perPost, mean)
					}
				}
				for _, table := range []string{"post_topics", "post_mentions", "polls", "poll_votes", "post_reads", "follows", "person_tags"} {
					if rows[table] == 0 {
						t.Errorf("no rows in %s", table)
					}
				}
			})
			t.Run("Counters", func(t *testing.T) {
				if err := db.CheckCounters(ctx); err != nil {
					t.Fatal(err)
				}
			})
			t.Run("EveryVisibility", func(t *testing.T) {
				seen := map[biebplein.Visibility]bool{}
				for _, g := range w.Groups {
					seen[g.Visibility] = true
				}
				for _, v := range biebplein.Visibilities() {
					if !seen[v] {
						t.Errorf("no %s group", v)
					}
				}
			})
			t.Run("HomeFeedOfAMember", func(t *testing.T) {
				p := w.People[len(w.People)-1]
				posts, _, err := db.FindPosts(ctx, biebplein.PostFilter{Feed: biebplein.FeedHome, Comments: 2,
					Scope: biebplein.GroupScope{Viewer: w.Viewer(p), Access: biebplein.AccessRead}, Now: time.Now()})
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Groups) > 0 && len(posts) == 0 {
					t.Fatalf("empty home feed for a member of %d groups", len(p.Groups))
				}
				for _, post := range posts {
					if !w.CanRead(p, groupByID(w, post.Group.ID)) {
						t.Errorf("post %s of group %s is not for this reader", post.ID, post.Group.ID)
					}
				}
			})
		})
	}
}

func groupByID(w *World, id string) *Group {
	for _, g := range w.Groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}
