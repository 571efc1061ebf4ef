package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/service"
)

var (
	countBadge    = regexp.MustCompile(`id="notification-count">([^<]*)<`)
	noticeIDField = regexp.MustCompile(`name="id" value="([0-9]+)"`)
)

// headerCount is the unread count the header shows: 0 when the badge is hidden.
func headerCount(t *testing.T, r *response) int {
	t.Helper()
	if !strings.Contains(r.Body, `id="notifications-link"`) {
		t.Fatalf("no notifications link in the header:\n%s", r.Body[:min(len(r.Body), 2000)])
	}
	m := countBadge.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no notification count element")
	}
	hidden := strings.Contains(r.Body, `<span class="notification-count" hidden>`)
	if m[1] == "" {
		if !hidden {
			t.Errorf("an empty count is not hidden")
		}
		return 0
	}
	if hidden {
		t.Errorf("count %q is hidden", m[1])
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatalf("count %q", m[1])
	}
	return n
}

// TestNotifications: mentions and reactions made through the service and over HTTP show as
// grouped sentences, counted in the header of every page; opening the post, a button per
// line and "mark all" read them; the unread filter and older pages.
func TestNotifications(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		g := s.mustGroup(s.staff, "Leesbevordering", biebplein.VisNetwork, "")
		s.mustJoin(s.staff, s.vol, g)
		s.mustJoin(s.staff, s.admin, g)
		staff, vol := s.signedIn(s.staff), s.signedIn(s.vol)

		wantBody(t, "no notifications", staff.get("/notifications"), text("nl", "web.notify.empty"))
		if n := headerCount(t, staff.get("/")); n != 0 {
			t.Fatalf("count before anything happened = %d", n)
		}

		// A mention over HTTP and one in a comment through the service: one line, two people.
		r := vol.postMultipart(groupURL(g.ID)+"/posts", url.Values{"kind": {"post"},
			"body": {"Wie helpt mee, @Sam Leesconsulent? We zoeken voorlezers voor de Nationale Voorleesdagen in januari en de Kinderboekenweek."}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("post: %d\n%s", r.Status, excerpt(r.Body))
		}
		mentioned := r.Location[strings.Index(r.Location, "#post-")+6:]
		if _, err := s.svc.CreateComment(as(s.admin), mentioned, "", "Goed plan, @Sam Leesconsulent!"); err != nil {
			t.Fatal(err)
		}
		// Two reactions on Sam's own post.
		own := s.mustPost(s.staff, g, biebplein.KindPost, "Nieuwe prentenboeken binnen")
		wantStatus(t, "react", vol.post(postURL(own.ID)+"/react", url.Values{"kind": {"like"}, "on": {"1"}}), http.StatusSeeOther)
		if err := s.svc.React(as(s.admin), own.ID, biebplein.ReactThanks, true); err != nil {
			t.Fatal(err)
		}

		r = staff.get("/notifications")
		wantStatus(t, "list", r, http.StatusOK)
		wantBody(t, "list", r,
			"Anne Beheer en 1 andere reageerden op uw bericht “Nieuwe prentenboeken binnen” in Leesbevordering",
			"Anne Beheer en 1 andere noemden u bij het bericht “Wie helpt mee, @Sam Leesconsulent? We zoeken voorlezers voor de Nationale…” in Leesbevordering",
			`href="`+postURL(own.ID)+`"`, `href="`+postURL(mentioned)+`#comment-`,
			text("nl", "web.notify.unread_badge"), text("nl", "web.notify.mark_read"), text("nl", "web.notify.read_all"),
			text("nl", "web.ago.now"), `<a href="/settings/notifications">`)
		if i, j := strings.Index(r.Body, "reageerden op uw bericht"), strings.Index(r.Body, "noemden u"); i < 0 || j < 0 || i > j {
			t.Errorf("the most recent change is not first")
		}
		if n := headerCount(t, r); n != 2 {
			t.Errorf("header count = %d, want 2", n)
		}
		wantBody(t, "header for screen readers", r, `<span class="visually-hidden"> `+text("nl", "web.nav.unread")+`</span>`)
		if n := headerCount(t, staff.get("/groups")); n != 2 {
			t.Errorf("count on another page = %d, want 2", n)
		}

		// Opening the post reads what was told about it, and the header on that page says so.
		r = staff.get(postURL(mentioned))
		wantStatus(t, "post", r, http.StatusOK)
		if n := headerCount(t, r); n != 1 {
			t.Errorf("count on the opened post = %d, want 1", n)
		}
		r = staff.get("/notifications?unread=1")
		wantBody(t, "unread only", r, "reageerden op uw bericht")
		notBody(t, "unread only", r, "noemden u")
		wantBody(t, "all", staff.get("/notifications"), "noemden u")

		// Mark one read with its button: back to the list it was on.
		r = staff.get("/notifications?unread=1")
		id := firstMatch(t, noticeIDField, r.Body)
		wantRedirect(t, "mark read", staff.post("/notifications/read", url.Values{"id": {id}, "next": {"/notifications?unread=1"}}), "/notifications?unread=1")
		r = staff.get("/notifications?unread=1")
		wantBody(t, "nothing unread", r, text("nl", "web.notify.empty_unread"))
		if n := headerCount(t, r); n != 0 {
			t.Errorf("count after reading all = %d", n)
		}
		notBody(t, "nothing unread", r, text("nl", "web.notify.read_all"))

		// Something new, then "mark all"; without a form token it is refused.
		if _, err := s.svc.CreateComment(as(s.staff), mentioned, "", "Ik help graag."); err != nil {
			t.Fatal(err)
		}
		if n := headerCount(t, vol.get("/")); n != 1 {
			t.Errorf("Vera's count = %d, want 1", n)
		}
		wantStatus(t, "mark all without token", vol.post("/notifications/read", url.Values{"csrf": {"x"}}), http.StatusForbidden)
		wantRedirect(t, "mark all", vol.post("/notifications/read", nil), "/notifications")
		if n := headerCount(t, vol.get("/notifications")); n != 0 {
			t.Errorf("count after mark all = %d", n)
		}
		wantRedirect(t, "mark read goes back to this site only",
			vol.post("/notifications/read", url.Values{"next": {"//evil.example/"}}), "/notifications")

		// Older pages.
		s.server.pageSize = 2
		defer func() { s.server.pageSize = 20 }()
		for i := range 3 {
			s.mustPost(s.vol, g, biebplein.KindPost, "Bericht "+strconv.Itoa(i)+" voor @Sam Leesconsulent")
		}
		r = staff.get("/notifications")
		wantBody(t, "first page", r, "Bericht 2 voor", "Bericht 1 voor", text("nl", "web.notify.older"))
		notBody(t, "first page", r, "Bericht 0 voor")
		next := firstMatch(t, regexp.MustCompile(`href="([^"]+)" rel="next"`), r.Body)
		r = staff.get(strings.ReplaceAll(next, "&amp;", "&"))
		wantBody(t, "second page", r, "Bericht 0 voor", text("nl", "web.notify.newest"))
		notBody(t, "second page", r, "Bericht 2 voor")
		wantStatus(t, "a cursor not handed out", staff.get("/notifications?after=bogus"), http.StatusBadRequest)
		if n := headerCount(t, r); n != 3 {
			t.Errorf("count = %d, want 3", n)
		}

		// The same in English.
		r = s.signedInIn(s.staff, "en").get(strings.ReplaceAll(next, "&amp;", "&"))
		wantBody(t, "English", r, "Anne Beheer and 1 other reacted to your post “Nieuwe prentenboeken binnen” in Leesbevordering",
			`<span class="visually-hidden"> unread</span>`)
	})
}

// signedInIn signs p in with the interface in locale.
func (s *site) signedInIn(p *biebplein.Person, locale string) *client {
	s.t.Helper()
	c := s.signedIn(p)
	c.get("/profile")
	r := c.post("/profile", url.Values{"name": {p.Name}, "locale": {locale}})
	if r.Status != http.StatusSeeOther {
		s.t.Fatalf("set locale: %d", r.Status)
	}
	c.get("/")
	return c
}

// TestNotificationsSecret: a mention in a secret group tells nobody outside it; a member
// mentioned there is told.
func TestNotificationsSecret(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		g := s.mustGroup(s.staff, "Managementteam", biebplein.VisSecret, "")
		s.mustJoin(s.staff, s.vol, g)
		olga := s.mustPerson(service.System(context.Background()), "Olga Buiten", "olga@example.nl", biebplein.KindStaff, s.library.ID, false)
		p := s.mustPost(s.staff, g, biebplein.KindPost, "Vraag aan @Vera Vrijwilliger, @Olga Buiten en @Anne Beheer: de begroting")
		if _, err := s.svc.CreateComment(as(s.staff), p.ID, "", "En @Olga Buiten nog eens"); err != nil {
			t.Fatal(err)
		}

		// Olga is no member; Anne administers the site, which lets her see the group but not
		// read a secret group's posts.
		for _, outsider := range []*biebplein.Person{olga, s.admin} {
			c := s.signedIn(outsider)
			r := c.get("/notifications")
			wantBody(t, "outsider's list", r, text("nl", "web.notify.empty"))
			notBody(t, "outsider's list", r, "begroting", "Managementteam")
			if n := headerCount(t, r); n != 0 {
				t.Errorf("%s's count = %d", outsider.Name, n)
			}
			wantStatus(t, "outsider opens the post", c.get(postURL(p.ID)), http.StatusNotFound)
			wantBody(t, "outsider's unread", c.get("/notifications?unread=1"), text("nl", "web.notify.empty_unread"))
		}

		r := s.signedIn(s.vol).get("/notifications")
		wantBody(t, "member's list", r, "begroting", "Managementteam")
		if n := headerCount(t, r); n != 1 {
			t.Errorf("member's count = %d", n)
		}
	})
}

// TestNoticePrefsForm: the settings page shows every kind; saving changes them, with a
// confirmation; a wrong value is shown next to its field.
func TestNoticePrefsForm(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		vol := s.signedIn(s.vol)
		r := vol.get("/settings/notifications")
		wantStatus(t, "prefs", r, http.StatusOK)
		wantBody(t, "prefs", r, "<fieldset", "<legend>"+text("nl", "web.notify.kind.mention")+"</legend>",
			text("nl", "web.notify.prefs.app"), text("nl", "web.notify.mail.weekly"), text("nl", "web.notify.hint.invitation"),
			`name="app_mention" value="on" checked`, `<option value="immediate" selected>`)
		wantBody(t, "linked from the profile", vol.get("/profile"), `href="/settings/notifications"`)

		form := url.Values{}
		for _, k := range biebplein.NoticeKinds() {
			form.Set("app_"+string(k), "on")
			form.Set("mail_"+string(k), "daily")
		}
		form.Del("app_reaction")
		form.Set("mail_reaction", "immediate") // not shown: not e-mailed either
		form.Set("mail_mention", "immediate")
		form.Set("mail_announcement", "never")
		wantRedirect(t, "save", vol.post("/settings/notifications", form), "/settings/notifications?saved=1")
		r = vol.get("/settings/notifications?saved=1")
		wantBody(t, "saved", r, text("nl", "web.notify.prefs.saved"))
		prefs, err := s.svc.NoticePrefs(as(s.vol))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range prefs {
			want := biebplein.NoticePref{Kind: p.Kind, App: true, Mail: biebplein.MailDaily}
			switch p.Kind {
			case biebplein.NoticeReaction:
				want.App, want.Mail = false, biebplein.MailNever
			case biebplein.NoticeMention:
				want.Mail = biebplein.MailImmediate
			case biebplein.NoticeAnnouncement:
				want.Mail = biebplein.MailNever
			}
			if p != want {
				t.Errorf("saved %+v, want %+v", p, want)
			}
		}
		wantBody(t, "shown again", r, `name="app_reaction" value="on">`)

		form.Set("mail_reply", "soms")
		r = vol.post("/settings/notifications", form)
		wantStatus(t, "wrong value", r, http.StatusBadRequest)
		wantBody(t, "wrong value", r, `id="notify-mail-reply-error"`, text("nl", "error.mail_pref_invalid"),
			`href="#notify-mail-reply"`, text("nl", "web.layout.title_error"))
	})
}

// TestUnsubscribe: the link of an e-mail works without signing in, by the button and by a
// mail program's one-click post without cookie or form token, and stops that e-mail only.
func TestUnsubscribe(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		key, err := s.db.SiteKey(context.Background(), biebplein.UnsubscribeKey, auth.NewToken())
		if err != nil {
			t.Fatal(err)
		}
		token := service.UnsubscribeToken(key, s.staff.ID, "mention")
		path := "/unsubscribe/" + token

		r := s.client().get(path)
		wantStatus(t, "page", r, http.StatusOK)
		wantBody(t, "page", r, "Geen e-mail meer over: vermeldingen", "s***@example.nl", `method="post"`, text("nl", "web.unsubscribe.submit"))
		notBody(t, "page", r, s.staff.Email)

		before, err := s.svc.NoticePrefs(as(s.staff))
		if err != nil {
			t.Fatal(err)
		}
		one := s.client()
		req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r = one.do(req)
		wantStatus(t, "one-click", r, http.StatusOK)
		wantBody(t, "one-click", r, text("nl", "web.unsubscribe.done_title"), "U krijgt geen e-mail meer over vermeldingen.", `href="/settings/notifications"`)
		after, err := s.svc.NoticePrefs(as(s.staff))
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range after {
			want := before[i]
			if p.Kind == biebplein.NoticeMention {
				want.Mail = biebplein.MailNever
			}
			if p != want {
				t.Errorf("after unsubscribing: %+v, want %+v", p, want)
			}
		}

		// Again, as multipart (some mail programs) and signed in: changes nothing more.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("List-Unsubscribe", "One-Click")
		mw.Close()
		req, _ = http.NewRequest(http.MethodPost, s.URL+path, &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		wantStatus(t, "multipart", s.signedIn(s.vol).do(req), http.StatusOK)
		again, _ := s.svc.NoticePrefs(as(s.staff))
		if !slices.Equal(again, after) {
			t.Errorf("second time changed %v to %v", after, again)
		}

		// A digest link, in English.
		en := s.client()
		en.lang = "en"
		wantBody(t, "digest", en.get("/unsubscribe/"+service.UnsubscribeToken(key, s.staff.ID, "digest:weekly")),
			"No more weekly digest", "s***@example.nl")

		// Tampered, unknown or foreign tokens are the plain 404.
		// Someone else's id with Sam's signature; a signature changed by one letter.
		body, sig, _ := strings.Cut(token, ".")
		raw, err := base64.RawURLEncoding.DecodeString(body)
		if err != nil {
			t.Fatal(err)
		}
		forged := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), s.staff.ID, s.vol.ID, 1))) + "." + sig
		other := "A"
		if sig[0] == 'A' {
			other = "B"
		}
		for _, bad := range []string{forged, body + "." + other + sig[1:], "x", service.UnsubscribeToken("other key", s.staff.ID, "mention"),
			service.UnsubscribeToken(key, s.staff.ID, "nonsense"), service.UnsubscribeToken(key, "nobody", "mention")} {
			r := s.client().get("/unsubscribe/" + bad)
			wantStatus(t, "bad token "+bad, r, http.StatusNotFound)
			wantBody(t, "bad token", r, text("nl", "error.not_found"))
			wantStatus(t, "bad token post", s.client().postRaw("/unsubscribe/"+bad, "List-Unsubscribe=One-Click"), http.StatusNotFound)
		}
	})
}

// TestAnnouncementReach: a group's admins see beside the composer whom an announcement
// reaches; members do not.
func TestAnnouncementReach(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		g := s.mustGroup(s.staff, "Leesbevordering", biebplein.VisNetwork, "")
		s.mustJoin(s.staff, s.vol, g)
		s.mustJoin(s.staff, s.admin, g)
		if err := s.svc.SaveNoticePrefs(as(s.admin), []biebplein.NoticePref{{Kind: biebplein.NoticeAnnouncement, App: true, Mail: biebplein.MailNever}}); err != nil {
			t.Fatal(err)
		}
		r := s.signedIn(s.staff).get(groupURL(g.ID))
		wantBody(t, "admin", r, `id="composer-reach"`, "Een mededeling in deze groep bereikt 2 mensen; 1 van hen krijgt een e-mail.")
		notBody(t, "member", s.signedIn(s.vol).get(groupURL(g.ID)), `id="composer-reach"`)
		notBody(t, "home composer", s.signedIn(s.staff).get("/"), `id="composer-reach"`)
	})
}

func TestNumber(t *testing.T) {
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		locale string
		n      int
		want   string
	}{
		{"nl", 0, "0"}, {"nl", 999, "999"}, {"nl", 1234, "1.234"}, {"nl", 1234567, "1.234.567"},
		{"en", 1234, "1,234"}, {"en", -1234, "-1,234"}, {"en", 100000, "100,000"},
	} {
		if got := (base{L: bundle.For(tc.locale)}).Number(tc.n); got != tc.want {
			t.Errorf("Number(%s, %d) = %q, want %q", tc.locale, tc.n, got, tc.want)
		}
	}
	for n, want := range map[int]string{0: "0", 7: "7", 99: "99", service.MaxUnreadCount: "99+"} {
		b := base{L: bundle.For("nl"), unread: &unreadCount{load: func() int { return n }}}
		if got := b.UnreadText(); got != want || b.Unread() != n {
			t.Errorf("UnreadText with %d = %q, want %q", n, got, want)
		}
	}
	if got := (base{L: bundle.For("nl")}).Unread(); got != 0 {
		t.Errorf("signed out: Unread = %d", got)
	}
	if got := maskEmail("sam@example.nl"); got != "s***@example.nl" {
		t.Errorf("maskEmail = %q", got)
	}
}

// TestNotificationPagesRender opens the notification pages with a line of every kind, in both
// languages; the client fails the test on a missing catalogue key or a 5xx.
func TestNotificationPagesRender(t *testing.T) {
	s := newSite(t, "sqlite")
	g := s.mustGroup(s.staff, "Leesbevordering", biebplein.VisClosed, "")
	s.mustJoin(s.staff, s.vol, g)
	s.mustJoin(s.staff, s.admin, g)
	other := s.mustGroup(s.admin, "Voorlezen", biebplein.VisNetwork, "")
	q := s.mustPost(s.staff, g, biebplein.KindQuestion, "Wie weet raad? @Vera Vrijwilliger @Leesbevordering")
	c, err := s.svc.CreateComment(as(s.vol), q.ID, "", "Ik, @Sam Leesconsulent")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Accept(as(s.staff), q.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateComment(as(s.admin), q.ID, c.ID, "Mee eens"); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.React(as(s.staff), q.ID, biebplein.ReactLike, true); err != nil {
		t.Fatal(err)
	}
	s.mustPost(s.staff, g, biebplein.KindAnnouncement, "Nieuwe openingstijden")
	if err := s.svc.InviteToGroup(as(s.admin), other.ID, s.staff.ID); err != nil {
		t.Fatal(err)
	}
	key, err := s.db.SiteKey(context.Background(), biebplein.UnsubscribeKey, auth.NewToken())
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"nl", "en"} {
		for _, p := range []*biebplein.Person{s.staff, s.vol, s.admin} {
			c := s.signedInIn(p, lang)
			for _, path := range []string{"/notifications", "/notifications?unread=1", "/settings/notifications", groupURL(g.ID)} {
				r := c.get(path)
				wantStatus(t, path, r, http.StatusOK)
				wantBody(t, path, r, `<html lang="`+lang+`">`, "<h1")
				notBody(t, path, r, "%!", "[web.")
			}
		}
		out := s.client()
		out.lang = lang
		scopes := []string{"digest:daily", "digest:weekly"}
		for _, k := range biebplein.NoticeKinds() {
			scopes = append(scopes, string(k))
		}
		for _, scope := range scopes {
			path := "/unsubscribe/" + service.UnsubscribeToken(key, s.vol.ID, scope)
			wantBody(t, scope, out.get(path), `<html lang="`+lang+`">`, "v***@example.nl")
			r := out.postRaw(path, "")
			wantBody(t, scope, r, text(lang, "web.unsubscribe.done_title"))
			notBody(t, scope, r, "%!")
		}
	}
	r := s.signedInIn(s.staff, "nl").get("/notifications")
	for _, want := range []string{"Vera Vrijwilliger gaf antwoord op uw vraag", "Anne Beheer schreef een reactie bij het bericht",
		"Anne Beheer nodigt u uit voor de groep Voorlezen", `href="/groups/` + other.ID + `"`} {
		wantBody(t, "kinds", r, want)
	}
	r = s.signedInIn(s.vol, "nl").get("/notifications")
	for _, want := range []string{"Sam Leesconsulent koos uw antwoord als beste antwoord op de vraag “Wie weet raad?",
		"Sam Leesconsulent plaatste een mededeling “Nieuwe openingstijden” in Leesbevordering",
		"Sam Leesconsulent noemde u bij het bericht", "Sam Leesconsulent noemde uw groep bij het bericht"} {
		wantBody(t, "kinds", r, want)
	}
}
