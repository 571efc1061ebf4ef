package store_test

import (
	"slices"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// comment stores a comment by author on p, a reply when parentID is given, one second after
// the previous post or comment: comment ids, like post ids, are ordered by time only to the
// millisecond.
func (f *postFixture) comment(p *biebplein.Post, author *biebplein.Person, body, parentID string) *biebplein.Comment {
	f.t.Helper()
	f.clock = f.clock.Add(time.Second)
	c := &biebplein.Comment{PostID: p.ID, ParentID: parentID, Author: biebplein.PersonRef{ID: author.ID},
		Body: body, HTML: "<p>" + body + "</p>", Text: body, CreatedAt: f.clock}
	if err := f.db.CreateComment(f.t.Context(), c); err != nil {
		f.t.Fatalf("create comment %q: %v", body, err)
	}
	return c
}

func commentBodies(comments []*biebplein.Comment) []string {
	out := make([]string, len(comments))
	for i, c := range comments {
		out[i] = c.Body
	}
	return out
}

func TestCreateComment(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna, bert)
		p := f.post(g, anna, "Vraag", nil)

		t.Run("CountsAndThreads", func(t *testing.T) {
			first := f.comment(p, bert, "Antwoord", "")
			if first.ID == "" || first.CreatedAt.IsZero() || first.Author.Name != "Bert Jansen" {
				t.Fatalf("created comment = %+v, want id, time and author name", first)
			}
			reply := f.comment(p, anna, "Dank je", first.ID)
			deeper := f.comment(p, bert, "Graag gedaan", reply.ID)
			if deeper.ParentID != first.ID {
				t.Fatalf("reply to a reply has parent %q, want the top-level comment %q", deeper.ParentID, first.ID)
			}
			got := f.findOne(anna, p.ID)
			if got.CommentCount != 3 {
				t.Fatalf("CommentCount = %d, want 3", got.CommentCount)
			}
			if want := []string{"Antwoord", "Dank je", "Graag gedaan"}; !slices.Equal(commentBodies(got.Comments), want) {
				t.Fatalf("comments = %q, want %q", commentBodies(got.Comments), want)
			}
			if c := got.Comments[1]; c.ParentID != first.ID || c.Author.Name != "Anna de Vries" || c.HTML != "<p>Dank je</p>" {
				t.Fatalf("reply = %+v", c)
			}
		})
		t.Run("Mentions", func(t *testing.T) {
			c := &biebplein.Comment{PostID: p.ID, Author: biebplein.PersonRef{ID: anna.ID}, Body: "@Bert Jansen kijk",
				HTML: "x", Text: "x", Mentions: []biebplein.Mention{{Kind: "person", ID: bert.ID}, {Kind: "group", ID: g.ID}}}
			mustNil(t, f.db.CreateComment(t.Context(), c))
			got, err := f.db.FindComment(t.Context(), c.ID)
			mustNil(t, err)
			want := []biebplein.Mention{{Kind: "person", ID: bert.ID, Name: "Bert Jansen"}, {Kind: "group", ID: g.ID, Name: "Leesbevordering"}}
			if !slices.Equal(got.Mentions, want) || got.Body != c.Body || got.PostID != p.ID {
				t.Fatalf("FindComment = %+v, want mentions %+v", got, want)
			}
		})
		t.Run("ErrParentInvalid", func(t *testing.T) {
			other := f.post(g, anna, "Ander", nil)
			elsewhere := f.comment(other, anna, "Daar", "")
			for _, parent := range []string{elsewhere.ID, "nope"} {
				c := &biebplein.Comment{PostID: p.ID, ParentID: parent, Author: biebplein.PersonRef{ID: anna.ID}, Body: "x"}
				wantCode(t, f.db.CreateComment(t.Context(), c), biebplein.CodeInvalid, "error.comment_parent_invalid")
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			gone := f.post(g, anna, "Weg", nil)
			mustNil(t, f.db.SetPostDeleted(t.Context(), gone.ID, &t0, anna.ID))
			for _, c := range []*biebplein.Comment{
				{PostID: "nope", Author: biebplein.PersonRef{ID: anna.ID}, Body: "x"},
				{PostID: gone.ID, Author: biebplein.PersonRef{ID: anna.ID}, Body: "x"},
				{PostID: p.ID, Author: biebplein.PersonRef{ID: "nope"}, Body: "x"},
			} {
				wantCode(t, f.db.CreateComment(t.Context(), c), biebplein.CodeNotFound)
			}
			if got := f.findOne(anna, p.ID).CommentCount; got != 4 {
				t.Fatalf("CommentCount = %d after failed comments, want 4", got)
			}
		})
		t.Run("FindCommentErrNotFound", func(t *testing.T) {
			_, err := f.db.FindComment(t.Context(), "nope")
			wantCode(t, err, biebplein.CodeNotFound)
		})
	})
}

// The feeds show the first comments of each post; the post page shows them all.
func TestFindPostsComments(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		a := f.post(g, anna, "A", nil)
		b := f.post(g, anna, "B", nil)
		f.post(g, anna, "C", nil)
		for _, body := range []string{"a1", "a2", "a3", "a4"} {
			f.comment(a, anna, body, "")
		}
		f.comment(b, anna, "b1", "")

		tests := []struct {
			name     string
			comments int
			want     map[string][]string
		}{
			{"None", 0, map[string][]string{"A": nil, "B": nil, "C": nil}},
			{"FirstTwo", 2, map[string][]string{"A": {"a1", "a2"}, "B": {"b1"}, "C": nil}},
			{"All", -1, map[string][]string{"A": {"a1", "a2", "a3", "a4"}, "B": {"b1"}, "C": nil}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				posts, _ := f.find(anna, biebplein.PostFilter{Feed: biebplein.FeedGroup, GroupID: g.ID, Comments: tt.comments})
				for _, p := range posts {
					if got := commentBodies(p.Comments); !slices.Equal(got, tt.want[p.Body]) {
						t.Errorf("comments of %s = %q, want %q", p.Body, got, tt.want[p.Body])
					}
					if p.Body == "A" && p.CommentCount != 4 {
						t.Errorf("CommentCount of A = %d, want 4", p.CommentCount)
					}
				}
			})
		}
	})
}
