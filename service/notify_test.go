package service_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

// kinds returns the kinds of p's notifications (newest first) and fails on an error.
func (f *fixture) kinds(t *testing.T, p *biebplein.Person) []biebplein.NoticeKind {
	t.Helper()
	got, _, err := f.svc.Notifications(f.as(p), biebplein.NotificationFilter{Unread: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []biebplein.NoticeKind
	for _, n := range got {
		out = append(out, n.Kind)
	}
	return out
}

// mustNamed creates a person of the library with a full name, so that mentions find them.
func (f *fixture) mustNamed(t *testing.T, name string, kind biebplein.PersonKind) *biebplein.Person {
	t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@bieb.test"
	p, _, err := f.svc.CreatePerson(f.sys, biebplein.PersonInput{Email: email, Name: name, Kind: kind, OrganisationID: f.lib.ID, Password: "wachtwoord-123"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) readAll(t *testing.T, p *biebplein.Person) {
	t.Helper()
	if err := f.svc.MarkNotificationsRead(f.as(p), biebplein.ReadFilter{}); err != nil {
		t.Fatal(err)
	}
}

// Every kind of notification is raised by the change it is about, for the right people.
func TestNoticeKinds(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		anna := f.mustNamed(t, "Anna de Vries", biebplein.KindStaff) // group admin
		bert := f.mustNamed(t, "Bert Jansen", biebplein.KindStaff)
		carla := f.mustNamed(t, "Carla Smit", biebplein.KindVolunteer)
		g := f.mustGroup(t, anna, "Voorleesexpress", biebplein.VisNetwork, "")
		for _, p := range []*biebplein.Person{bert, carla} {
			if _, err := f.svc.JoinGroup(f.as(p), g.ID); err != nil {
				t.Fatal(err)
			}
		}
		want := func(t *testing.T, p *biebplein.Person, kinds ...biebplein.NoticeKind) {
			t.Helper()
			if got := f.kinds(t, p); !slices.Equal(got, kinds) {
				t.Fatalf("%s's unread kinds = %v, want %v", p.Name, got, kinds)
			}
			f.readAll(t, p)
		}

		t.Run("MentionAndGroupMention", func(t *testing.T) {
			if _, err := f.svc.CreatePost(f.as(anna), biebplein.PostInput{GroupID: g.ID, Body: "Hallo @Bert Jansen en @Voorleesexpress"}); err != nil {
				t.Fatal(err)
			}
			want(t, bert, biebplein.NoticeMention, biebplein.NoticeGroupMention)
			want(t, carla, biebplein.NoticeGroupMention)
			want(t, anna) // not about her own post
		})
		var question *biebplein.Post
		var answer *biebplein.Comment
		t.Run("AnswerReplyAccepted", func(t *testing.T) {
			var err error
			question, err = f.svc.CreatePost(f.as(bert), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindQuestion, Body: "Wie heeft boeken over dino's?"})
			if err != nil {
				t.Fatal(err)
			}
			if answer, err = f.svc.CreateComment(f.as(carla), question.ID, "", "Ik, in de kast"); err != nil {
				t.Fatal(err)
			}
			want(t, bert, biebplein.NoticeAnswer)
			if _, err := f.svc.CreateComment(f.as(anna), question.ID, answer.ID, "Mooi!"); err != nil {
				t.Fatal(err)
			}
			want(t, carla, biebplein.NoticeReply)
			want(t, bert, biebplein.NoticeReply)
			if _, err := f.svc.Accept(f.as(bert), question.ID, answer.ID); err != nil {
				t.Fatal(err)
			}
			want(t, carla, biebplein.NoticeAccepted)
		})
		t.Run("ReactionsGrouped", func(t *testing.T) {
			for _, p := range []*biebplein.Person{anna, carla} {
				if err := f.svc.React(f.as(p), question.ID, biebplein.ReactThanks, true); err != nil {
					t.Fatal(err)
				}
			}
			got, _, err := f.svc.Notifications(f.as(bert), biebplein.NotificationFilter{Unread: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Kind != biebplein.NoticeReaction || got[0].ActorCount != 2 {
				t.Fatalf("notifications = %+v, want one reaction line by 2 people", got)
			}
			f.readAll(t, bert)
			// Taking a reaction back tells nobody.
			if err := f.svc.React(f.as(carla), question.ID, biebplein.ReactThanks, false); err != nil {
				t.Fatal(err)
			}
			want(t, bert)
		})
		t.Run("JoinRequestAndApproval", func(t *testing.T) {
			closed := f.mustGroup(t, anna, "Werkgroep Taal", biebplein.VisClosed, "")
			if status, err := f.svc.JoinGroup(f.as(carla), closed.ID); err != nil || status != biebplein.StatusPending {
				t.Fatalf("join = %v, %v; want pending", status, err)
			}
			want(t, anna, biebplein.NoticeJoinRequest)
			if err := f.svc.ApproveRequest(f.as(anna), closed.ID, carla.ID); err != nil {
				t.Fatal(err)
			}
			want(t, carla, biebplein.NoticeApproved)
		})
		t.Run("Invitation", func(t *testing.T) {
			secret := f.mustGroup(t, anna, "Stuurgroep", biebplein.VisSecret, "")
			if err := f.svc.InviteToGroup(f.as(anna), secret.ID, bert.ID); err != nil {
				t.Fatal(err)
			}
			want(t, bert, biebplein.NoticeInvitation)
			// The invitation shows the secret group to Bert, not to Carla.
			want(t, carla)
		})
		t.Run("Announcement", func(t *testing.T) {
			if _, err := f.svc.CreatePost(f.as(anna), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindAnnouncement, Body: "Let op: @Voorleesexpress"}); err != nil {
				t.Fatal(err)
			}
			// The group's own mention in an announcement adds no second line.
			want(t, bert, biebplein.NoticeAnnouncement)
			want(t, carla, biebplein.NoticeAnnouncement)
			r, err := f.svc.AnnouncementReach(f.as(anna), g.ID)
			if err != nil || r.People != 2 || r.Mailed != 2 {
				t.Fatalf("reach = %+v, %v; want 2 people, 2 mailed", r, err)
			}
			if _, err := f.svc.AnnouncementReach(f.as(bert), g.ID); code(err) != biebplein.CodeForbidden {
				t.Fatalf("reach for a member = %v, want forbidden", err)
			}
		})
		t.Run("TurnedOff", func(t *testing.T) {
			if err := f.svc.SaveNoticePrefs(f.as(bert), []biebplein.NoticePref{{Kind: biebplein.NoticeMention, App: false, Mail: biebplein.MailImmediate}}); err != nil {
				t.Fatal(err)
			}
			prefs, err := f.svc.NoticePrefs(f.as(bert))
			if err != nil || prefs[0].Kind != biebplein.NoticeMention || prefs[0].App || prefs[0].Mail != biebplein.MailNever {
				t.Fatalf("prefs[0] = %+v, %v; want mention off and not mailed", prefs[0], err)
			}
			if _, err := f.svc.CreatePost(f.as(anna), biebplein.PostInput{GroupID: g.ID, Body: "Nog eens @Bert Jansen"}); err != nil {
				t.Fatal(err)
			}
			want(t, bert)
			err = f.svc.SaveNoticePrefs(f.as(bert), []biebplein.NoticePref{{Kind: biebplein.NoticeMention, App: true, Mail: "soms"}})
			if biebplein.ErrorFields(err)["mail_mention"] != "error.mail_pref_invalid" {
				t.Fatalf("invalid mail choice = %v, want a field error", err)
			}
		})
	})
}
