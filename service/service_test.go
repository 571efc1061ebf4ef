package service_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/service"
	"github.com/biebplein/biebplein/store/storetest"
)

// clock is a settable time source.
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
	svc   *service.Service
	clock *clock
	sys   context.Context
	root  *biebplein.Organisation
	lib   *biebplein.Organisation
	admin *biebplein.Person
	staff *biebplein.Person
}

// MustFixture builds a service on a fresh database with a support organisation, a library,
// an administrator and a staff member, both with password "wachtwoord-123".
func MustFixture(t *testing.T, dialect string) *fixture {
	t.Helper()
	f := &fixture{clock: &clock{t: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)}}
	f.svc = service.New(storetest.Open(t, dialect), service.Options{BaseURL: "http://bieb.test", Password: auth.FastParams, Now: f.clock.Now})
	f.sys = service.System(context.Background())
	var err error
	if f.root, err = f.svc.CreateOrganisation(f.sys, biebplein.OrganisationInput{Name: "Biebnet", Kind: biebplein.OrgSupport}); err != nil {
		t.Fatal(err)
	}
	if f.lib, err = f.svc.CreateOrganisation(f.sys, biebplein.OrganisationInput{Name: "Bibliotheek Hoeksmeer", Kind: biebplein.OrgLibrary, ParentID: f.root.ID}); err != nil {
		t.Fatal(err)
	}
	f.admin = f.mustPerson(t, "admin@bieb.test", true)
	f.staff = f.mustPerson(t, "staff@bieb.test", false)
	return f
}

func (f *fixture) mustPerson(t *testing.T, email string, admin bool) *biebplein.Person {
	t.Helper()
	p, _, err := f.svc.CreatePerson(f.sys, biebplein.PersonInput{Email: email, Name: strings.Split(email, "@")[0], Kind: biebplein.KindStaff, OrganisationID: f.lib.ID, Admin: admin, Password: "wachtwoord-123"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) as(p *biebplein.Person) context.Context {
	return biebplein.NewContext(context.Background(), p)
}

func code(err error) string { return biebplein.ErrorCode(err) }

func forEachDialect(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, MustFixture(t, d)) })
	}
}

func TestSignInThrottle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		wrong := service.Credentials{Email: "staff@bieb.test", Password: "fout-fout-fout", IP: "10.0.0.1"}
		for i := 0; i < 5; i++ {
			if _, _, _, err := f.svc.SignIn(ctx, wrong); code(err) != biebplein.CodeUnauthorized {
				t.Fatalf("attempt %d: %v, want unauthorized", i+1, err)
			}
		}
		right := service.Credentials{Email: "staff@bieb.test", Password: "wachtwoord-123", IP: "10.0.0.2"}
		if _, _, _, err := f.svc.SignIn(ctx, right); code(err) != biebplein.CodeRateLimited {
			t.Fatalf("sixth attempt with the right password = %v, want rate_limited (per account)", err)
		}
		f.clock.Add(16 * time.Minute)
		if _, _, _, err := f.svc.SignIn(ctx, right); err != nil {
			t.Fatalf("after the window: %v, want success", err)
		}

		t.Run("PerAddress", func(t *testing.T) {
			for i := 0; i < 20; i++ {
				c := service.Credentials{Email: "niemand" + string(rune('a'+i)) + "@bieb.test", Password: "x-x-x-x-x-x", IP: "10.9.9.9"}
				if _, _, _, err := f.svc.SignIn(ctx, c); code(err) != biebplein.CodeUnauthorized {
					t.Fatalf("attempt %d: %v", i, err)
				}
			}
			c := service.Credentials{Email: "admin@bieb.test", Password: "wachtwoord-123", IP: "10.9.9.9"}
			if _, _, _, err := f.svc.SignIn(ctx, c); code(err) != biebplein.CodeRateLimited {
				t.Fatalf("from a throttled address = %v, want rate_limited", err)
			}
		})
		t.Run("SameAnswerForUnknownAddress", func(t *testing.T) {
			_, _, _, e1 := f.svc.SignIn(ctx, service.Credentials{Email: "onbekend@bieb.test", Password: "x-x-x-x-x-x", IP: "10.1.1.1"})
			_, _, _, e2 := f.svc.SignIn(ctx, service.Credentials{Email: "admin@bieb.test", Password: "x-x-x-x-x-x", IP: "10.1.1.2"})
			if e1.Error() != e2.Error() {
				t.Fatalf("unknown address: %v; wrong password: %v; want the same answer", e1, e2)
			}
		})
	})
}

func TestInvitation(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p, link, err := f.svc.CreatePerson(f.as(f.admin), biebplein.PersonInput{Email: "nieuw@bieb.test", Name: "Nieuw", Kind: biebplein.KindVolunteer, OrganisationID: f.lib.ID})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(link, "http://bieb.test/invite/") {
			t.Fatalf("link = %q", link)
		}
		token := strings.TrimPrefix(link, "http://bieb.test/invite/")
		if _, _, _, err := f.svc.SignIn(ctx, service.Credentials{Email: "nieuw@bieb.test", Password: "", IP: "1"}); code(err) != biebplein.CodeUnauthorized {
			t.Fatalf("invited person signs in without a password: %v", err)
		}
		t.Run("Mismatch", func(t *testing.T) {
			_, _, _, err := f.svc.AcceptInvitation(ctx, token, "wachtwoord-456", "wachtwoord-457", service.Credentials{})
			if biebplein.ErrorFields(err)["password_repeat"] != "error.password_mismatch" {
				t.Fatalf("err = %v, want password_repeat mismatch", err)
			}
		})
		t.Run("Accept", func(t *testing.T) {
			_, _, got, err := f.svc.AcceptInvitation(ctx, token, "wachtwoord-456", "wachtwoord-456", service.Credentials{})
			if err != nil || got.ID != p.ID {
				t.Fatalf("accept = %v, %v", got, err)
			}
			if _, _, _, err := f.svc.AcceptInvitation(ctx, token, "wachtwoord-789", "wachtwoord-789", service.Credentials{}); code(err) != biebplein.CodeNotFound {
				t.Fatalf("second use = %v, want not_found", err)
			}
		})
		t.Run("ExpiresAfterSevenDays", func(t *testing.T) {
			_, link, err := f.svc.CreatePerson(f.as(f.admin), biebplein.PersonInput{Email: "laat@bieb.test", Name: "Laat", Kind: biebplein.KindStaff, OrganisationID: f.lib.ID})
			if err != nil {
				t.Fatal(err)
			}
			f.clock.Add(7*24*time.Hour + time.Minute)
			if _, err := f.svc.Invitation(ctx, link[strings.LastIndex(link, "/")+1:]); code(err) != biebplein.CodeNotFound {
				t.Fatalf("after 7 days = %v, want not_found", err)
			}
		})
	})
}

func TestOrganisationRules(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		admin := f.as(f.admin)
		branch, err := f.svc.CreateOrganisation(admin, biebplein.OrganisationInput{Name: "Hoeksmeer Noord", Kind: biebplein.OrgBranch, ParentID: f.lib.ID})
		if err != nil {
			t.Fatal(err)
		}
		for name, in := range map[string]biebplein.OrganisationInput{
			"BranchUnderSupport":  {Name: "X", Kind: biebplein.OrgBranch, ParentID: f.root.ID},
			"LibraryUnderLibrary": {Name: "Y", Kind: biebplein.OrgLibrary, ParentID: f.lib.ID},
			"UnknownParent":       {Name: "Z", Kind: biebplein.OrgPartner, ParentID: "nope"},
		} {
			t.Run(name, func(t *testing.T) {
				if _, err := f.svc.CreateOrganisation(admin, in); biebplein.ErrorFields(err)["parent_id"] == "" {
					t.Fatalf("err = %v, want a parent_id field error", err)
				}
			})
		}
		t.Run("NoCycles", func(t *testing.T) {
			partner, err := f.svc.CreateOrganisation(admin, biebplein.OrganisationInput{Name: "Schoolbestuur", Kind: biebplein.OrgPartner, ParentID: f.root.ID})
			if err != nil {
				t.Fatal(err)
			}
			school, err := f.svc.CreateOrganisation(admin, biebplein.OrganisationInput{Name: "School", Kind: biebplein.OrgPartner, ParentID: partner.ID})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.UpdateOrganisation(admin, partner.ID, biebplein.OrganisationInput{Name: "Schoolbestuur", Kind: biebplein.OrgPartner, ParentID: school.ID}); code(err) != biebplein.CodeInvalid {
				t.Fatalf("moving a partner under its own school = %v, want invalid", err)
			}
		})
		t.Run("NonAdminGetsNotFound", func(t *testing.T) {
			if _, err := f.svc.CreateOrganisation(f.as(f.staff), biebplein.OrganisationInput{Name: "Q", Kind: biebplein.OrgBranch, ParentID: f.lib.ID}); code(err) != biebplein.CodeNotFound {
				t.Fatalf("staff creates organisation = %v, want not_found", err)
			}
		})
		_ = branch
	})
}

func TestAdministrators(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		admin := f.as(f.admin)
		t.Run("CannotDeactivateSelf", func(t *testing.T) {
			if err := f.svc.SetActive(admin, f.admin.ID, false); code(err) != biebplein.CodeConflict {
				t.Fatalf("err = %v, want conflict", err)
			}
		})
		t.Run("LastAdminKeepsFlag", func(t *testing.T) {
			_, err := f.svc.UpdatePerson(admin, f.admin.ID, service.AdminUpdate{Name: "admin", Kind: biebplein.KindStaff, OrganisationID: f.lib.ID})
			if biebplein.ErrorMessage(err) != "error.last_admin" {
				t.Fatalf("err = %v, want error.last_admin", err)
			}
		})
		t.Run("DeactivationEndsSessions", func(t *testing.T) {
			ctx := context.Background()
			_, token, _, err := f.svc.SignIn(ctx, service.Credentials{Email: "staff@bieb.test", Password: "wachtwoord-123", IP: "10.0.0.3"})
			if err != nil {
				t.Fatal(err)
			}
			_, secret, err := f.svc.CreateToken(f.as(f.staff), "script")
			if err != nil {
				t.Fatal(err)
			}
			if err := f.svc.SetActive(admin, f.staff.ID, false); err != nil {
				t.Fatal(err)
			}
			if _, _, err := f.svc.Authenticate(ctx, token); code(err) != biebplein.CodeUnauthorized {
				t.Fatalf("session after deactivation = %v, want unauthorized", err)
			}
			if _, _, err := f.svc.AuthenticateToken(ctx, secret); code(err) != biebplein.CodeUnauthorized {
				t.Fatalf("API token after deactivation = %v, want unauthorized", err)
			}
			if _, _, _, err := f.svc.SignIn(ctx, service.Credentials{Email: "staff@bieb.test", Password: "wachtwoord-123", IP: "10.0.0.3"}); code(err) != biebplein.CodeUnauthorized {
				t.Fatalf("sign-in after deactivation = %v, want unauthorized", err)
			}
		})
		t.Run("SessionsOfOthersAreNotFound", func(t *testing.T) {
			other := f.mustPerson(t, "ander@bieb.test", false)
			if _, err := f.svc.Sessions(f.as(other), f.admin.ID); code(err) != biebplein.CodeNotFound {
				t.Fatalf("err = %v, want not_found", err)
			}
			if _, err := f.svc.Sessions(admin, other.ID); err != nil {
				t.Fatalf("admin lists sessions of another: %v", err)
			}
		})
	})
}

func TestSetupLink(t *testing.T) {
	svc := service.New(storetest.Open(t, "sqlite"), service.Options{BaseURL: "http://bieb.test", Password: auth.FastParams})
	ctx := context.Background()
	first, err := svc.SetupLink(ctx)
	if err != nil || first == "" {
		t.Fatalf("SetupLink = %q, %v", first, err)
	}
	link, _ := svc.SetupLink(ctx)
	token := link[strings.LastIndex(link, "/")+1:]
	if err := svc.CheckSetup(ctx, first[strings.LastIndex(first, "/")+1:]); code(err) != biebplein.CodeNotFound {
		t.Fatalf("an earlier setup link still works: %v", err)
	}
	in := service.SetupInput{OrganisationName: "Biebnet", Name: "Eerste Beheerder", Email: "eerste@bieb.test", Password: "wachtwoord-123", PasswordRepeat: "wachtwoord-123"}
	_, _, p, err := svc.CompleteSetup(ctx, token, in, service.Credentials{})
	if err != nil || !p.Admin {
		t.Fatalf("CompleteSetup = %+v, %v", p, err)
	}
	if _, _, _, err := svc.CompleteSetup(ctx, token, in, service.Credentials{}); code(err) != biebplein.CodeNotFound {
		t.Fatalf("second setup = %v, want not_found", err)
	}
	if link, err := svc.SetupLink(ctx); link != "" || err != nil {
		t.Fatalf("SetupLink after setup = %q, %v; want none", link, err)
	}
}
