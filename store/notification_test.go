package store_test

import (
	"slices"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// notifications returns what p sees on their notification page.
func (f *postFixture) notifications(p *biebplein.Person, filter biebplein.NotificationFilter) []*biebplein.Notification {
	f.t.Helper()
	filter.Viewer = f.viewer(p)
	got, _, err := f.db.FindNotifications(f.t.Context(), filter)
	if err != nil {
		f.t.Fatalf("FindNotifications: %v", err)
	}
	return got
}

func (f *postFixture) unread(p *biebplein.Person) int {
	f.t.Helper()
	n, err := f.db.CountUnread(f.t.Context(), f.viewer(p), 100)
	mustNil(f.t, err)
	return n
}

// claimAll claims every e-mail due at at.
func (f *postFixture) claimAll(at time.Time) []*biebplein.OutboxItem {
	f.t.Helper()
	items, err := f.db.ClaimOutbox(f.t.Context(), "test", at, at.Add(time.Minute), 10_000)
	mustNil(f.t, err)
	return items
}

func TestNotifications(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		carla := f.person("Carla Smit", nil)
		dirk := f.person("Dirk Bos", nil)
		g := f.group("Leesbevordering", biebplein.VisNetwork, anna, bert, carla, dirk)
		secret := f.group("Geheim", biebplein.VisSecret, anna, bert)
		p := f.post(g, anna, "Mooi nieuws", nil)
		react := func(who *biebplein.Person, kind biebplein.ReactionKind) {
			t.Helper()
			mustNil(t, f.db.React(t.Context(), p.ID, who.ID, kind, true, biebplein.Notice{
				Kind: biebplein.NoticeReaction, ActorID: who.ID, PostID: p.ID, GroupID: g.ID,
				To: biebplein.Audience{People: []string{anna.ID}},
			}))
		}

		t.Run("GroupedPerPost", func(t *testing.T) {
			react(bert, biebplein.ReactLike)
			react(carla, biebplein.ReactLike)
			react(bert, biebplein.ReactThanks) // Bert again: still two people
			react(dirk, biebplein.ReactCelebrate)
			react(anna, biebplein.ReactLike) // her own post: nobody is told
			got := f.notifications(anna, biebplein.NotificationFilter{})
			if len(got) != 1 {
				t.Fatalf("got %d notifications, want 1 grouped", len(got))
			}
			n := got[0]
			if n.Kind != biebplein.NoticeReaction || n.ActorCount != 3 || n.Actor.ID != dirk.ID || n.Others() != 2 || n.PostID != p.ID {
				t.Fatalf("notification = %+v, want reaction by Dirk and 2 others on %s", n, p.ID)
			}
			if f.unread(anna) != 1 || f.unread(bert) != 0 {
				t.Fatalf("unread: anna %d (want 1), bert %d (want 0)", f.unread(anna), f.unread(bert))
			}
		})
		t.Run("ReadThenAgain", func(t *testing.T) {
			n, err := f.db.MarkNotificationsRead(t.Context(), anna.ID, biebplein.ReadFilter{PostID: p.ID}, t0)
			mustNil(t, err)
			if n != 1 || f.unread(anna) != 0 {
				t.Fatalf("marked %d, unread %d; want 1, 0", n, f.unread(anna))
			}
			// Marking again writes nothing.
			n, err = f.db.MarkNotificationsRead(t.Context(), anna.ID, biebplein.ReadFilter{PostID: p.ID}, t0)
			mustNil(t, err)
			if n != 0 {
				t.Fatalf("marked %d again, want 0", n)
			}
			eva := f.person("Eva Kok", nil)
			f.join(g, eva, biebplein.RoleMember)
			react(eva, biebplein.ReactLike)
			got := f.notifications(anna, biebplein.NotificationFilter{Unread: true})
			if len(got) != 1 || got[0].ActorCount != 4 || got[0].Actor.ID != eva.ID {
				t.Fatalf("after a new reaction: %+v, want one unread line by Eva and 3 others", got)
			}
		})
		t.Run("GroupFanOut", func(t *testing.T) {
			q := f.post(g, bert, "@Leesbevordering vergadering", nil)
			notice := biebplein.Notice{Kind: biebplein.NoticeGroupMention, ActorID: bert.ID, PostID: q.ID, GroupID: g.ID,
				To: biebplein.Audience{MembersOf: g.ID}}
			mustNil(t, f.db.SetAccepted(t.Context(), q.ID, "", notice))
			for _, who := range []*biebplein.Person{anna, carla, dirk} {
				got := f.notifications(who, biebplein.NotificationFilter{Kinds: []biebplein.NoticeKind{biebplein.NoticeGroupMention}})
				if len(got) != 1 || got[0].PostID != q.ID {
					t.Fatalf("%s: group mentions %+v, want one about %s", who.Name, got, q.ID)
				}
			}
			if got := f.notifications(bert, biebplein.NotificationFilter{Kinds: []biebplein.NoticeKind{biebplein.NoticeGroupMention}}); len(got) != 0 {
				t.Fatalf("the author was told of their own mention: %+v", got)
			}
		})
		t.Run("Visibility", func(t *testing.T) {
			s := f.post(secret, bert, "Geheim plan", nil)
			// Carla is named but cannot read the secret group: she sees nothing of it.
			mustNil(t, f.db.SetAccepted(t.Context(), s.ID, "", biebplein.Notice{Kind: biebplein.NoticeMention,
				ActorID: bert.ID, PostID: s.ID, GroupID: secret.ID, To: biebplein.Audience{People: []string{carla.ID, anna.ID}}}))
			if got := f.notifications(carla, biebplein.NotificationFilter{Kinds: []biebplein.NoticeKind{biebplein.NoticeMention}}); len(got) != 0 {
				t.Fatalf("Carla sees a notification about a secret group: %+v", got)
			}
			if got := f.notifications(anna, biebplein.NotificationFilter{Kinds: []biebplein.NoticeKind{biebplein.NoticeMention}}); len(got) != 1 {
				t.Fatalf("Anna (member) sees %d mentions, want 1", len(got))
			}
			// A deleted post takes its notifications with it.
			mustNil(t, f.db.SetPostDeleted(t.Context(), s.ID, &t0, bert.ID))
			if got := f.notifications(anna, biebplein.NotificationFilter{Kinds: []biebplein.NoticeKind{biebplein.NoticeMention}}); len(got) != 0 {
				t.Fatalf("Anna sees a notification about a deleted post: %+v", got)
			}
		})
		t.Run("PrefsAndMail", func(t *testing.T) {
			prefs, err := f.db.FindNoticePrefs(t.Context(), dirk.ID)
			mustNil(t, err)
			if len(prefs) != len(biebplein.NoticeKinds()) || prefs[0] != biebplein.DefaultNoticePref(prefs[0].Kind) {
				t.Fatalf("default prefs = %+v", prefs)
			}
			mustNil(t, f.db.SaveNoticePrefs(t.Context(), dirk.ID, []biebplein.NoticePref{
				{Kind: biebplein.NoticeMention, App: false, Mail: biebplein.MailNever},
			}))
			mustNil(t, f.db.SaveNoticePrefs(t.Context(), carla.ID, []biebplein.NoticePref{
				{Kind: biebplein.NoticeMention, App: true, Mail: biebplein.MailDaily},
			}))
			f.claimAll(t0.Add(time.Hour)) // what earlier tests queued
			m := f.post(g, anna, "Overleg", nil)
			mailAt := t0.Add(5 * time.Minute)
			mustNil(t, f.db.SetAccepted(t.Context(), m.ID, "", biebplein.Notice{Kind: biebplein.NoticeMention,
				ActorID: anna.ID, PostID: m.ID, GroupID: g.ID, At: t0, MailAt: mailAt,
				To: biebplein.Audience{People: []string{bert.ID, carla.ID, dirk.ID}}}))
			if got := f.notifications(dirk, biebplein.NotificationFilter{Kinds: []biebplein.NoticeKind{biebplein.NoticeMention}}); len(got) != 0 {
				t.Fatalf("Dirk turned mentions off but got %+v", got)
			}
			if early := f.claimAll(mailAt.Add(-time.Second)); len(early) != 0 {
				t.Fatalf("claimed %d mails before their time", len(early))
			}
			items := f.claimAll(mailAt)
			if len(items) != 1 || items[0].PersonID != bert.ID || items[0].Kind != biebplein.OutboxNotice {
				t.Fatalf("claimed %+v, want Bert's immediate mail only (Carla: daily, Dirk: off)", items)
			}
			// A second claim while the lease runs gets nothing; after it, the mail again.
			if again := f.claimAll(mailAt.Add(30 * time.Second)); len(again) != 0 {
				t.Fatalf("claimed a leased mail again: %+v", again)
			}
			again := f.claimAll(mailAt.Add(2 * time.Minute))
			if len(again) != 1 || again[0].Attempts != 2 {
				t.Fatalf("after the lease: %+v, want the mail with attempt 2", again)
			}
			wantCode(t, f.db.FinishOutbox(t.Context(), "other", again[0], biebplein.OutboxResult{State: biebplein.OutboxSent}, mailAt),
				biebplein.CodeNotFound)
			mustNil(t, f.db.FinishOutbox(t.Context(), "test", again[0], biebplein.OutboxResult{State: biebplein.OutboxSent}, mailAt))
			st, err := f.db.OutboxStats(t.Context())
			mustNil(t, err)
			if st.Sent != 1 {
				t.Fatalf("stats = %+v, want 1 sent", st)
			}

			// Carla's daily digest holds the mention; a second enqueue adds nothing.
			until := t0.Add(23 * time.Hour) // a first digest looks back one day
			n, err := f.db.EnqueueDigests(t.Context(), biebplein.MailDaily, until)
			mustNil(t, err)
			if n2, err := f.db.EnqueueDigests(t.Context(), biebplein.MailDaily, until); err != nil || n2 != 0 {
				t.Fatalf("second enqueue added %d (%v), want 0", n2, err)
			}
			digests := f.claimAll(until)
			var whom []string
			for _, d := range digests {
				if d.Kind == biebplein.OutboxDigest {
					whom = append(whom, d.PersonID)
					mustNil(t, f.db.FinishOutbox(t.Context(), "test", d, biebplein.OutboxResult{State: biebplein.OutboxSent}, until))
				}
			}
			if n == 0 || !slices.Contains(whom, carla.ID) || slices.Contains(whom, dirk.ID) {
				t.Fatalf("digests for %v (%d enqueued), want Carla's and not Dirk's", whom, n)
			}
			start, err := f.db.DigestStart(t.Context(), carla.ID, biebplein.MailDaily)
			mustNil(t, err)
			wantTime(t, "digest start", start, until)
			// Nothing new since: no digest tomorrow.
			if n, _ := f.db.EnqueueDigests(t.Context(), biebplein.MailDaily, until.Add(24*time.Hour)); n != 0 {
				t.Fatalf("enqueued %d digests with nothing new", n)
			}
		})
		t.Run("Reach", func(t *testing.T) {
			r, err := f.db.CountReach(t.Context(), g.ID, anna.ID, biebplein.NoticeAnnouncement)
			mustNil(t, err)
			if r.People != 4 || r.Mailed != 4 {
				t.Fatalf("reach = %+v, want 4 people, 4 mailed", r)
			}
			mustNil(t, f.db.SaveNoticePrefs(t.Context(), bert.ID, []biebplein.NoticePref{
				{Kind: biebplein.NoticeAnnouncement, App: true, Mail: biebplein.MailNever}}))
			r, err = f.db.CountReach(t.Context(), g.ID, anna.ID, biebplein.NoticeAnnouncement)
			mustNil(t, err)
			if r.People != 4 || r.Mailed != 3 {
				t.Fatalf("reach = %+v, want 4 people, 3 mailed", r)
			}
		})
		t.Run("Cursor", func(t *testing.T) {
			all := f.notifications(anna, biebplein.NotificationFilter{})
			var paged []*biebplein.Notification
			filter := biebplein.NotificationFilter{Viewer: f.viewer(anna), Limit: 1}
			for {
				page, next, err := f.db.FindNotifications(t.Context(), filter)
				mustNil(t, err)
				paged = append(paged, page...)
				if next == "" {
					break
				}
				filter.After = next
			}
			if len(paged) != len(all) || len(all) < 2 {
				t.Fatalf("paged %d, all %d (want equal, at least 2)", len(paged), len(all))
			}
			filter.After = "nonsense"
			_, _, err := f.db.FindNotifications(t.Context(), filter)
			wantCode(t, err, biebplein.CodeInvalid, "error.cursor_invalid")
		})
	})
}

func TestPruneNotifications(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna, bert := f.person("Anna de Vries", nil), f.person("Bert Jansen", nil)
		g := f.group("Leesbevordering", biebplein.VisNetwork, anna, bert)
		tell := func(body string) *biebplein.Post {
			p := f.post(g, anna, body, nil)
			mustNil(t, f.db.SetAccepted(t.Context(), p.ID, "", biebplein.Notice{Kind: biebplein.NoticeMention, ActorID: anna.ID,
				PostID: p.ID, GroupID: g.ID, At: t0, To: biebplein.Audience{People: []string{bert.ID}}}))
			return p
		}
		old, unread := tell("Oud"), tell("Ongelezen")
		// Bert's mail about the old one was sent; he read it long ago.
		for _, it := range f.claimAll(t0) {
			mustNil(t, f.db.FinishOutbox(t.Context(), "test", it, biebplein.OutboxResult{State: biebplein.OutboxSent}, t0))
		}
		_, err := f.db.MarkNotificationsRead(t.Context(), bert.ID, biebplein.ReadFilter{PostID: old.ID}, t0)
		mustNil(t, err)
		n, err := f.db.PruneNotifications(t.Context(), t0.Add(time.Hour), t0.Add(time.Hour))
		mustNil(t, err)
		if n != 3 { // two sent mails, one read notification
			t.Fatalf("pruned %d rows, want 3", n)
		}
		got := f.notifications(bert, biebplein.NotificationFilter{})
		if len(got) != 1 || got[0].PostID != unread.ID {
			t.Fatalf("left %+v, want only the unread notification", got)
		}
	})
}
