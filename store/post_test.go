package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// postFixture is a small network for the tests of posts: two libraries under one support
// organisation, and helpers to add people, groups and posts. Posts get creation times one
// second apart from t0, so that their ids, and so the feeds, are in the order they were made.
type postFixture struct {
	t       *testing.T
	db      *store.DB
	support *biebplein.Organisation
	haarlem *biebplein.Organisation
	leiden  *biebplein.Organisation
	clock   time.Time
}

func newPostFixture(t *testing.T, dialect string) *postFixture {
	t.Helper()
	db := storetest.Open(t, dialect)
	support := MustCreateOrganisation(t, db, "Probiblio", biebplein.OrgSupport, "")
	return &postFixture{
		t: t, db: db, support: support, clock: t0,
		haarlem: MustCreateOrganisation(t, db, "Bibliotheek Haarlem", biebplein.OrgLibrary, support.ID),
		leiden:  MustCreateOrganisation(t, db, "Bibliotheek Leiden", biebplein.OrgLibrary, support.ID),
	}
}

// person stores a staff member of Bibliotheek Haarlem, changed by edit when given.
func (f *postFixture) person(name string, edit func(*biebplein.Person)) *biebplein.Person {
	f.t.Helper()
	p := newPerson(f.haarlem, name, strings.ToLower(strings.ReplaceAll(name, " ", "."))+"@example.nl")
	if edit != nil {
		edit(p)
	}
	return MustCreatePerson(f.t, f.db, p)
}

// group stores a group with admin as its admin and the others as members. Organisation
// groups belong to Bibliotheek Haarlem.
func (f *postFixture) group(name string, vis biebplein.Visibility, admin *biebplein.Person, members ...*biebplein.Person) *biebplein.Group {
	f.t.Helper()
	g := &biebplein.Group{Name: name, Visibility: vis}
	if vis == biebplein.VisOrganisation {
		g.OrganisationID = f.haarlem.ID
	}
	if err := f.db.CreateGroup(f.t.Context(), g, admin.ID); err != nil {
		f.t.Fatalf("create group %q: %v", name, err)
	}
	for _, m := range members {
		f.join(g, m, biebplein.RoleMember)
	}
	return g
}

func (f *postFixture) join(g *biebplein.Group, p *biebplein.Person, role biebplein.Role) {
	f.t.Helper()
	err := f.db.SaveMembership(f.t.Context(), &biebplein.Membership{GroupID: g.ID, PersonID: p.ID, Role: role,
		Status: biebplein.StatusMember})
	if err != nil {
		f.t.Fatalf("join %s to %s: %v", p.Name, g.Name, err)
	}
}

// post stores a post one second after the previous one, changed by edit when given.
func (f *postFixture) post(g *biebplein.Group, author *biebplein.Person, body string, edit func(*biebplein.Post)) *biebplein.Post {
	f.t.Helper()
	f.clock = f.clock.Add(time.Second)
	p := &biebplein.Post{
		Group: biebplein.GroupRef{ID: g.ID}, Author: biebplein.PersonRef{ID: author.ID},
		Kind: biebplein.KindPost, Body: body, HTML: "<p>" + body + "</p>", Text: body, CreatedAt: f.clock,
	}
	if edit != nil {
		edit(p)
	}
	if err := f.db.CreatePost(f.t.Context(), p); err != nil {
		f.t.Fatalf("create post %q: %v", body, err)
	}
	return p
}

// announce stores an announcement pinned until t0 plus days.
func (f *postFixture) announce(g *biebplein.Group, author *biebplein.Person, body string, days int) *biebplein.Post {
	f.t.Helper()
	return f.post(g, author, body, func(p *biebplein.Post) {
		p.Kind = biebplein.KindAnnouncement
		until := t0.Add(time.Duration(days) * 24 * time.Hour)
		p.PinnedUntil = &until
	})
}

// viewer returns the rule's view of p.
func (f *postFixture) viewer(p *biebplein.Person) biebplein.Viewer {
	f.t.Helper()
	chain, err := f.db.OrganisationChain(f.t.Context(), p.Organisation.ID)
	mustNil(f.t, err)
	return biebplein.Viewer{PersonID: p.ID, Kind: p.Kind, Admin: p.Admin, Organisations: chain}
}

// find returns a page of posts for p, with Now a day after t0.
func (f *postFixture) find(p *biebplein.Person, filter biebplein.PostFilter) ([]*biebplein.Post, string) {
	f.t.Helper()
	filter.Scope = biebplein.GroupScope{Viewer: f.viewer(p)}
	if filter.Now.IsZero() {
		filter.Now = t0.Add(24 * time.Hour)
	}
	posts, next, err := f.db.FindPosts(f.t.Context(), filter)
	if err != nil {
		f.t.Fatalf("FindPosts(%+v): %v", filter, err)
	}
	return posts, next
}

// findOne returns the post with this id as p sees it on the post page, or nil.
func (f *postFixture) findOne(p *biebplein.Person, id string) *biebplein.Post {
	f.t.Helper()
	posts, _ := f.find(p, biebplein.PostFilter{ID: id, Comments: -1})
	if len(posts) == 0 {
		return nil
	}
	return posts[0]
}

// bodies returns the bodies of posts, which the tests use as names.
func bodies(posts []*biebplein.Post) []string {
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p.Body
	}
	return out
}

func wantBodies(tb testing.TB, posts []*biebplein.Post, want ...string) {
	tb.Helper()
	if got := bodies(posts); !slices.Equal(got, want) {
		tb.Fatalf("posts = %q, want %q", got, want)
	}
}

func TestCreatePost(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)

		t.Run("RoundTrip", func(t *testing.T) {
			closes := t0.Add(48 * time.Hour)
			p := f.post(g, anna, "Welke #BoekStart map? @Bert Jansen", func(p *biebplein.Post) {
				p.Kind = biebplein.KindPoll
				p.Topics = []string{"#BoekStart", "boekstart", "Voorlezen"}
				p.Mentions = []biebplein.Mention{{Kind: "person", ID: bert.ID}, {Kind: "group", ID: g.ID},
					{Kind: "person", ID: bert.ID}}
				p.Poll = &biebplein.Poll{Multiple: true, ClosesAt: &closes,
					Options: []*biebplein.PollOption{{Label: "Rood"}, {Label: "Blauw"}}}
				p.Attachments = []*biebplein.Attachment{
					{ID: "file2", Kind: "image", ContentType: "image/jpeg", Name: "foto.jpg", Size: 1234, Width: 800, Height: 600, HasThumb: true},
					{ID: "file1", Kind: "document", ContentType: "application/pdf", Name: "plan.pdf", Size: 99},
				}
			})
			if p.ID == "" || p.Group.Name != "Leesbevordering" || p.Group.Visibility != biebplein.VisPublic || p.Author.Name != "Anna de Vries" {
				t.Fatalf("created post = %+v, want id and names filled in", p)
			}
			if want := []string{"boekstart", "voorlezen"}; !slices.Equal(p.Topics, want) {
				t.Fatalf("Topics = %q, want %q", p.Topics, want)
			}
			if p.Poll.Options[0].ID == "" || p.Poll.Options[1].Position != 1 {
				t.Fatalf("poll options = %+v, want ids and positions", p.Poll.Options)
			}

			got := f.findOne(bert, p.ID)
			if got == nil {
				t.Fatal("post not found")
			}
			if got.Body != p.Body || got.HTML != p.HTML || got.Text != p.Text || got.Kind != biebplein.KindPoll ||
				got.Author != (biebplein.PersonRef{ID: anna.ID, Name: "Anna de Vries"}) ||
				got.Group != (biebplein.GroupRef{ID: g.ID, Name: "Leesbevordering", Visibility: biebplein.VisPublic}) {
				t.Fatalf("read back %+v, want %+v", got, p)
			}
			wantTime(t, "CreatedAt", got.CreatedAt, p.CreatedAt)
			if !slices.Equal(got.Topics, p.Topics) {
				t.Fatalf("Topics = %q, want %q", got.Topics, p.Topics)
			}
			wantMentions := []biebplein.Mention{{Kind: "person", ID: bert.ID, Name: "Bert Jansen"},
				{Kind: "group", ID: g.ID, Name: "Leesbevordering"}}
			if !slices.Equal(got.Mentions, wantMentions) {
				t.Fatalf("Mentions = %+v, want %+v", got.Mentions, wantMentions)
			}
			if len(got.Attachments) != 2 || *got.Attachments[0] != *p.Attachments[0] || *got.Attachments[1] != *p.Attachments[1] {
				t.Fatalf("Attachments = %+v, want %+v", got.Attachments, p.Attachments)
			}
			if got.Poll == nil || !got.Poll.Multiple || !got.Poll.ClosesAt.Equal(closes) || len(got.Poll.Options) != 2 ||
				got.Poll.Options[0].Label != "Rood" || got.Poll.Options[1].ID != p.Poll.Options[1].ID {
				t.Fatalf("Poll = %+v, want %+v", got.Poll, p.Poll)
			}
			if got.EditedAt != nil || got.DeletedAt != nil || got.PinnedUntil != nil || got.CommentCount != 0 || len(got.Reactions) != 0 {
				t.Fatalf("new post has edits, deletion, pinning or counts: %+v", got)
			}
		})
		t.Run("DefaultsIDAndTime", func(t *testing.T) {
			p := &biebplein.Post{Group: biebplein.GroupRef{ID: g.ID}, Author: biebplein.PersonRef{ID: anna.ID},
				Kind: biebplein.KindPost, Body: "Nu", HTML: "<p>Nu</p>", Text: "Nu"}
			before := time.Now().Add(-time.Second)
			mustNil(t, f.db.CreatePost(t.Context(), p))
			if p.ID == "" || p.CreatedAt.Before(before) || p.CreatedAt.Location() != time.UTC {
				t.Fatalf("ID %q, CreatedAt %v: want set to now", p.ID, p.CreatedAt)
			}
		})
		t.Run("ErrGroupNotFound", func(t *testing.T) {
			p := &biebplein.Post{Group: biebplein.GroupRef{ID: "nope"}, Author: biebplein.PersonRef{ID: anna.ID},
				Kind: biebplein.KindPost, Body: "x", HTML: "x", Text: "x"}
			wantCode(t, f.db.CreatePost(t.Context(), p), biebplein.CodeNotFound)
		})
		t.Run("ErrAuthorNotFound", func(t *testing.T) {
			p := &biebplein.Post{Group: biebplein.GroupRef{ID: g.ID}, Author: biebplein.PersonRef{ID: "nope"},
				Kind: biebplein.KindPost, Body: "x", HTML: "x", Text: "x"}
			wantCode(t, f.db.CreatePost(t.Context(), p), biebplein.CodeNotFound)
		})
	})
}

func TestUpdatePost(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna, bert)

		t.Run("KeepsRevisions", func(t *testing.T) {
			p := f.post(g, anna, "Eerste", func(p *biebplein.Post) {
				p.Topics = []string{"oud"}
				p.Mentions = []biebplein.Mention{{Kind: "person", ID: bert.ID}}
			})
			p.Body, p.HTML, p.Text = "Tweede", "<p>Tweede</p>", "Tweede"
			p.Topics, p.Mentions = []string{"Nieuw"}, nil
			mustNil(t, f.db.UpdatePost(t.Context(), p, anna.ID))
			if p.EditedAt == nil {
				t.Fatal("EditedAt not set")
			}
			p.Body, p.HTML, p.Text = "Derde", "<p>Derde</p>", "Derde"
			mustNil(t, f.db.UpdatePost(t.Context(), p, bert.ID))

			got := f.findOne(bert, p.ID)
			if got.Body != "Derde" || got.HTML != "<p>Derde</p>" || got.EditedAt == nil ||
				!slices.Equal(got.Topics, []string{"nieuw"}) || len(got.Mentions) != 0 {
				t.Fatalf("after edits: %+v", got)
			}
			wantTime(t, "EditedAt", *got.EditedAt, *p.EditedAt)

			revs, err := f.db.FindRevisions(t.Context(), p.ID)
			mustNil(t, err)
			var gotRevs []string
			for _, r := range revs {
				gotRevs = append(gotRevs, r.Body+" by "+r.EditedBy.Name)
			}
			if want := []string{"Tweede by Bert Jansen", "Eerste by Anna de Vries"}; !slices.Equal(gotRevs, want) {
				t.Fatalf("revisions = %q, want %q", gotRevs, want)
			}
		})
		t.Run("SameBodyNoRevision", func(t *testing.T) {
			p := f.post(g, anna, "Blijft", nil)
			p.Topics = []string{"erbij"}
			mustNil(t, f.db.UpdatePost(t.Context(), p, anna.ID))
			revs, err := f.db.FindRevisions(t.Context(), p.ID)
			mustNil(t, err)
			got := f.findOne(anna, p.ID)
			if len(revs) != 0 || got.EditedAt != nil || !slices.Equal(got.Topics, []string{"erbij"}) {
				t.Fatalf("revisions %d, EditedAt %v, topics %q: want none, nil, [erbij]", len(revs), got.EditedAt, got.Topics)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, f.db.UpdatePost(t.Context(), &biebplein.Post{ID: "nope", Body: "x"}, anna.ID), biebplein.CodeNotFound)
		})
		t.Run("ErrDeleted", func(t *testing.T) {
			p := f.post(g, anna, "Weg", nil)
			mustNil(t, f.db.SetPostDeleted(t.Context(), p.ID, &t0, anna.ID))
			p.Body = "Toch niet"
			wantCode(t, f.db.UpdatePost(t.Context(), p, anna.ID), biebplein.CodeNotFound)
		})
	})
}

func TestSetPostDeleted(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		p := f.post(g, anna, "Weg", nil)

		t.Run("DeleteAndRestore", func(t *testing.T) {
			mustNil(t, f.db.SetPostDeleted(t.Context(), p.ID, &t0, anna.ID))
			if f.findOne(anna, p.ID) != nil {
				t.Fatal("deleted post still found")
			}
			posts, _ := f.find(anna, biebplein.PostFilter{ID: p.ID, Deleted: true})
			if len(posts) != 1 || posts[0].DeletedAt == nil || !posts[0].DeletedAt.Equal(t0) || posts[0].DeletedBy != anna.ID {
				t.Fatalf("deleted post for its group admin = %+v, want DeletedAt and DeletedBy", posts)
			}
			mustNil(t, f.db.SetPostDeleted(t.Context(), p.ID, nil, anna.ID))
			got := f.findOne(anna, p.ID)
			if got == nil || got.DeletedAt != nil || got.DeletedBy != "" {
				t.Fatalf("restored post = %+v", got)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, f.db.SetPostDeleted(t.Context(), "nope", &t0, anna.ID), biebplein.CodeNotFound)
		})
	})
}

func TestSetPinned(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		a := f.announce(g, anna, "Let op", 3)

		t.Run("ChangeAndClear", func(t *testing.T) {
			until := t0.Add(10 * 24 * time.Hour)
			mustNil(t, f.db.SetPinned(t.Context(), a.ID, &until))
			if got := f.findOne(anna, a.ID); got.PinnedUntil == nil || !got.PinnedUntil.Equal(until) {
				t.Fatalf("PinnedUntil = %v, want %v", got.PinnedUntil, until)
			}
			mustNil(t, f.db.SetPinned(t.Context(), a.ID, nil))
			if got := f.findOne(anna, a.ID); got.PinnedUntil != nil {
				t.Fatalf("PinnedUntil = %v, want nil", got.PinnedUntil)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, f.db.SetPinned(t.Context(), "nope", nil), biebplein.CodeNotFound)
		})
	})
}

func TestSetAccepted(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		q := f.post(g, anna, "Wie weet het?", func(p *biebplein.Post) { p.Kind = biebplein.KindQuestion })
		other := f.post(g, anna, "Ander", nil)
		answer := f.comment(q, anna, "Ik!", "")
		elsewhere := f.comment(other, anna, "Hier", "")

		t.Run("SetAndClear", func(t *testing.T) {
			mustNil(t, f.db.SetAccepted(t.Context(), q.ID, answer.ID))
			if got := f.findOne(anna, q.ID).AcceptedCommentID; got != answer.ID {
				t.Fatalf("AcceptedCommentID = %q, want %q", got, answer.ID)
			}
			mustNil(t, f.db.SetAccepted(t.Context(), q.ID, ""))
			if got := f.findOne(anna, q.ID).AcceptedCommentID; got != "" {
				t.Fatalf("AcceptedCommentID = %q, want none", got)
			}
		})
		t.Run("ErrCommentNotOnPost", func(t *testing.T) {
			wantCode(t, f.db.SetAccepted(t.Context(), q.ID, elsewhere.ID), biebplein.CodeInvalid, "error.comment_not_on_post")
			wantCode(t, f.db.SetAccepted(t.Context(), q.ID, "nope"), biebplein.CodeInvalid, "error.comment_not_on_post")
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, f.db.SetAccepted(t.Context(), "nope", answer.ID), biebplein.CodeNotFound)
			wantCode(t, f.db.SetAccepted(t.Context(), "nope", ""), biebplein.CodeNotFound)
		})
	})
}

func TestMarkRead(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna, bert)
		a := f.announce(g, anna, "Lees dit", 3)

		t.Run("CountsOnce", func(t *testing.T) {
			mustNil(t, f.db.MarkRead(t.Context(), a.ID, bert.ID, t0))
			mustNil(t, f.db.MarkRead(t.Context(), a.ID, bert.ID, t0.Add(time.Hour)))
			if got := f.findOne(bert, a.ID); got.ReadCount != 1 || !got.ReadByMe {
				t.Fatalf("ReadCount %d, ReadByMe %v; want 1, true", got.ReadCount, got.ReadByMe)
			}
			if got := f.findOne(anna, a.ID); got.ReadCount != 1 || got.ReadByMe {
				t.Fatalf("for another viewer: ReadCount %d, ReadByMe %v; want 1, false", got.ReadCount, got.ReadByMe)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, f.db.MarkRead(t.Context(), "nope", bert.ID, t0), biebplein.CodeNotFound)
			wantCode(t, f.db.MarkRead(t.Context(), a.ID, "nope", t0), biebplein.CodeNotFound)
		})
	})
}

func TestSetBookmark(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		p := f.post(g, anna, "Bewaren", nil)

		t.Run("Idempotent", func(t *testing.T) {
			mustNil(t, f.db.SetBookmark(t.Context(), p.ID, anna.ID, true))
			mustNil(t, f.db.SetBookmark(t.Context(), p.ID, anna.ID, true))
			if !f.findOne(anna, p.ID).Bookmarked {
				t.Fatal("Bookmarked = false after saving")
			}
			saved, _ := f.find(anna, biebplein.PostFilter{Feed: biebplein.FeedSaved})
			wantBodies(t, saved, "Bewaren")
			mustNil(t, f.db.SetBookmark(t.Context(), p.ID, anna.ID, false))
			mustNil(t, f.db.SetBookmark(t.Context(), p.ID, anna.ID, false))
			if f.findOne(anna, p.ID).Bookmarked {
				t.Fatal("Bookmarked = true after unsaving")
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, f.db.SetBookmark(t.Context(), "nope", anna.ID, true), biebplein.CodeNotFound)
		})
	})
}

func TestResolveMentions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		anna2 := f.person("Anna  de Vries", func(p *biebplein.Person) {
			p.Email = "anna2@example.nl"
			p.ID = biebplein.NewID(time.Now().Add(time.Hour)) // a younger account, even within the millisecond
		})
		zoe := f.person("Zoë Ümit", nil)
		gone := f.person("Gert Vertrokken", nil)
		mustNil(t, f.db.SetDeactivated(t.Context(), gone.ID, &t0))
		g := f.group("BoekStart", biebplein.VisPublic, anna)
		same := f.group("Zoë Ümit", biebplein.VisPublic, anna) // a group named like a person

		got, err := f.db.ResolveMentions(t.Context(), []string{
			"Anna de Vries", "anna.de.vries", "ANNA DE VRIES", "Zoe\u0308 Ümit", "zoë.ümit", "Gert Vertrokken",
			"boekstart", "Nobody", "", "Anna",
		})
		mustNil(t, err)
		want := map[string]biebplein.Mention{
			"Anna de Vries":  {Kind: "person", ID: anna.ID, Name: "Anna de Vries"},
			"anna.de.vries":  {Kind: "person", ID: anna.ID, Name: "Anna de Vries"},
			"ANNA DE VRIES":  {Kind: "person", ID: anna.ID, Name: "Anna de Vries"},
			"Zoe\u0308 Ümit": {Kind: "person", ID: zoe.ID, Name: "Zoë Ümit"},
			"zoë.ümit":       {Kind: "person", ID: zoe.ID, Name: "Zoë Ümit"},
			"boekstart":      {Kind: "group", ID: g.ID, Name: "BoekStart"},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("ResolveMentions = %v\nwant %v", got, want)
		}
		_ = anna2 // same name key, younger account: never chosen
		_ = same  // the person goes first

		t.Run("NoCandidates", func(t *testing.T) {
			got, err := f.db.ResolveMentions(t.Context(), nil)
			mustNil(t, err)
			if len(got) != 0 {
				t.Fatalf("ResolveMentions(nil) = %v", got)
			}
		})
		t.Run("OneQuery", func(t *testing.T) {
			before := f.db.QueryCount()
			_, err := f.db.ResolveMentions(t.Context(), []string{"a", "b", "c", "d.e", "BoekStart"})
			mustNil(t, err)
			if n := f.db.QueryCount() - before; n != 1 {
				t.Fatalf("ResolveMentions sent %d queries, want 1", n)
			}
		})
	})
}
