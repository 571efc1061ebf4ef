package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
)

func TestPosts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		member := f.mustKind(t, "lid@bieb.test", biebplein.KindStaff, f.lib.ID)
		outsider := f.mustKind(t, "buiten@bieb.test", biebplein.KindVolunteer, f.lib.ID)
		g := f.mustGroup(t, f.staff, "BoekStart", biebplein.VisNetwork, "")
		secret := f.mustGroup(t, f.staff, "Geheim Overleg", biebplein.VisSecret, "")
		if _, err := f.svc.JoinGroup(f.as(member), g.ID); err != nil {
			t.Fatal(err)
		}

		t.Run("MembersOnly", func(t *testing.T) {
			_, err := f.svc.CreatePost(f.as(outsider), biebplein.PostInput{GroupID: g.ID, Body: "Hallo"})
			if code(err) != biebplein.CodeForbidden {
				t.Fatalf("non-member posts = %v, want forbidden", err)
			}
			if _, err := f.svc.CreatePost(f.as(outsider), biebplein.PostInput{GroupID: secret.ID, Body: "Hallo"}); code(err) != biebplein.CodeNotFound {
				t.Fatalf("post in an invisible group = %v, want not_found", err)
			}
		})
		var post *biebplein.Post
		t.Run("MentionsAndTopics", func(t *testing.T) {
			var err error
			post, err = f.svc.CreatePost(f.as(member), biebplein.PostInput{GroupID: g.ID,
				Body: "Wie helpt mee met #voorlezen? @staff en @Geheim Overleg"})
			if err != nil {
				t.Fatal(err)
			}
			if len(post.Topics) != 1 || post.Topics[0] != "voorlezen" {
				t.Errorf("topics = %q", post.Topics)
			}
			if len(post.Mentions) != 1 || post.Mentions[0].ID != f.staff.ID {
				t.Errorf("mentions = %+v, want only staff (the secret group is invisible to the author)", post.Mentions)
			}
			if strings.Contains(post.HTML, secret.ID) {
				t.Error("the rendering links the secret group")
			}
		})
		t.Run("BadBody", func(t *testing.T) {
			_, err := f.svc.CreatePost(f.as(member), biebplein.PostInput{GroupID: g.ID, Body: "  "})
			if biebplein.ErrorFields(err)["body"] == "" {
				t.Fatalf("empty body: %v", err)
			}
			_, err = f.svc.CreatePost(f.as(member), biebplein.PostInput{GroupID: g.ID, Body: "x\xffy"})
			if code(err) != biebplein.CodeInvalid {
				t.Fatalf("invalid UTF-8 body: %v", err)
			}
		})
		t.Run("AnnouncementsForAdmins", func(t *testing.T) {
			if _, err := f.svc.CreatePost(f.as(member), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindAnnouncement, Body: "Let op"}); code(err) != biebplein.CodeForbidden {
				t.Fatalf("member announces = %v, want forbidden", err)
			}
			a, err := f.svc.CreatePost(f.as(f.staff), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindAnnouncement, Body: "Let op: nieuwe roosters"})
			// Pinned by the service's clock, for the default days (the test read the wall
			// clock, and failed once the fixture's date was more than those days ago).
			if now := f.clock.Now(); err != nil || !a.Pinned(now) || a.Pinned(now.Add(biebplein.DefaultPinnedDays*24*time.Hour)) {
				t.Fatalf("announcement = %+v, %v; want pinned for %d days from %s", a, err, biebplein.DefaultPinnedDays, now)
			}
			if err := f.svc.MarkRead(f.as(member), a.ID); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.MarkRead(f.as(member), a.ID); err != nil {
				t.Fatal(err)
			}
			got, err := f.svc.Post(f.as(member), a.ID)
			if err != nil || got.ReadCount != 1 || !got.ReadByMe {
				t.Fatalf("read count = %d, by me %v (%v); want 1, true", got.ReadCount, got.ReadByMe, err)
			}
		})
		t.Run("PollVoting", func(t *testing.T) {
			p, err := f.svc.CreatePost(f.as(member), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindPoll, Body: "Welke dag?", PollOptions: []string{"dinsdag", "donderdag", " "}})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Poll.Options) != 2 {
				t.Fatalf("options = %d, want 2 (blank dropped)", len(p.Poll.Options))
			}
			if _, err := f.svc.Vote(f.as(member), p.ID, []string{p.Poll.Options[0].ID, p.Poll.Options[1].ID}); code(err) != biebplein.CodeInvalid {
				t.Fatalf("two votes on a single-choice poll = %v", err)
			}
			if _, err := f.svc.Vote(f.as(member), p.ID, []string{p.Poll.Options[0].ID}); err != nil {
				t.Fatal(err)
			}
			got, err := f.svc.Vote(f.as(member), p.ID, []string{p.Poll.Options[1].ID})
			if err != nil || got.Poll.Voters != 1 || got.Poll.Options[0].Votes != 0 || got.Poll.Options[1].Votes != 1 {
				t.Fatalf("after changing the vote: %+v, %v", got.Poll, err)
			}
			if _, err := f.svc.CreatePost(f.as(member), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindPoll, Body: "?", PollOptions: []string{"één"}}); biebplein.ErrorFields(err)["poll_options"] == "" {
				t.Fatalf("poll with one option = %v", err)
			}
		})
		t.Run("QuestionAccepted", func(t *testing.T) {
			q, err := f.svc.CreatePost(f.as(member), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindQuestion, Body: "Wie weet iets van BoekStart?"})
			if err != nil {
				t.Fatal(err)
			}
			answer, err := f.svc.CreateComment(f.as(f.staff), q.ID, "", "Ik!")
			if err != nil {
				t.Fatal(err)
			}
			reply, err := f.svc.CreateComment(f.as(member), q.ID, answer.ID, "Dank je")
			if err != nil || reply.ParentID != answer.ID {
				t.Fatalf("reply = %+v, %v", reply, err)
			}
			deeper, err := f.svc.CreateComment(f.as(f.staff), q.ID, reply.ID, "Graag gedaan")
			if err != nil || deeper.ParentID != answer.ID {
				t.Fatalf("reply to a reply = %+v, %v; want attached to the top comment", deeper, err)
			}
			if _, err := f.svc.Accept(f.as(outsider), q.ID, answer.ID); code(err) == "" {
				t.Fatal("an outsider accepted an answer")
			}
			got, err := f.svc.Accept(f.as(member), q.ID, answer.ID)
			if err != nil || got.AcceptedCommentID != answer.ID || got.CommentCount != 3 {
				t.Fatalf("accepted = %+v, %v", got, err)
			}
		})
		t.Run("ReactionsOnce", func(t *testing.T) {
			for i := 0; i < 2; i++ {
				if err := f.svc.React(f.as(member), post.ID, biebplein.ReactLike, true); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.svc.React(f.as(member), post.ID, "love", true); code(err) != biebplein.CodeInvalid {
				t.Fatalf("unknown reaction = %v", err)
			}
			got, _ := f.svc.Post(f.as(member), post.ID)
			if got.Reactions[biebplein.ReactLike] != 1 {
				t.Fatalf("likes = %d, want 1", got.Reactions[biebplein.ReactLike])
			}
		})
		t.Run("EditKeepsHistory", func(t *testing.T) {
			if _, err := f.svc.UpdatePost(f.as(f.staff), post.ID, "Overgenomen"); code(err) != biebplein.CodeForbidden {
				t.Fatalf("someone else edits = %v", err)
			}
			got, err := f.svc.UpdatePost(f.as(member), post.ID, "Wie helpt mee met #voorlezen op dinsdag?")
			if err != nil || got.EditedAt == nil {
				t.Fatalf("edit = %+v, %v", got, err)
			}
			revs, err := f.svc.Revisions(f.as(member), post.ID)
			if err != nil || len(revs) != 1 || !strings.Contains(revs[0].Body, "@staff") {
				t.Fatalf("revisions = %+v, %v", revs, err)
			}
		})
		t.Run("DeleteAndRestore", func(t *testing.T) {
			if err := f.svc.DeletePost(f.as(member), post.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Post(f.as(outsider), post.ID); code(err) != biebplein.CodeNotFound {
				t.Fatalf("deleted post for others = %v", err)
			}
			if err := f.svc.RestorePost(f.as(member), post.ID); code(err) != biebplein.CodeNotFound {
				t.Fatalf("author restores = %v, want not_found (only admins restore)", err)
			}
			if err := f.svc.RestorePost(f.as(f.staff), post.ID); err != nil {
				t.Fatalf("group admin restores: %v", err)
			}
		})
		t.Run("SecretPostsInvisible", func(t *testing.T) {
			sp, err := f.svc.CreatePost(f.as(f.staff), biebplein.PostInput{GroupID: secret.ID, Body: "Begroting #voorlezen"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Post(f.as(member), sp.ID); code(err) != biebplein.CodeNotFound {
				t.Fatalf("non-member reads secret post = %v", err)
			}
			if err := f.svc.React(f.as(member), sp.ID, biebplein.ReactLike, true); code(err) != biebplein.CodeNotFound {
				t.Fatalf("non-member reacts to secret post = %v", err)
			}
			if err := f.svc.Follow(f.as(member), "topic", "voorlezen", true); err != nil {
				t.Fatal(err)
			}
			for _, feed := range []biebplein.PostFilter{{Feed: biebplein.FeedHome}, {Feed: biebplein.FeedTopic, Topic: "voorlezen"}, {Feed: biebplein.FeedPerson, AuthorID: f.staff.ID}} {
				posts, _, err := f.svc.Feed(f.as(member), feed)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range posts {
					if p.ID == sp.ID {
						t.Errorf("%s feed shows the secret post", feed.Feed)
					}
				}
			}
		})
	})
}
