package web

import (
	"net/http"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/i18n"
)

// base is embedded in every page struct: what the layout needs.
type base struct {
	L     i18n.Localizer
	Actor *biebplein.Person // nil when signed out
	CSRF  string            // the session's form token; "" when signed out
	Flash string            // catalogue key of a one-time message, or ""
	Title string            // the translated page title
	Nav   string            // which main menu item is current
	Path  string            // the current path, for the language switch
	// HasErrors marks a form shown again with problems; the title then starts with "Error".
	HasErrors bool
	// Mentions marks a page with a text field for posts or comments: the layout loads
	// mention.js, which suggests people after "@".
	Mentions bool
	// LiveFeed ("home" or "group", with LiveGroup) marks the first page of a feed: live.js
	// offers its new posts without reloading. Every signed-in page gets the live count.
	LiveFeed  string
	LiveGroup string
	zone      *time.Location
	unread    *unreadCount // the header's count; nil when signed out
}

// T translates key in the page's language.
func (b base) T(key string, args ...any) string { return b.L.T(key, args...) }

// Lang is the page's language code, for the lang attribute.
func (b base) Lang() string { return b.L.Locale }

// OtherLang is the language the switch offers.
func (b base) OtherLang() string {
	if b.L.Locale == biebplein.LocaleEN {
		return biebplein.LocaleNL
	}
	return biebplein.LocaleEN
}

// Simple reports whether the reader uses simple mode: the layout then has class "simple"
// (larger text and targets, one column), the menu fewer items, pages fewer choices, and the
// Localizer plain-language texts.
func (b base) Simple() bool { return b.Actor != nil && b.Actor.Simple }

// askQuestionURL is where "ask a question" leads: the question form ("Stel een vraag",
// issue 5), with topics and the people who know about them.
const askQuestionURL = "/questions/new"

// AskURL is the link to ask a question.
func (b base) AskURL() string { return askQuestionURL }

// IsAdmin reports whether the reader is an administrator.
func (b base) IsAdmin() bool { return biebplein.IsAdmin(b.Actor) }

// Time formats t in the site's time zone, in the reader's notation.
func (b base) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(b.zone)
	if b.L.Locale == biebplein.LocaleEN {
		return t.Format("2 Jan 2006, 15:04")
	}
	return t.Format("2-1-2006, 15:04")
}

// base builds the common page data for a request: language, reader, form token, the flash
// message (which is read once and then removed) and, for a signed-in reader, their count of
// unread notifications (read when the layout shows it).
func (s *Server) base(w http.ResponseWriter, r *http.Request, titleKey, nav string) base {
	loc := s.localizer(r)
	b := base{L: loc, Actor: biebplein.ActorFrom(r.Context()), Nav: nav, Path: r.URL.Path, zone: s.zone}
	if sess := httpx.SessionFrom(r.Context()); sess != nil {
		b.CSRF = sess.CSRFToken
	}
	if b.Actor != nil {
		b.unread = s.unreadCounter(r)
	}
	b.Flash = s.takeFlash(w, r)
	b.Title = loc.T(titleKey)
	return b
}

// localizer is the reader's Localizer: their language and, in simple mode, the
// plain-language texts. Every page and form translates through it.
func (s *Server) localizer(r *http.Request) i18n.Localizer {
	a := biebplein.ActorFrom(r.Context())
	return s.bundle.For(s.locale(r)).WithPlain(a != nil && a.Simple)
}

// langCookie remembers the language a signed-out visitor chose.
const langCookie = "biebplein_lang"

// locale picks the page language: the signed-in person's own choice, else the language a
// visitor chose with the switch, else the browser's preference, else Dutch.
func (s *Server) locale(r *http.Request) string {
	if a := biebplein.ActorFrom(r.Context()); a != nil && biebplein.ValidLocale(a.Locale) {
		return a.Locale
	}
	if c, err := r.Cookie(langCookie); err == nil && biebplein.ValidLocale(c.Value) {
		return c.Value
	}
	return s.bundle.Match(r.Header.Get("Accept-Language"))
}

// flashCookie carries a one-time message across a redirect: a catalogue key, never free text.
const flashCookie = "biebplein_flash"

// setFlash stores a message for the next page.
func (s *Server) setFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: key, Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

// takeFlash returns the pending message, if it is a known flash key, and removes it.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
	if !flashKeys[c.Value] {
		return ""
	}
	return c.Value
}

// flashKeys are the messages a flash cookie may name.
var flashKeys = map[string]bool{
	"web.flash.profile_saved":      true,
	"web.flash.question_posted":    true,
	"web.flash.simple_on":          true,
	"web.flash.simple_off":         true,
	"web.flash.password_changed":   true,
	"web.password_reset.done":      true,
	"web.totp.required":            true,
	"web.totp.enabled":             true,
	"web.totp.disabled":            true,
	"web.flash.session_revoked":    true,
	"web.flash.sessions_revoked":   true,
	"web.flash.token_revoked":      true,
	"web.flash.signed_out":         true,
	"web.flash.org_created":        true,
	"web.flash.org_saved":          true,
	"web.flash.person_saved":       true,
	"web.flash.person_deactivated": true,
	"web.flash.person_reactivated": true,
	// Groups, posts and feeds.
	"web.flash.group_created":    true,
	"web.flash.group_saved":      true,
	"web.flash.joined":           true,
	"web.flash.requested":        true,
	"web.flash.left":             true,
	"web.flash.member_added":     true,
	"web.flash.member_removed":   true,
	"web.flash.request_approved": true,
	"web.flash.request_refused":  true,
	"web.flash.role_changed":     true,
	"web.flash.post_created":     true,
	"web.flash.post_saved":       true,
	"web.flash.post_deleted":     true,
	"web.flash.post_restored":    true,
	"web.flash.comment_created":  true,
	"web.flash.voted":            true,
	"web.flash.accepted":         true,
	"web.flash.read":             true,
	"web.flash.pinned":           true,
	"web.flash.unpinned":         true,
	"web.flash.saved":            true,
	"web.flash.unsaved":          true,
	"web.flash.followed":         true,
	"web.flash.unfollowed":       true,
}

// redirect answers a successful form with 303 See Other, so that reloading the next page does
// not send the form again.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
