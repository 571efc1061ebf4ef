package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

// TestGroupJourney: a staff member starts a closed group, a volunteer asks to join and is let
// in, and both use it: posts of every kind, comments and replies, reactions, a poll, the best
// answer, editing, deleting and restoring, saving and following a topic.
func TestGroupJourney(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		staff, vol := s.signedIn(s.staff), s.signedIn(s.vol)

		// Create a group; its name is shown escaped.
		wantStatus(t, "groups", staff.get("/groups"), http.StatusOK)
		wantStatus(t, "new group form", staff.get("/groups/new"), http.StatusOK)
		evil := `Leesclub <img src=x onerror=alert(1)>`
		r := staff.post("/groups/new", url.Values{"name": {evil}, "description": {"Samen lezen"}, "visibility": {"closed"}})
		if r.Status != http.StatusSeeOther || !groupLink.MatchString(r.Location) {
			t.Fatalf("create group: %d %q\n%s", r.Status, r.Location, excerpt(r.Body))
		}
		gURL := r.Location
		for _, path := range []string{gURL, gURL + "/members", gURL + "/about", gURL + "/edit", "/groups?tab=mine"} {
			r := staff.get(path)
			wantStatus(t, path, r, http.StatusOK)
			wantBody(t, path, r, htmlEscape(evil))
			notBody(t, path, r, "<img src=x")
		}

		// Ask to join, be approved.
		r = vol.get(gURL)
		wantBody(t, "closed group for a non-member", r, text("nl", "web.group.request"), text("nl", "web.group.members_only"))
		wantRedirect(t, "request", vol.post(gURL+"/join", nil), gURL)
		wantBody(t, "after request", vol.get(gURL), text("nl", "web.group.you_pending"))
		r = staff.get(gURL + "/members")
		wantBody(t, "pending list", r, text("nl", "web.members.pending"), s.vol.Name)
		wantRedirect(t, "approve", staff.post(gURL+"/requests/"+s.vol.ID+"/approve", nil), gURL+"/members")
		wantBody(t, "member now", vol.get(gURL), text("nl", "web.group.leave"))

		// The last admin cannot leave.
		r = staff.post(gURL+"/leave", nil)
		wantStatus(t, "last admin leaves", r, http.StatusConflict)
		wantBody(t, "last admin leaves", r, text("nl", "error.last_group_admin"))

		// Post each kind. A script in a post is shown as text.
		post := func(c *client, fields url.Values) string {
			t.Helper()
			r := c.postMultipart(gURL+"/posts", fields)
			if r.Status != http.StatusSeeOther {
				t.Fatalf("post %v: status %d\n%s", fields, r.Status, excerpt(r.Body))
			}
			return r.Location[strings.Index(r.Location, "#post-")+6:]
		}
		plain := post(vol, url.Values{"kind": {"post"}, "body": {"Hallo <script>alert(1)</script> #leesbevordering"}})
		question := post(vol, url.Values{"kind": {"question"}, "body": {"Wie heeft tips voor BoekStart?"}})
		poll := post(vol, url.Values{"kind": {"poll"}, "body": {"Welke dag?"}, "option": {"Maandag", "Dinsdag", "", ""}})
		announcement := post(staff, url.Values{"kind": {"announcement"}, "body": {"Nieuwe openingstijden"}})
		for _, path := range []string{gURL, "/", postURL(plain)} {
			r := vol.get(path)
			wantBody(t, path, r, "&lt;script&gt;alert(1)&lt;/script&gt;")
			notBody(t, path, r, "<script>alert(1)")
		}
		home := vol.get("/")
		wantBody(t, "home feed", home, text("nl", "web.feed.pinned"), "Nieuwe openingstijden", `<time datetime="`, htmlEscape(evil))
		notBody(t, "home feed", home, "<img src=x")

		// Only group admins may announce: the volunteer is told so, and keeps the text.
		r = vol.postMultipart(gURL+"/posts", url.Values{"kind": {"announcement"}, "body": {"Mijn mededeling"}})
		wantStatus(t, "announcement by member", r, http.StatusForbidden)
		wantBody(t, "announcement by member", r, text("nl", "error.announcement_admins_only"), "Mijn mededeling")

		// Comment, reply (the reply form shows under the comment without script).
		r = staff.post(postURL(question)+"/comments", url.Values{"body": {"Kijk op boekstart.nl"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("comment: %d\n%s", r.Status, excerpt(r.Body))
		}
		cid := r.Location[strings.Index(r.Location, "#comment-")+9:]
		r = vol.get(postURL(question) + "?reply=" + cid)
		wantBody(t, "reply form", r, `id="reply"`, `name="parent_id" value="`+cid+`"`)
		r = vol.post(postURL(question)+"/comments", url.Values{"body": {"Dank je!"}, "parent_id": {cid}})
		wantStatus(t, "reply", r, http.StatusSeeOther)
		r = staff.get(postURL(question))
		wantBody(t, "post page", r, "Kijk op boekstart.nl", "Dank je!", `class="replies"`)

		// The asker chooses the best answer; it is shown first, marked.
		r = vol.post(postURL(question)+"/comments", url.Values{"body": {"Nog een antwoord"}})
		wantStatus(t, "second answer", r, http.StatusSeeOther)
		wantStatus(t, "accept", vol.post(postURL(question)+"/accept", url.Values{"comment_id": {cid}}), http.StatusSeeOther)
		r = staff.get(postURL(question))
		wantBody(t, "accepted", r, text("nl", "web.post.best_answer"))
		if i, j := strings.Index(r.Body, "Kijk op boekstart.nl"), strings.Index(r.Body, "Nog een antwoord"); i < 0 || j < 0 || i > j {
			t.Errorf("accepted answer not first")
		}
		wantStatus(t, "accept by someone else", s.signedIn(s.admin).post(postURL(question)+"/accept", url.Values{"comment_id": {cid}}), http.StatusSeeOther)

		// React twice: counted once, and shown as pressed.
		for range 2 {
			wantStatus(t, "react", staff.post(postURL(plain)+"/react", url.Values{"kind": {"like"}, "on": {"1"}, "next": {"/"}}), http.StatusSeeOther)
		}
		r = staff.get(postURL(plain))
		wantBody(t, "reaction", r, `aria-pressed="true">`+text("nl", "web.reaction.like")+` <span class="count">1</span>`)
		r = staff.get(postURL(plain) + "/reactions/like")
		wantStatus(t, "reactors", r, http.StatusOK)
		wantBody(t, "reactors", r, s.staff.Name)
		wantStatus(t, "reactors of an unknown kind", staff.get(postURL(plain)+"/reactions/boo"), http.StatusNotFound)

		// Vote, see results, change the vote.
		r = vol.get(postURL(poll))
		wantBody(t, "poll form", r, `name="option_ids"`)
		notBody(t, "poll before voting", r, "poll-results")
		opts := regexpAll(`name="option_ids" value="([0-9a-z]+)"`, r.Body)
		if len(opts) != 2 {
			t.Fatalf("poll options: %v", opts)
		}
		wantStatus(t, "vote", vol.post(postURL(poll)+"/vote", url.Values{"option_ids": {opts[0]}}), http.StatusSeeOther)
		wantStatus(t, "change vote", vol.post(postURL(poll)+"/vote", url.Values{"option_ids": {opts[1]}}), http.StatusSeeOther)
		r = vol.get(postURL(poll))
		wantBody(t, "poll results", r, "poll-results", text("nl", "web.poll.voters", 1), text("nl", "web.poll.votes", 0, 0), text("nl", "web.poll.votes", 1, 100))
		wantStatus(t, "vote for nothing", vol.post(postURL(poll)+"/vote", nil), http.StatusBadRequest)

		// Announcements: confirm reading.
		wantStatus(t, "read", vol.post(postURL(announcement)+"/read", nil), http.StatusSeeOther)
		wantBody(t, "read count", vol.get(postURL(announcement)), text("nl", "web.post.read_count", 1), text("nl", "web.post.read_done"))
		wantStatus(t, "unpin", staff.post(postURL(announcement)+"/unpin", nil), http.StatusSeeOther)
		notBody(t, "unpinned", vol.get("/"), `id="pinned-title"`)

		// Edit with history.
		wantStatus(t, "edit form", vol.get(postURL(plain)+"/edit"), http.StatusOK)
		wantStatus(t, "edit form of another's post", staff.get(postURL(plain)+"/edit"), http.StatusForbidden)
		wantRedirect(t, "edit", vol.post(postURL(plain)+"/edit", url.Values{"body": {"Hallo allemaal #leesbevordering"}}), postURL(plain))
		r = vol.get(postURL(plain))
		wantBody(t, "edited", r, "Hallo allemaal", text("nl", "web.post.edited"), postURL(plain)+"/history")
		r = vol.get(postURL(plain) + "/history")
		wantBody(t, "history", r, "Hallo &lt;script&gt;")
		r = vol.post(postURL(plain)+"/edit", url.Values{"body": {""}})
		wantStatus(t, "edit to nothing", r, http.StatusBadRequest)

		// Save, and find it under Saved.
		wantStatus(t, "bookmark", vol.post(postURL(plain)+"/bookmark", url.Values{"on": {"1"}}), http.StatusSeeOther)
		wantBody(t, "saved", vol.get("/saved"), "Hallo allemaal")

		// Follow a topic.
		r = staff.get("/topics/leesbevordering")
		wantBody(t, "topic", r, "Hallo allemaal", text("nl", "web.follow.follow"))
		wantRedirect(t, "follow topic", staff.post("/topics/leesbevordering/follow", url.Values{"on": {"1"}}), "/topics/leesbevordering")
		wantBody(t, "following", staff.get("/topics/leesbevordering"), text("nl", "web.follow.following"))
		wantRedirect(t, "follow person", staff.post("/people/"+s.vol.ID+"/follow", url.Values{"on": {"1"}}), "/people/"+s.vol.ID)
		wantBody(t, "person feed", staff.get("/people/"+s.vol.ID), "Hallo allemaal", text("nl", "web.follow.following"))

		// Delete (after confirming) and restore.
		wantStatus(t, "delete confirm", vol.get(postURL(plain)+"/delete"), http.StatusOK)
		wantRedirect(t, "delete", vol.post(postURL(plain)+"/delete", nil), gURL)
		wantStatus(t, "deleted post for its author", vol.get(postURL(plain)), http.StatusNotFound)
		r = staff.get(postURL(plain))
		wantBody(t, "deleted post for the group admin", r, text("nl", "web.post.deleted_notice"), text("nl", "web.post.restore"))
		wantStatus(t, "restore by the author", vol.post(postURL(plain)+"/restore", nil), http.StatusNotFound)
		wantRedirect(t, "restore", staff.post(postURL(plain)+"/restore", nil), postURL(plain))
		wantStatus(t, "restored", vol.get(postURL(plain)), http.StatusOK)

		// Member management: make admin, then back; remove.
		wantStatus(t, "make admin", staff.post(gURL+"/members/"+s.vol.ID+"/role", url.Values{"role": {"admin"}}), http.StatusSeeOther)
		wantStatus(t, "make member", vol.post(gURL+"/members/"+s.staff.ID+"/role", url.Values{"role": {"member"}}), http.StatusSeeOther)
		wantStatus(t, "remove", vol.post(gURL+"/members/"+s.staff.ID+"/remove", nil), http.StatusSeeOther)
		wantStatus(t, "removed member", staff.get(postURL(plain)), http.StatusNotFound)
		wantBody(t, "closed group shown to the removed", staff.get(gURL), text("nl", "web.group.request"))
	})
}

// TestGroupInvite: a group admin invites someone into a secret group by name; they accept.
func TestGroupInvite(t *testing.T) {
	s := newSite(t, "sqlite")
	staff, vol := s.signedIn(s.staff), s.signedIn(s.vol)
	g := s.mustGroup(s.staff, "Managementteam", biebplein.VisSecret, "")
	gURL := groupURL(g.ID)
	wantStatus(t, "secret group for others", vol.get(gURL), http.StatusNotFound)
	r := staff.get(gURL + "/members")
	wantBody(t, "people suggestions", r, `<datalist id="people-list">`, htmlEscape(personLabel(s.vol)))
	r = staff.post(gURL+"/members", url.Values{"person": {"Niemand Bekend"}, "mode": {"invite"}})
	wantStatus(t, "unknown person", r, http.StatusBadRequest)
	wantBody(t, "unknown person", r, text("nl", "error.person_not_found"), "Niemand Bekend")
	wantRedirect(t, "invite", staff.post(gURL+"/members", url.Values{"person": {personLabel(s.vol)}, "mode": {"invite"}}), gURL+"/members")
	wantBody(t, "invited list", staff.get(gURL+"/members"), text("nl", "web.members.invited"))
	wantBody(t, "invitation", vol.get(gURL), text("nl", "web.group.accept_invitation"))
	wantRedirect(t, "accept", vol.post(gURL+"/join", nil), gURL)
	wantBody(t, "member", vol.get(gURL), text("nl", "web.group.leave"))
}

func regexpAll(expr, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(expr).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}
