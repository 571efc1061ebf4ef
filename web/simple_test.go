package web

import (
	"net/http"
	"net/url"
	"testing"
)

// Simple mode (issue 6): switched by the person or by an administrator; the page then has
// the class, the shorter menu, fewer composer choices and the plain-language texts.
func TestSimpleMode(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		vol := s.signedIn(s.vol)

		t.Run("OffAtFirst", func(t *testing.T) {
			r := vol.get("/profile")
			notBody(t, "off", r, `class="simple"`, text("nl", "web.nav.ask"))
			wantBody(t, "off", r, text("nl", "web.nav.people"), `value="on"`)
		})
		t.Run("AdminSwitchesItOn", func(t *testing.T) {
			admin := s.signedIn(s.admin)
			r := admin.post("/admin/people/"+s.vol.ID, url.Values{"name": {s.vol.Name}, "organisation_id": {s.branch.ID},
				"kind": {"volunteer"}, "simple": {"on"}})
			wantRedirect(t, "admin save", r, "/admin/people/"+s.vol.ID)
			wantBody(t, "admin form", admin.get("/admin/people/"+s.vol.ID), `name="simple" value="on" checked`)
		})
		t.Run("PagesAreSimple", func(t *testing.T) {
			r := vol.get("/")
			wantBody(t, "home", r, `<body class="simple"`, `href="`+askQuestionURL+`"`, plain("web.nav.home"),
				plain("web.nav.groups"), plain("web.feed.title"), text("nl", "web.nav.notifications"))
			notBody(t, "home", r, `href="/people"`, `href="/saved"`, `value="poll"`, `/bookmark"`)
			wantStatus(t, "home", r, http.StatusOK)
		})
		t.Run("AskAQuestion", func(t *testing.T) {
			r := vol.get(askQuestionURL)
			// The question form, in the simple layout, with the menu item current.
			wantBody(t, "ask", r, `aria-current="page">`+text("nl", "web.nav.ask"), `<body class="simple"`,
				`action="/questions"`, `name="title"`, `name="topics"`)
		})
		t.Run("FallbackWithoutOverride", func(t *testing.T) {
			wantBody(t, "groups", vol.get("/groups"), text("nl", "web.groups.mine"), plain("web.groups.intro"))
		})
		t.Run("PersonSwitchesItOff", func(t *testing.T) {
			wantRedirect(t, "off", vol.post("/profile/simple", url.Values{"simple": {"off"}}), "/profile")
			r := vol.get("/")
			notBody(t, "off again", r, `class="simple"`)
			wantBody(t, "off again", r, text("nl", "web.nav.people"))
			wantRedirect(t, "on", vol.post("/profile/simple", url.Values{"simple": {"on"}}), "/profile")
			wantBody(t, "on again", vol.get("/profile"), `<body class="simple"`, text("nl", "web.flash.simple_on"))
		})
		t.Run("OthersCannotSetIt", func(t *testing.T) {
			staff := s.signedIn(s.staff)
			r := staff.post("/admin/people/"+s.vol.ID, url.Values{"name": {s.vol.Name}, "organisation_id": {s.branch.ID},
				"kind": {"volunteer"}})
			wantStatus(t, "non-admin", r, http.StatusNotFound)
			wantBody(t, "still on", vol.get("/"), `<body class="simple"`)
		})
	})
}

// plain is the Dutch plain-language text of key.
func plain(key string) string { return text("nl", "simple."+key) }
