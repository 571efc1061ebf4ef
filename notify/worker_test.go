package notify_test

import (
	"context"
	"crypto/tls"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/mail"
	"github.com/biebplein/biebplein/mail/mailtest"
	"github.com/biebplein/biebplein/notify"
	"github.com/biebplein/biebplein/service"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// clock is a settable time source shared by the service and the workers.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	t      *testing.T
	dsn    string
	db     *store.DB
	svc    *service.Service
	clock  *clock
	smtp   *mailtest.Server
	bundle *i18n.Bundle
	lib    *biebplein.Organisation
	group  *biebplein.Group
	anna   *biebplein.Person // group admin, writes
	bert   *biebplein.Person // member
	carla  *biebplein.Person // member, English
}

// newFixture makes a network of one library with a group of three on a fresh database, and
// an SMTP server with STARTTLS and a password, as a mail provider would have.
func newFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	f := &fixture{t: t, dsn: storetest.DSN(t, dialect), clock: &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}}
	f.db = f.open()
	f.smtp = mailtest.Start(t, mailtest.Options{TLS: true, Username: "biebplein", Password: "geheim"})
	var err error
	if f.bundle, err = i18n.Load(); err != nil {
		t.Fatal(err)
	}
	f.svc = service.New(f.db, service.Options{BaseURL: "https://plein.example", Password: auth.FastParams, Now: f.clock.Now})
	sys := service.System(context.Background())
	root, err := f.svc.CreateOrganisation(sys, biebplein.OrganisationInput{Name: "Biebnet", Kind: biebplein.OrgSupport})
	if err != nil {
		t.Fatal(err)
	}
	if f.lib, err = f.svc.CreateOrganisation(sys, biebplein.OrganisationInput{Name: "Bibliotheek Hoeksmeer", Kind: biebplein.OrgLibrary, ParentID: root.ID}); err != nil {
		t.Fatal(err)
	}
	f.anna, f.bert, f.carla = f.person("Anna de Vries"), f.person("Bert Jansen"), f.person("Carla Smit")
	en := biebplein.LocaleEN
	if _, err := f.svc.UpdateProfile(f.as(f.carla), f.carla.ID, biebplein.ProfileUpdate{Locale: &en}); err != nil {
		t.Fatal(err)
	}
	if f.group, err = f.svc.CreateGroup(f.as(f.anna), biebplein.GroupInput{Name: "Leesbevordering", Visibility: biebplein.VisNetwork}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*biebplein.Person{f.bert, f.carla} {
		if _, err := f.svc.JoinGroup(f.as(p), f.group.ID); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// open opens the fixture's database, as another instance would.
func (f *fixture) open() *store.DB {
	f.t.Helper()
	db, err := store.Open(context.Background(), f.dsn, store.Options{Migrate: true})
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { db.Close() })
	return db
}

func tlsConfig(s *mailtest.Server) *tls.Config {
	return &tls.Config{RootCAs: s.RootCAs(), ServerName: s.Host()}
}

func (f *fixture) person(name string) *biebplein.Person {
	f.t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@hoeksmeer.example"
	p, _, err := f.svc.CreatePerson(service.System(context.Background()), biebplein.PersonInput{Email: email, Name: name,
		Kind: biebplein.KindStaff, OrganisationID: f.lib.ID, Password: "wachtwoord-123"})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) as(p *biebplein.Person) context.Context {
	fresh, err := f.db.FindPersonByID(context.Background(), p.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return biebplein.NewContext(context.Background(), fresh)
}

// worker returns a worker on the fixture's clock sending to its SMTP server.
func (f *fixture) worker(db biebplein.Store) *notify.Worker {
	f.t.Helper()
	sender := mail.NewSMTP(mail.Config{Host: f.smtp.Host(), Port: f.smtp.Port(), Security: mail.SecurityStartTLS,
		Username: "biebplein", Password: "geheim", From: "Biebplein <noreply@plein.example>",
		TLS: tlsConfig(f.smtp), Timeout: 5 * time.Second})
	w, err := notify.New(db, sender, f.bundle, notify.Options{BaseURL: "https://plein.example", Now: f.clock.Now})
	if err != nil {
		f.t.Fatal(err)
	}
	return w
}

func (f *fixture) run(w *notify.Worker) int {
	f.t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		f.t.Fatalf("RunOnce: %v", err)
	}
	return n
}

func (f *fixture) post(author *biebplein.Person, body string) *biebplein.Post {
	f.t.Helper()
	p, err := f.svc.CreatePost(f.as(author), biebplein.PostInput{GroupID: f.group.ID, Body: body})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func forEachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

func TestImmediateMail(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		w := f.worker(f.db)
		p := f.post(f.anna, "Wie leest er mee? @Bert Jansen en @Carla Smit, graag voor vrijdag.")

		if n := f.run(w); n != 0 {
			t.Fatalf("sent %d mails at once, want none before the delay", n)
		}
		// Bert opens the post within the delay: his mail is dropped.
		if _, err := f.svc.Post(f.as(f.bert), p.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MarkNotificationsRead(f.as(f.bert), biebplein.ReadFilter{PostID: p.ID}); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(service.DefaultMailDelay)
		if n := f.run(w); n != 1 {
			t.Fatalf("sent %d mails after the delay, want 1 (Carla; Bert saw it)", n)
		}
		got := f.smtp.Wait(t, 1, 5*time.Second)[0]
		if got.To[0] != f.carla.Email || !got.TLS || got.Username != "biebplein" {
			t.Fatalf("mail to %v (TLS %v, user %q), want Carla over STARTTLS with AUTH", got.To, got.TLS, got.Username)
		}
		// Carla reads English.
		if want := "Anna de Vries mentioned you in Leesbevordering"; got.Subject != want {
			t.Errorf("subject = %q, want %q", got.Subject, want)
		}
		for _, part := range []string{got.Text, got.HTML} {
			if !strings.Contains(part, "graag voor vrijdag") || !strings.Contains(part, "https://plein.example/posts/"+p.ID) {
				t.Errorf("mail part lacks the post text or link:\n%s", part)
			}
		}
		unsub := got.Header.Get("List-Unsubscribe")
		if !strings.HasPrefix(unsub, "<https://plein.example/unsubscribe/") || got.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe = %q, -Post = %q", unsub, got.Header.Get("List-Unsubscribe-Post"))
		}
		if !strings.Contains(got.Text, strings.Trim(unsub, "<>")) {
			t.Errorf("the unsubscribe link is not in the text part")
		}
		// The link stops mentions by e-mail for Carla, and nothing else.
		token := strings.TrimPrefix(strings.Trim(unsub, "<>"), "https://plein.example/unsubscribe/")
		if _, err := f.svc.Unsubscribe(context.Background(), token); err != nil {
			t.Fatalf("Unsubscribe: %v", err)
		}
		prefs, err := f.db.FindNoticePrefs(context.Background(), f.carla.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range prefs {
			want := biebplein.DefaultNoticePref(pr.Kind)
			if pr.Kind == biebplein.NoticeMention {
				want.Mail = biebplein.MailNever
			}
			if pr != want {
				t.Errorf("after unsubscribing: %+v, want %+v", pr, want)
			}
		}
		if n := f.run(w); n != 0 || len(f.smtp.Messages()) != 1 {
			t.Fatalf("a second run sent %d more", n)
		}
	})
}

func TestPrivacyLeavesTextOut(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		sys := service.System(context.Background())
		hide := true
		if _, err := f.svc.UpdateOrganisation(sys, f.lib.ID, biebplein.OrganisationInput{Name: f.lib.Name, Kind: f.lib.Kind,
			ParentID: f.lib.ParentID, MailHideText: &hide}); err != nil {
			t.Fatal(err)
		}
		f.post(f.anna, "Vertrouwelijk: @Bert Jansen de begroting staat in de map.")
		q := f.post(f.carla, "Vraag over de cijfers")
		if _, err := f.svc.CreateComment(f.as(f.anna), q.ID, "", "@Carla Smit de begroting is rond."); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(service.DefaultMailDelay)
		f.run(f.worker(f.db))
		for _, got := range f.smtp.Wait(t, 2, 5*time.Second) {
			for _, part := range []string{got.Subject, got.Text, got.HTML} {
				if strings.Contains(part, "begroting") {
					t.Fatalf("post or comment text in the mail of an organisation that keeps it out:\n%s", part)
				}
			}
			if !strings.Contains(got.Text, "/posts/") {
				t.Fatalf("no link in the mail:\n%s", got.Text)
			}
		}
	})
}

// The SMTP server is down while notifications are made: mail waits, and once the server is
// back every mail arrives exactly once, also with two workers (instances) at it.
func TestOutageDelaysNeverLoses(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		w1, w2 := f.worker(f.db), f.worker(f.open())

		f.smtp.Stop()
		const posts = 6
		for i := range posts {
			f.post(f.anna, "Bericht "+string(rune('A'+i))+" voor @Bert Jansen en @Carla Smit")
		}
		f.clock.Add(service.DefaultMailDelay)
		if n := f.run(w1); n != 0 {
			t.Fatalf("sent %d with the server down", n)
		}
		st, err := f.db.OutboxStats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st.Pending != 2*posts {
			t.Fatalf("outbox after a failed run: %+v, want %d pending", st, 2*posts)
		}
		f.smtp.Restart(t)
		f.clock.Add(time.Hour) // past any back-off
		var wg sync.WaitGroup
		for _, w := range []*notify.Worker{w1, w2} {
			wg.Go(func() {
				if _, err := w.RunOnce(context.Background()); err != nil {
					t.Errorf("RunOnce: %v", err)
				}
			})
		}
		wg.Wait()
		msgs := f.smtp.Wait(t, 2*posts, 10*time.Second)
		seen := map[string]int{}
		for _, m := range msgs {
			seen[m.To[0]+" "+m.Header.Get("Message-Id")]++
		}
		if len(msgs) != 2*posts || len(seen) != 2*posts {
			t.Fatalf("got %d mails, %d distinct, want %d each exactly once", len(msgs), len(seen), 2*posts)
		}
		if st, _ := f.db.OutboxStats(context.Background()); st.Pending != 0 || st.Sent != 2*posts {
			t.Fatalf("outbox at the end: %+v", st)
		}
	})
}

func TestDigest(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		w := f.worker(f.db)
		// Bert wants replies and reactions in his daily digest.
		if err := f.svc.SaveNoticePrefs(f.as(f.bert), []biebplein.NoticePref{
			{Kind: biebplein.NoticeReply, App: true, Mail: biebplein.MailDaily},
			{Kind: biebplein.NoticeReaction, App: true, Mail: biebplein.MailDaily},
		}); err != nil {
			t.Fatal(err)
		}
		mine := f.post(f.bert, "Mijn vraag over de Voorleesexpress")
		seen := f.post(f.bert, "Al gelezen")
		for _, p := range []*biebplein.Person{f.anna, f.carla} {
			if _, err := f.svc.CreateComment(f.as(p), mine.ID, "", "Goed idee"); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.React(f.as(p), mine.ID, biebplein.ReactLike, true); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.React(f.as(p), seen.ID, biebplein.ReactLike, true); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.svc.MarkNotificationsRead(f.as(f.bert), biebplein.ReadFilter{PostID: seen.ID}); err != nil {
			t.Fatal(err)
		}
		// The next morning at 7 (Amsterdam) the digest goes out.
		f.clock.Add(22 * time.Hour)
		f.run(w)
		var digest *mailtest.Received
		for _, m := range f.smtp.Wait(t, 1, 5*time.Second) {
			if m.To[0] == f.bert.Email {
				digest = m
			}
		}
		if digest == nil {
			t.Fatalf("no digest for Bert among %d mails", len(f.smtp.Messages()))
		}
		if want := "Uw dagelijkse overzicht: 2 nieuwe meldingen"; digest.Subject != want {
			t.Errorf("subject = %q, want %q", digest.Subject, want)
		}
		for _, want := range []string{"== Leesbevordering ==", "Carla Smit en 1 ander reageerden", "Goed idee", "/posts/" + mine.ID} {
			if !strings.Contains(digest.Text, want) {
				t.Errorf("digest text lacks %q:\n%s", want, digest.Text)
			}
		}
		if strings.Contains(digest.Text, seen.ID) {
			t.Errorf("the digest repeats what Bert already read:\n%s", digest.Text)
		}
		// Nothing new: the next day brings no digest.
		before := len(f.smtp.Messages())
		f.clock.Add(24 * time.Hour)
		f.run(w)
		for _, m := range f.smtp.Messages()[before:] {
			if m.To[0] == f.bert.Email {
				t.Fatalf("a second digest with nothing new: %s", m.Subject)
			}
		}
	})
}

func TestDigestSlot(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	// Wednesday 2 December 2026, 06:30 UTC = 07:30 in Amsterdam.
	now := time.Date(2026, 12, 2, 6, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		period biebplein.MailPref
		now    time.Time
		want   time.Time
	}{
		{biebplein.MailDaily, now, time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)},
		{biebplein.MailDaily, now.Add(-time.Hour), time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)},
		{biebplein.MailWeekly, now, time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)},
		// Summer time: 07:00 in Amsterdam is 05:00 UTC.
		{biebplein.MailDaily, time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 5, 0, 0, 0, time.UTC)},
	} {
		if got := notify.DigestSlot(tc.now, tc.period, 7, ams); !got.Equal(tc.want) {
			t.Errorf("DigestSlot(%v, %s) = %v, want %v", tc.now, tc.period, got, tc.want)
		}
	}
}

func TestRetryDelay(t *testing.T) {
	for attempts, want := range map[int]time.Duration{1: 15 * time.Second, 2: 30 * time.Second, 3: time.Minute, 12: time.Hour} {
		if got := notify.RetryDelay(attempts); got != want {
			t.Errorf("RetryDelay(%d) = %v, want %v", attempts, got, want)
		}
	}
}

// An invitation made by an administrator goes out by e-mail with its link; a newer link
// replaces a waiting mail with the older one.
func TestInvitationMail(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		sys := service.System(context.Background())
		p, first, err := f.svc.CreatePerson(sys, biebplein.PersonInput{Email: "nieuw@hoeksmeer.example", Name: "Nieuwe Vrijwilliger",
			Kind: biebplein.KindVolunteer, OrganisationID: f.lib.ID})
		if err != nil {
			t.Fatal(err)
		}
		link, err := f.svc.Reinvite(sys, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := f.run(f.worker(f.db)); n != 1 {
			t.Fatalf("sent %d invitations, want 1 (the newest link only)", n)
		}
		got := f.smtp.Wait(t, 1, 5*time.Second)[0]
		if got.To[0] != p.Email || got.Subject != "Uw account op Biebplein" {
			t.Fatalf("mail to %v: %q", got.To, got.Subject)
		}
		if !strings.Contains(got.Text, link) || strings.Contains(got.Text, first) || !strings.Contains(got.HTML, link) {
			t.Fatalf("the mail does not hold the newest link %s (old %s):\n%s", link, first, got.Text)
		}
		if got.Header.Get("List-Unsubscribe") != "" {
			t.Errorf("an invitation has an unsubscribe header")
		}
	})
}
