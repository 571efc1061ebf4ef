package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

var (
	regexpInviteLink = regexp.MustCompile(`id="invitation-link" class="copy" rows="3" readonly spellcheck="false" aria-describedby="invitation-link-hint">([^<]+)</textarea>`)
	sessionRevoke    = regexp.MustCompile(`action="(/profile/sessions/[^"]+/revoke)"`)
	tokenSecret      = regexp.MustCompile(`id="token-secret" class="copy" rows="2" readonly spellcheck="false">([^<]+)</textarea>`)
	tokenRevoke      = regexp.MustCompile(`action="(/profile/tokens/[^"]+/revoke)"`)
)

// adminPaths are pages of the administration, to check who may see them.
func adminPaths(s *site) []string {
	return []string{
		"/admin", "/admin/organisations", "/admin/organisations/new", "/admin/organisations/" + s.library.ID,
		"/admin/people", "/admin/people/new", "/admin/people/" + s.staff.ID, "/admin/audit", "/admin/bestaat-niet",
	}
}

func TestAdminHidden(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)

		t.Run("NotFoundForStaff", func(t *testing.T) {
			c := s.signedIn(s.staff)
			for _, p := range adminPaths(s) {
				r := c.get(p)
				wantStatus(t, p, r, http.StatusNotFound)
				wantBody(t, p, r, text("nl", "error.not_found"))
				notBody(t, p, r, text("nl", "web.admin.intro"))
			}
			for _, p := range []string{"/admin/organisations", "/admin/people", "/admin/people/" + s.vol.ID + "/deactivate"} {
				wantStatus(t, "POST "+p, c.post(p, url.Values{"name": {"x"}}), http.StatusNotFound)
			}
			notBody(t, "menu", c.get("/"), `href="/admin"`)
		})

		t.Run("RedirectWhenSignedOut", func(t *testing.T) {
			c := s.client()
			for _, p := range adminPaths(s) {
				wantRedirect(t, p, c.get(p), "/login?next="+url.QueryEscape(p))
			}
			wantRedirect(t, "POST", c.post("/admin/people/"+s.vol.ID+"/deactivate", nil), "/login")
		})

		t.Run("ShownToAdmin", func(t *testing.T) {
			c := s.signedIn(s.admin)
			paths := adminPaths(s)
			for _, p := range paths[:len(paths)-1] { // all but the page that does not exist
				wantStatus(t, p, c.get(p), http.StatusOK)
			}
		})
	})
}

func TestAdminOrganisations(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		c := s.signedIn(s.admin)

		t.Run("Tree", func(t *testing.T) {
			r := c.get("/admin/organisations")
			wantStatus(t, "tree", r, http.StatusOK)
			root := strings.Index(r.Body, "Probiblio")
			lib := strings.Index(r.Body, "Bibliotheek Aan Zee")
			branch := strings.Index(r.Body, "Vestiging Duinen")
			if !(root < lib && lib < branch) || root < 0 {
				t.Errorf("tree order: root %d, library %d, branch %d", root, lib, branch)
			}
			if n := strings.Count(r.Body, `<ul class="tree">`); n != 3 {
				t.Errorf("%d nested lists, want 3", n)
			}
			wantBody(t, "tree", r, text("nl", "web.orgs.members", 1))
		})

		t.Run("CreateBadInput", func(t *testing.T) {
			c.get("/admin/organisations/new")
			r := c.post("/admin/organisations", url.Values{"name": {""}, "kind": {"branch"}, "parent_id": {s.root.ID}})
			wantStatus(t, "bad", r, http.StatusBadRequest)
			wantBody(t, "bad", r, text("nl", "error.name_required"))
			r = c.post("/admin/organisations", url.Values{"name": {"Nieuwe Vestiging"}, "kind": {"branch"}, "parent_id": {s.root.ID}})
			wantStatus(t, "wrong parent", r, http.StatusBadRequest)
			wantBody(t, "wrong parent", r, text("nl", "error.org_parent_invalid"), `id="org-parent-id-error"`)
			r = c.post("/admin/organisations", url.Values{"name": {"probiblio"}, "kind": {"partner"}})
			wantStatus(t, "taken", r, http.StatusConflict)
			wantBody(t, "taken", r, text("nl", "error.org_name_taken"), `id="org-name-error"`)
		})

		t.Run("Create", func(t *testing.T) {
			r := c.post("/admin/organisations", url.Values{"name": {"Vestiging Strand"}, "kind": {"branch"}, "parent_id": {s.library.ID}})
			wantRedirect(t, "create", r, "/admin/organisations")
			wantBody(t, "created", c.get("/admin/organisations"), "Vestiging Strand", text("nl", "web.flash.org_created"))
		})

		t.Run("Edit", func(t *testing.T) {
			r := c.get("/admin/organisations/" + s.branch.ID)
			wantStatus(t, "edit", r, http.StatusOK)
			wantBody(t, "edit", r, `value="Vestiging Duinen"`, `<option value="branch" selected>`)
			notBody(t, "no self as parent", r, `<option value="`+s.branch.ID+`"`)
			r = c.post("/admin/organisations/"+s.library.ID, url.Values{"name": {"Bibliotheek Aan Zee"}, "kind": {"library"}, "parent_id": {s.branch.ID}})
			wantStatus(t, "cycle", r, http.StatusBadRequest)
			r = c.post("/admin/organisations/"+s.branch.ID, url.Values{"name": {"Vestiging Duin"}, "kind": {"branch"}, "parent_id": {s.library.ID}})
			wantRedirect(t, "rename", r, "/admin/organisations")
			wantStatus(t, "unknown", c.get("/admin/organisations/onbekend"), http.StatusNotFound)
		})
		t.Run("MailStatus", func(t *testing.T) {
			// A mention of Sam waits in the outbox: no mail server is set in the tests.
			g := s.mustGroup(s.admin, "Beheer", biebplein.VisNetwork, "")
			s.mustPost(s.admin, g, biebplein.KindPost, "Hallo @Sam Leesconsulent")
			r := c.get("/admin")
			wantBody(t, "mail", r, text("nl", "web.admin.mail_off"), text("nl", "web.admin.mail_pending")+"</dt><dd>1 (")
		})
		t.Run("MailHideText", func(t *testing.T) {
			r := c.post("/admin/organisations/"+s.branch.ID, url.Values{"name": {"Vestiging Duin"}, "kind": {"branch"},
				"parent_id": {s.library.ID}, "mail_hide_text": {"on"}})
			wantRedirect(t, "hide text", r, "/admin/organisations")
			if o, err := s.svc.Organisation(as(s.admin), s.branch.ID); err != nil || !o.MailHideText {
				t.Fatalf("after ticking: %+v, %v; want MailHideText", o, err)
			}
			wantBody(t, "ticked", c.get("/admin/organisations/"+s.branch.ID), `name="mail_hide_text" value="on" checked`)
			r = c.post("/admin/organisations/"+s.branch.ID, url.Values{"name": {"Vestiging Duin"}, "kind": {"branch"}, "parent_id": {s.library.ID}})
			wantRedirect(t, "show text", r, "/admin/organisations")
			if o, _ := s.svc.Organisation(as(s.admin), s.branch.ID); o.MailHideText {
				t.Fatal("unticking kept MailHideText")
			}
		})
	})
}

func TestAdminPeople(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		s := newSite(t, dialect)
		c := s.signedIn(s.admin)
		vol := s.signedIn(s.vol)

		t.Run("List", func(t *testing.T) {
			r := c.get("/admin/people")
			wantStatus(t, "list", r, http.StatusOK)
			wantBody(t, "list", r, `href="/admin/people/`+s.vol.ID+`"`, "vera@example.nl", text("nl", "web.status.active"))
			wantStatus(t, "bad status", c.get("/admin/people?status=weg"), http.StatusBadRequest)
		})

		t.Run("Update", func(t *testing.T) {
			c.get("/admin/people/" + s.vol.ID)
			r := c.post("/admin/people/"+s.vol.ID, url.Values{"name": {""}, "organisation_id": {s.branch.ID}, "kind": {"volunteer"}})
			wantStatus(t, "bad", r, http.StatusBadRequest)
			wantBody(t, "bad", r, text("nl", "error.name_required"), `id="person-name-error"`)
			r = c.post("/admin/people/"+s.vol.ID, url.Values{"name": {"Vera de Vries"}, "organisation_id": {s.library.ID}, "kind": {"volunteer"}, "function": {"VoorleesExpress"}})
			wantRedirect(t, "update", r, "/admin/people/"+s.vol.ID)
			wantBody(t, "updated", c.get("/admin/people/"+s.vol.ID), text("nl", "web.flash.person_saved"), `value="Vera de Vries"`)
		})

		t.Run("LastAdminKeepsFlag", func(t *testing.T) {
			r := c.post("/admin/people/"+s.admin.ID, url.Values{"name": {s.admin.Name}, "organisation_id": {s.root.ID}, "kind": {"staff"}})
			wantStatus(t, "last admin", r, http.StatusConflict)
			wantBody(t, "last admin", r, text("nl", "error.last_admin"), `id="person-admin-error"`)
			r = c.post("/admin/people/"+s.admin.ID+"/deactivate", nil)
			wantStatus(t, "deactivate self", r, http.StatusConflict)
			wantBody(t, "deactivate self", r, text("nl", "error.cannot_deactivate_self"))
		})

		t.Run("DeactivateEndsSessionAtOnce", func(t *testing.T) {
			wantStatus(t, "before", vol.get("/people"), http.StatusOK)
			r := c.post("/admin/people/"+s.vol.ID+"/deactivate", nil)
			wantRedirect(t, "deactivate", r, "/admin/people/"+s.vol.ID)
			wantRedirect(t, "after", vol.get("/people"), "/login?next=%2Fpeople")
			r = s.client().post("/login", url.Values{"email": {s.vol.Email}, "password": {testPassword}})
			wantStatus(t, "sign in deactivated", r, http.StatusUnauthorized)
			wantBody(t, "deactivated listed", c.get("/admin/people?status=deactivated"), "Vera de Vries")
			r = c.post("/admin/people/"+s.vol.ID+"/reactivate", nil)
			wantRedirect(t, "reactivate", r, "/admin/people/"+s.vol.ID)
			s.client().login(s.vol.Email, testPassword)
		})

		t.Run("Reinvite", func(t *testing.T) {
			r := c.post("/admin/people", url.Values{"name": {"Ruud Later"}, "email": {"ruud@example.nl"}, "organisation_id": {s.library.ID}, "kind": {"partner"}})
			wantStatus(t, "invite", r, http.StatusCreated)
			first := regexpInviteLink.FindStringSubmatch(r.Body)[1]
			id := regexp.MustCompile(`href="/admin/people/([^"/]+)"`).FindStringSubmatch(r.Body)[1]
			r = c.get("/admin/people/" + id)
			wantBody(t, "invited", r, text("nl", "web.status.invited"), text("nl", "web.admin_person.reinvite"))
			r = c.post("/admin/people/"+id+"/invitation", nil)
			wantStatus(t, "reinvite", r, http.StatusCreated)
			second := regexpInviteLink.FindStringSubmatch(r.Body)[1]
			wantStatus(t, "old link", s.client().get(strings.TrimPrefix(first, s.URL)), http.StatusNotFound)
			wantStatus(t, "new link", s.client().get(strings.TrimPrefix(second, s.URL)), http.StatusOK)
			r = c.post("/admin/people/"+s.staff.ID+"/invitation", nil)
			wantStatus(t, "already accepted", r, http.StatusConflict)
			wantBody(t, "already accepted", r, text("nl", "error.already_accepted"))
		})

		t.Run("CreateAdvisor", func(t *testing.T) {
			wantBody(t, "form", c.get("/admin/people/new"), `name="advisor"`, text("nl", "web.person_form.advisor"))
			r := c.post("/admin/people", url.Values{"name": {"Aad Adviseur"}, "email": {"aad@example.nl"},
				"organisation_id": {s.root.ID}, "kind": {"staff"}, "advisor": {"on"}})
			wantStatus(t, "invite", r, http.StatusCreated)
			id := regexp.MustCompile(`href="/admin/people/([^"/]+)"`).FindStringSubmatch(r.Body)[1]
			wantBody(t, "advisor kept", c.get("/admin/people/"+id), `name="advisor" value="on" checked`)
		})

		t.Run("Sessions", func(t *testing.T) {
			staff := s.signedIn(s.staff)
			r := c.get("/admin/people/" + s.staff.ID)
			m := regexp.MustCompile(`action="(/admin/people/[^"]+/sessions/[^"]+/revoke)"`).FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("no session listed:\n%s", excerpt(r.Body))
			}
			wantRedirect(t, "revoke", c.post(m[1], nil), "/admin/people/"+s.staff.ID)
			wantRedirect(t, "staff signed out", staff.get("/"), "/login")
			s.signedIn(s.staff)
			wantRedirect(t, "revoke all", c.post("/admin/people/"+s.staff.ID+"/sessions/revoke-all", nil), "/admin/people/"+s.staff.ID)
			wantBody(t, "none left", c.get("/admin/people/"+s.staff.ID), text("nl", "web.sessions.none"))
		})
	})
}
