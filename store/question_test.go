package store_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

const day = 24 * time.Hour

func TestEnsureQuestionSpace(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		ctx := t.Context()
		// A group already has the name: the space is made beside it.
		anna := f.person("Anna de Vries", nil)
		f.group("Vraag en antwoord", biebplein.VisSecret, anna)
		id, err := f.db.EnsureQuestionSpace(ctx, "Vraag en antwoord", "Stel uw vraag")
		mustNil(t, err)
		again, err := f.db.EnsureQuestionSpace(ctx, "Vraag en antwoord", "Stel uw vraag")
		mustNil(t, err)
		if again != id || id == "" {
			t.Fatalf("ensured %q then %q, want the same space twice", id, again)
		}
		g := MustFindGroup(t, f.db, id)
		if !g.Questions || g.Visibility != biebplein.VisNetwork || g.MemberCount != 0 || g.Name != "Vraag en antwoord (netwerk)" {
			t.Fatalf("space = %+v, want a network group without members marked as the questions space", g)
		}
		// Several at once still make one.
		var wg sync.WaitGroup
		ids, errs := make([]string, 4), make([]error, 4)
		for i := range ids {
			wg.Go(func() {
				ids[i], errs[i] = f.db.EnsureQuestionSpace(ctx, "Iets anders", "")
			})
		}
		wg.Wait()
		mustNil(t, errors.Join(errs...))
		for _, got := range ids {
			if got != id {
				t.Fatalf("concurrent ensure gave %v, want %s each time", ids, id)
			}
		}
	})
}

func TestFindReaders(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		ctx := t.Context()
		partnerOrg := MustCreateOrganisation(t, f.db, "Basisschool De Linde", biebplein.OrgPartner, f.haarlem.ID)
		anna := f.person("Anna de Vries", nil)
		vol := f.person("Vera Vrijwilliger", func(p *biebplein.Person) { p.Kind = biebplein.KindVolunteer })
		partner := f.person("Piet Partner", func(p *biebplein.Person) {
			p.Kind, p.Organisation.ID = biebplein.KindPartner, partnerOrg.ID
		})
		admin := f.person("Ad Beheer", func(p *biebplein.Person) { p.Admin = true })
		gone := f.person("Gert Weg", nil)
		mustNil(t, f.db.SetDeactivated(ctx, gone.ID, &t0))
		leiden := f.person("Lies Leiden", func(p *biebplein.Person) { p.Organisation.ID = f.leiden.ID })
		everyone := []string{anna.ID, vol.ID, partner.ID, admin.ID, gone.ID, leiden.ID, "unknown"}

		network := f.group("Netwerk", biebplein.VisNetwork, anna)
		org := f.group("Haarlem intern", biebplein.VisOrganisation, anna)
		closed := f.group("Dicht", biebplein.VisClosed, anna, partner)
		secret := f.group("Geheim", biebplein.VisSecret, anna)
		for _, c := range []struct {
			g    *biebplein.Group
			want []string
		}{
			{network, []string{anna.ID, vol.ID, admin.ID, leiden.ID}},
			{org, []string{anna.ID, vol.ID, admin.ID}},
			{closed, []string{anna.ID, partner.ID, admin.ID}},
			{secret, []string{anna.ID}},
		} {
			got, err := f.db.FindReaders(ctx, c.g.ID, everyone)
			mustNil(t, err)
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: readers %v, want %v", c.g.Name, got, c.want)
			}
		}
		_, err := f.db.FindReaders(ctx, "unknown", everyone)
		wantCode(t, err, biebplein.CodeNotFound)
	})
}

func TestAskedPeople(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		carla := f.person("Carla Smit", nil)
		g := f.group("Leesbevordering", biebplein.VisNetwork, anna)
		q := f.post(g, anna, "Hoe doet u dat? #voorlezen", func(p *biebplein.Post) {
			p.Kind = biebplein.KindQuestion
			p.Asked = []biebplein.PersonRef{{ID: carla.ID}, {ID: bert.ID}}
		})
		// The notice as the service writes it, in the post's transaction.
		q2 := &biebplein.Post{Group: biebplein.GroupRef{ID: g.ID}, Author: biebplein.PersonRef{ID: anna.ID},
			Kind: biebplein.KindQuestion, Body: "Tweede", HTML: "<p>Tweede</p>", Text: "Tweede", CreatedAt: t0.Add(time.Hour),
			Asked: []biebplein.PersonRef{{ID: bert.ID}}}
		mustNil(t, f.db.CreatePost(t.Context(), q2, biebplein.Notice{Kind: biebplein.NoticeAsked, ActorID: anna.ID, GroupID: g.ID,
			To: biebplein.Audience{People: []string{bert.ID}}, At: t0.Add(time.Hour)}))

		if got := []string{q.Asked[0].Name, q.Asked[1].Name}; !slices.Equal(got, []string{carla.Name, bert.Name}) {
			t.Errorf("CreatePost filled the asked names %v", got)
		}
		st, err := f.db.FindQuestionState(t.Context(), q.ID)
		mustNil(t, err)
		if len(st.Asked) != 2 || st.Asked[0].ID != carla.ID || st.Asked[1].Name != bert.Name || st.EscalatedAt != nil {
			t.Fatalf("state = %+v, want Carla then Bert, not escalated", st)
		}
		got := f.notifications(bert, biebplein.NotificationFilter{})
		if len(got) != 1 || got[0].Kind != biebplein.NoticeAsked || got[0].PostID != q2.ID || got[0].Actor.ID != anna.ID {
			t.Fatalf("Bert's notifications = %+v, want one 'asked' about the second question", got)
		}
		// Asked is a kind e-mailed at once by default.
		mails := f.claimAll(t0.Add(2 * time.Hour))
		if len(mails) != 1 || mails[0].PersonID != bert.ID || mails[0].NotificationID != got[0].ID {
			t.Fatalf("outbox = %+v, want Bert's mail about the question", mails)
		}
		_, err = f.db.FindQuestionState(t.Context(), "unknown")
		wantCode(t, err, biebplein.CodeNotFound)
	})
}

func TestEscalation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		ctx := t.Context()
		other := MustCreateOrganisation(t, f.db, "Rijnbrink", biebplein.OrgSupport, "")
		advisor := func(name string, org *biebplein.Organisation, tags ...string) *biebplein.Person {
			return f.person(name, func(p *biebplein.Person) {
				p.Organisation.ID, p.Advisor, p.Expertise = org.ID, true, tags
			})
		}
		ada := advisor("Ada Adviseur", f.support, "Voorlezen")
		bas := advisor("Bas Adviseur", f.support)
		cas := advisor("Cas Vertrokken", f.support, "voorlezen")
		mustNil(t, f.db.SetDeactivated(ctx, cas.ID, &t0))
		advisor("Dora Elders", other, "voorlezen")
		f.person("Eef Geen Adviseur", func(p *biebplein.Person) { p.Organisation.ID, p.Expertise = f.support.ID, []string{"voorlezen"} })
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)

		t.Run("Advisors", func(t *testing.T) {
			got, err := f.db.FindAdvisors(ctx, biebplein.AdvisorFilter{OrganisationID: f.support.ID, Topics: []string{"voorlezen"}})
			mustNil(t, err)
			if !slices.Equal(got, []string{ada.ID}) {
				t.Errorf("advisors for voorlezen = %v, want Ada", got)
			}
			got, err = f.db.FindAdvisors(ctx, biebplein.AdvisorFilter{OrganisationID: f.support.ID})
			mustNil(t, err)
			if !slices.Equal(got, []string{ada.ID, bas.ID}) {
				t.Errorf("all advisors = %v, want Ada and Bas", got)
			}
		})

		g := f.group("Leesbevordering", biebplein.VisNetwork, anna, bert)
		secret := f.group("Geheim", biebplein.VisSecret, anna)
		question := func(g *biebplein.Group, body string, age time.Duration) *biebplein.Post {
			return f.post(g, anna, body, func(p *biebplein.Post) {
				p.Kind, p.Topics, p.CreatedAt = biebplein.KindQuestion, []string{"voorlezen"}, t0.Add(-age)
			})
		}
		open := question(g, "Open", 10*day)
		selfOnly := question(g, "Alleen eigen aanvulling", 9*day)
		f.comment(selfOnly, anna, "Nog een detail", "")
		answered := question(g, "Beantwoord", 8*day)
		f.comment(answered, bert, "Zo!", "")
		young := question(g, "Te jong", 2*day)
		ancient := question(g, "Te oud", 60*day)
		inSecret := question(secret, "Geheim", 7*day)
		f.post(g, anna, "Geen vraag", func(p *biebplein.Post) { p.CreatedAt = t0.Add(-10 * day) })

		filter := biebplein.EscalationFilter{Before: t0.Add(-5 * day), After: t0.Add(-5*day - biebplein.EscalateWindow)}
		ids := func() []string {
			t.Helper()
			list, err := f.db.FindEscalations(ctx, filter)
			mustNil(t, err)
			var out []string
			for _, e := range list {
				out = append(out, e.PostID)
				if e.AuthorID != anna.ID || e.OrganisationID != f.haarlem.ID || !slices.Equal(e.Topics, []string{"voorlezen"}) {
					t.Errorf("escalation %+v: want Anna of Haarlem with topic voorlezen", e)
				}
			}
			return out
		}
		t.Run("OnlyOldUnanswered", func(t *testing.T) {
			want := []string{open.ID, selfOnly.ID, inSecret.ID}
			if got := ids(); !slices.Equal(got, want) {
				t.Fatalf("to escalate %v, want open, self-only, secret (oldest first); not %s %s %s",
					got, answered.ID, young.ID, ancient.ID)
			}
		})
		t.Run("Pages", func(t *testing.T) {
			page := filter
			page.Limit = 1
			var got []string
			for range 5 {
				list, err := f.db.FindEscalations(ctx, page)
				mustNil(t, err)
				if len(list) == 0 {
					break
				}
				if len(list) != 1 {
					t.Fatalf("a page of %d, want 1", len(list))
				}
				got = append(got, list[0].PostID)
				page.Next = list[0]
			}
			if want := []string{open.ID, selfOnly.ID, inSecret.ID}; !slices.Equal(got, want) {
				t.Fatalf("paged through %v, want %v", got, want)
			}
		})
		t.Run("OnlyReaders", func(t *testing.T) {
			got, err := f.db.FindReaders(ctx, secret.ID, []string{ada.ID, bas.ID})
			mustNil(t, err)
			if len(got) != 0 {
				t.Fatalf("advisors reading the secret group: %v, want none", got)
			}
		})
		notice := func(p *biebplein.Post, to ...string) biebplein.Notice {
			return biebplein.Notice{Kind: biebplein.NoticeEscalated, ActorID: anna.ID, PostID: p.ID, GroupID: p.Group.ID,
				To: biebplein.Audience{People: to}, At: t0}
		}
		t.Run("Once", func(t *testing.T) {
			// Two instances at the same moment: one escalates, the other finds it done.
			var wg sync.WaitGroup
			done := make([]bool, 2)
			errs := make([]error, 2)
			for i := range done {
				wg.Go(func() { done[i], errs[i] = f.db.EscalateQuestion(ctx, open.ID, t0, notice(open, ada.ID)) })
			}
			wg.Wait()
			mustNil(t, errs[0])
			mustNil(t, errs[1])
			if done[0] == done[1] {
				t.Fatalf("escalated %v, want exactly one of two", done)
			}
			again, err := f.db.EscalateQuestion(ctx, open.ID, t0.Add(time.Hour), notice(open, ada.ID, bas.ID))
			mustNil(t, err)
			if again {
				t.Fatal("a question was escalated twice")
			}
			got := f.notifications(ada, biebplein.NotificationFilter{Kinds: []biebplein.NoticeKind{biebplein.NoticeEscalated}})
			if len(got) != 1 || got[0].PostID != open.ID || got[0].ActorCount != 1 {
				t.Fatalf("Ada's escalations = %+v, want one about the open question", got)
			}
			if n := f.notifications(bas, biebplein.NotificationFilter{}); len(n) != 0 {
				t.Fatalf("Bas was told %d times by the refused second escalation", len(n))
			}
			st, err := f.db.FindQuestionState(ctx, open.ID)
			mustNil(t, err)
			if st.EscalatedAt == nil || !st.EscalatedAt.Equal(t0.Truncate(time.Microsecond)) {
				t.Fatalf("escalated at %v, want %v", st.EscalatedAt, t0)
			}
			if slices.Contains(ids(), open.ID) {
				t.Fatal("an escalated question is still to escalate")
			}
		})
		t.Run("NotWhenAnsweredMeanwhile", func(t *testing.T) {
			f.comment(selfOnly, bert, "Net op tijd", "")
			done, err := f.db.EscalateQuestion(ctx, selfOnly.ID, t0, notice(selfOnly, ada.ID))
			mustNil(t, err)
			if done {
				t.Fatal("a question answered after it was listed was escalated")
			}
			if n := f.notifications(ada, biebplein.NotificationFilter{Kinds: []biebplein.NoticeKind{biebplein.NoticeEscalated}}); len(n) != 1 {
				t.Fatalf("Ada has %d escalations, want still 1", len(n))
			}
		})
	})
}
