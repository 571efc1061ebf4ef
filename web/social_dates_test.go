package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// TestComposerDates: a poll's closing time and an announcement's pinning date are read in
// Amsterdam time; a date in the past is refused beside its field with the text kept.
func TestComposerDates(t *testing.T) {
	s := newSite(t, "sqlite")
	staff := s.signedIn(s.staff)
	g := s.mustGroup(s.staff, "Peilingen", biebplein.VisNetwork, "")
	gURL := groupURL(g.ID)
	r := staff.get(gURL)
	wantBody(t, "composer", r, `type="datetime-local" id="composer-poll-closes-at" name="poll_closes_at"`,
		`type="date" id="composer-pinned-until" name="pinned_until"`)
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	poll := url.Values{"kind": {"poll"}, "body": {"Welke dag?"}, "option": {"Maandag", "Dinsdag"}}
	with := func(v url.Values, kv ...string) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = vs
		}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}

	t.Run("PollClosesAt", func(t *testing.T) {
		closes := time.Now().In(zone).AddDate(0, 0, 3)
		r := staff.postMultipart(gURL+"/posts", with(poll, "poll_closes_at", closes.Format("2006-01-02")+"T17:30"))
		wantStatus(t, "poll with closing time", r, http.StatusSeeOther)
		p := s.redirectedPost(t, r)
		want := time.Date(closes.Year(), closes.Month(), closes.Day(), 17, 30, 0, 0, zone)
		if p.Poll == nil || p.Poll.ClosesAt == nil || !p.Poll.ClosesAt.Equal(want) {
			t.Fatalf("ClosesAt = %v, want %v", p.Poll.ClosesAt, want)
		}
		r = staff.get(gURL)
		wantBody(t, "poll shows closing", r, text("nl", "web.poll.closes", closes.Format("2-1-2006")+", 17:30"))
	})
	t.Run("PollClosesInThePast", func(t *testing.T) {
		r := staff.postMultipart(gURL+"/posts", with(poll, "poll_closes_at", "2020-03-01T09:00"))
		wantStatus(t, "poll closing in the past", r, http.StatusBadRequest)
		wantBody(t, "poll closing in the past", r, `id="composer-poll-closes-at-error"`, text("nl", "error.poll_closes_past"),
			`value="2020-03-01T09:00"`, "Welke dag?", `value="Maandag"`)
	})
	t.Run("NotADate", func(t *testing.T) {
		r := staff.postMultipart(gURL+"/posts", with(poll, "poll_closes_at", "volgende week"))
		wantStatus(t, "not a date", r, http.StatusBadRequest)
		wantBody(t, "not a date", r, `id="composer-poll-closes-at-error"`, text("nl", "error.date_invalid"), `value="volgende week"`)
	})
	t.Run("ClosedPoll", func(t *testing.T) {
		// A poll written a week ago that closed the next day.
		weekAgo := time.Now().AddDate(0, 0, -7)
		earlier := service.New(s.db, service.Options{Now: func() time.Time { return weekAgo }})
		closes := weekAgo.AddDate(0, 0, 1)
		p, err := earlier.CreatePost(as(s.staff), biebplein.PostInput{GroupID: g.ID, Kind: biebplein.KindPoll, Body: "Oude peiling",
			PollOptions: []string{"Ja", "Nee"}, PollClosesAt: &closes})
		if err != nil {
			t.Fatal(err)
		}
		r := staff.get(postURL(p.ID))
		wantBody(t, "closed poll", r, `<strong class="badge">`+text("nl", "web.poll.closed")+`</strong>`)
	})

	announce := url.Values{"kind": {"announcement"}, "body": {"De vestiging is dicht."}}
	t.Run("PinnedUntilEndOfDay", func(t *testing.T) {
		day := time.Now().In(zone).AddDate(0, 0, 2)
		r := staff.postMultipart(gURL+"/posts", with(announce, "pinned_until", day.Format("2006-01-02")))
		wantStatus(t, "announcement pinned until", r, http.StatusSeeOther)
		p := s.redirectedPost(t, r)
		want := time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, zone)
		if p.PinnedUntil == nil || !p.PinnedUntil.Equal(want) {
			t.Fatalf("PinnedUntil = %v, want %v", p.PinnedUntil, want)
		}
	})
	t.Run("PinnedUntilInThePast", func(t *testing.T) {
		r := staff.postMultipart(gURL+"/posts", with(announce, "pinned_until", "2020-03-01"))
		wantStatus(t, "pinned until the past", r, http.StatusBadRequest)
		wantBody(t, "pinned until the past", r, `id="composer-pinned-until-error"`, text("nl", "error.pinned_until_past"),
			`value="2020-03-01"`, "De vestiging is dicht.")
	})
}

// redirectedPost returns the post a composer's redirect points at (…#post-ID).
func (s *site) redirectedPost(t *testing.T, r *response) *biebplein.Post {
	t.Helper()
	_, id, ok := strings.Cut(r.Location, "#post-")
	if !ok {
		t.Fatalf("redirect to %q names no post", r.Location)
	}
	p, err := s.svc.Post(as(s.staff), id)
	if err != nil {
		t.Fatalf("Post(%s): %v", id, err)
	}
	return p
}
