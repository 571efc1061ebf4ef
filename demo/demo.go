// Package demo fills an empty database with a fictional but believable network of libraries:
// a support organisation, eight libraries with their branches, partner organisations and
// about 150 people, so that a newcomer has something to explore. Later capabilities add their
// own demo content here.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/biebplein/biebplein"
)

// Password is the password of every demo account. The demo is for exploring, not for use.
const Password = "welkom-in-de-bieb"

// The accounts printed at start-up.
const (
	AdminEmail     = "ingrid.bakker@biebnet-zuidwaard.example"
	VolunteerEmail = "henk.jansen@bibliotheek-hoeksmeer.example"
)

// Summary tells what the demo network holds.
type Summary struct {
	Organisations  int
	People         int
	Groups         int
	Posts          int
	Comments       int
	AdminEmail     string
	VolunteerEmail string
	Password       string
}

// ErrNotEmpty is returned when the database already has accounts that are not the demo's.
var ErrNotEmpty = errors.New("demo: the database already has accounts; the demo network is only loaded into an empty database")

// Service is what the demo needs of the service: hashing the demo password once for all
// accounts, and writing groups and posts as their members would.
type Service interface {
	HashPassword(password string) (string, error)
	Social
}

// Load creates the demo network in an empty database. When the demo network is there already
// it changes nothing and returns its summary; when other accounts exist it returns ErrNotEmpty.
func Load(ctx context.Context, st biebplein.Store, svc Service) (*Summary, error) {
	n, err := st.CountPeople(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		if _, err := st.FindPersonByEmail(ctx, AdminEmail); err != nil {
			if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
				return nil, ErrNotEmpty
			}
			return nil, err
		}
		orgs, err := st.FindOrganisations(ctx, biebplein.OrganisationFilter{})
		if err != nil {
			return nil, err
		}
		return &Summary{Organisations: len(orgs), People: n, AdminEmail: AdminEmail, VolunteerEmail: VolunteerEmail, Password: Password}, nil
	}
	hash, err := svc.HashPassword(Password)
	if err != nil {
		return nil, err
	}
	b := &builder{st: st, hash: hash, rng: rand.New(rand.NewPCG(2026, 11)), now: time.Now().UTC().Truncate(time.Microsecond)}
	if err := b.build(ctx); err != nil {
		return nil, err
	}
	if err := b.social(ctx, svc); err != nil {
		return nil, err
	}
	return &Summary{Organisations: b.orgs, People: b.people, Groups: b.groups, Posts: b.posts, Comments: b.comments,
		AdminEmail: AdminEmail, VolunteerEmail: VolunteerEmail, Password: Password}, nil
}

type builder struct {
	st       biebplein.Store
	hash     string
	rng      *rand.Rand
	now      time.Time
	orgs     int
	people   int
	groups   int
	posts    int
	comments int
	emails   map[string]bool
}

func (b *builder) org(ctx context.Context, name string, kind biebplein.OrganisationKind, parent *biebplein.Organisation) (*biebplein.Organisation, error) {
	o := &biebplein.Organisation{Name: name, Kind: kind, CreatedAt: b.now, UpdatedAt: b.now}
	if parent != nil {
		o.ParentID = parent.ID
	}
	if err := b.st.CreateOrganisation(ctx, o); err != nil {
		return nil, fmt.Errorf("organisation %s: %w", name, err)
	}
	b.orgs++
	return o, nil
}

// personSpec describes one person to create; zero fields are filled in at random.
type personSpec struct {
	name, email, function, bio string
	kind                       biebplein.PersonKind
	admin, invited, inactive   bool
	expertise, interests       []string
}

func (b *builder) person(ctx context.Context, o *biebplein.Organisation, domain string, ps personSpec) error {
	if ps.name == "" {
		ps.name = b.randomName()
	}
	if ps.email == "" {
		ps.email = b.uniqueEmail(ps.name, domain)
	}
	b.emails[ps.email] = true
	p := &biebplein.Person{
		Email: ps.email, Name: ps.name, Kind: ps.kind, Admin: ps.admin, Function: ps.function,
		Organisation: biebplein.OrganisationRef{ID: o.ID, Name: o.Name, Kind: o.Kind},
		Bio:          ps.bio, Expertise: ps.expertise, Interests: ps.interests,
		Locale: biebplein.LocaleNL, PasswordHash: b.hash, CreatedAt: b.now, UpdatedAt: b.now,
		// The advisors of the support organisation receive the questions nobody answered.
		Advisor: o.Kind == biebplein.OrgSupport && strings.HasPrefix(ps.function, "adviseur"),
	}
	if p.Expertise == nil {
		p.Expertise = []string{}
	}
	if p.Interests == nil {
		p.Interests = []string{}
	}
	if ps.invited {
		p.PasswordHash = ""
	}
	if err := b.st.CreatePerson(ctx, p); err != nil {
		return fmt.Errorf("person %s: %w", ps.email, err)
	}
	if ps.inactive {
		at := b.now
		if err := b.st.SetDeactivated(ctx, p.ID, &at); err != nil {
			return err
		}
	}
	b.people++
	return nil
}

func (b *builder) randomName() string {
	first := firstNames[b.rng.IntN(len(firstNames))]
	last := lastNames[b.rng.IntN(len(lastNames))]
	return first + " " + last
}

// uniqueEmail makes firstname.lastname@domain, numbered when taken.
func (b *builder) uniqueEmail(name, domain string) string {
	local := strings.ToLower(strings.NewReplacer(" ", ".", "'", "", "é", "e", "ë", "e", "ï", "i", "ö", "o").Replace(name))
	local = strings.ReplaceAll(local, "..", ".")
	email := local + "@" + domain
	for i := 2; b.emails[email]; i++ {
		email = fmt.Sprintf("%s%d@%s", local, i, domain)
	}
	return email
}

// pick returns n distinct items of list at random.
func (b *builder) pick(list []string, n int) []string {
	idx := b.rng.Perm(len(list))
	out := make([]string, 0, n)
	for _, i := range idx[:min(n, len(list))] {
		out = append(out, list[i])
	}
	return out
}

func slug(name string) string {
	return strings.ToLower(strings.NewReplacer(" ", "-", "'", "").Replace(name))
}
