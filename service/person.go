package service

import (
	"context"
	"strconv"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/search"
)

// MaxPageSize is the most items one page of a list may hold.
const MaxPageSize = 100

// People returns a page of the people directory. Only administrators see deactivated people.
func (s *Service) People(ctx context.Context, f biebplein.PersonFilter) ([]*biebplein.Person, string, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, "", err
	}
	f.MatchEmail = biebplein.IsAdmin(a)
	if !biebplein.IsAdmin(a) {
		f.Status = biebplein.StatusActive
		f.Email = ""
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = MaxPageSize
	}
	f.Expertise = biebplein.NormalizeTag(f.Expertise)
	return s.store.FindPeople(ctx, f)
}

// Person returns a profile the actor may see, or not_found.
func (s *Service) Person(ctx context.Context, id string) (*biebplein.Person, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.store.FindPersonByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !biebplein.CanSeePerson(a, p) {
		return nil, errNotFound()
	}
	return p, nil
}

// Tags suggests tags in use ("expertise" or "interest") starting with prefix.
func (s *Service) Tags(ctx context.Context, kind, prefix string) ([]string, error) {
	if _, err := requireActor(ctx); err != nil {
		return nil, err
	}
	if kind != "expertise" && kind != "interest" {
		kind = "expertise"
	}
	return s.store.FindTags(ctx, kind, biebplein.NormalizeTag(prefix), 20)
}

// UpdateProfile changes the profile of a person: the actor's own, or anyone's for an admin.
func (s *Service) UpdateProfile(ctx context.Context, personID string, u biebplein.ProfileUpdate) (*biebplein.Person, error) {
	if err := s.selfOrAdmin(ctx, personID); err != nil {
		return nil, err
	}
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return nil, err
	}
	u.Normalize()
	if err := u.Validate(); err != nil {
		return nil, err
	}
	for _, tags := range []*[]string{u.Expertise, u.Interests} {
		if tags != nil {
			if *tags, err = s.spellTags(ctx, *tags); err != nil {
				return nil, err
			}
		}
	}
	u.Apply(p)
	p.UpdatedAt = s.now()
	if err := s.store.UpdatePerson(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// CreatePerson adds a person (administrators only). Without a password the person is invited:
// the returned link lets them set one within seven days. With a password they can sign in at
// once and the link is "".
func (s *Service) CreatePerson(ctx context.Context, in biebplein.PersonInput) (*biebplein.Person, string, error) {
	a, err := requireAdmin(ctx)
	if err != nil {
		return nil, "", err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, "", err
	}
	org, err := s.store.FindOrganisationByID(ctx, in.OrganisationID)
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		return nil, "", fieldError(biebplein.CodeInvalid, "organisation_id", "error.organisation_not_found")
	} else if err != nil {
		return nil, "", err
	}
	now := s.now()
	p := &biebplein.Person{
		Email: in.Email, Name: in.Name, Kind: in.Kind, Admin: in.Admin, Advisor: in.Advisor, Function: in.Function,
		Organisation: biebplein.OrganisationRef{ID: org.ID, Name: org.Name, Kind: org.Kind},
		Locale:       biebplein.LocaleNL, CreatedAt: now, UpdatedAt: now,
		Expertise: []string{}, Interests: []string{},
	}
	if in.Password != "" {
		if p.PasswordHash, err = auth.HashPassword(in.Password, s.opts.Password); err != nil {
			return nil, "", err
		}
	}
	p.ID = biebplein.NewID(now)
	details := map[string]string{"kind": string(p.Kind), "organisation_id": org.ID, "admin": strconv.FormatBool(p.Admin),
		"advisor": strconv.FormatBool(p.Advisor)}
	if err := s.store.CreatePerson(s.audited(ctx, biebplein.AuditPersonCreated, p.ID, details), p); err != nil {
		return nil, "", err
	}
	if in.Password != "" {
		return p, "", nil
	}
	link, err := s.invite(ctx, a, p)
	if err != nil {
		return nil, "", err
	}
	return p, link, nil
}

// AdminUpdate holds what an administrator may change about a person beyond their profile.
type AdminUpdate struct {
	Name           string
	Kind           biebplein.PersonKind
	OrganisationID string
	Function       string
	Admin          bool
	// Simple switches simple mode on or off for the person (a volunteer who finds the full
	// site too busy); nil leaves it as it is.
	Simple *bool
	// Advisor makes the person an advisor, who receives the questions nobody answered
	// (issue 5); nil leaves it as it is.
	Advisor *bool
}

// UpdatePerson changes a person's name, kind, organisation, function, admin flag, simple
// mode and advisor flag (administrators only). The last active administrator cannot lose the flag.
func (s *Service) UpdatePerson(ctx context.Context, personID string, u AdminUpdate) (*biebplein.Person, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return nil, err
	}
	in := biebplein.PersonInput{Email: p.Email, Name: u.Name, Kind: u.Kind, OrganisationID: u.OrganisationID, Function: u.Function}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	org, err := s.store.FindOrganisationByID(ctx, in.OrganisationID)
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		return nil, fieldError(biebplein.CodeInvalid, "organisation_id", "error.organisation_not_found")
	} else if err != nil {
		return nil, err
	}
	if p.Admin && !u.Admin {
		if err := s.keepAnAdmin(ctx, p.ID); err != nil {
			return nil, err
		}
	}
	actx := ctx
	switch {
	case u.Admin && !p.Admin:
		actx = s.audited(actx, biebplein.AuditAdminGranted, p.ID, nil)
	case !u.Admin && p.Admin:
		actx = s.audited(actx, biebplein.AuditAdminRevoked, p.ID, nil)
	}
	if in.Kind != p.Kind || org.ID != p.Organisation.ID {
		actx = s.audited(actx, biebplein.AuditPersonChanged, p.ID, map[string]string{
			"kind": string(p.Kind) + " -> " + string(in.Kind), "organisation_id": p.Organisation.ID + " -> " + org.ID})
	}
	p.Name, p.Kind, p.Function, p.Admin = in.Name, in.Kind, in.Function, u.Admin
	if u.Simple != nil {
		p.Simple = *u.Simple
	}
	if u.Advisor != nil {
		p.Advisor = *u.Advisor
	}
	p.Organisation = biebplein.OrganisationRef{ID: org.ID, Name: org.Name, Kind: org.Kind}
	p.UpdatedAt = s.now()
	if err := s.store.UpdatePerson(actx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// keepAnAdmin fails when personID is the only active administrator.
func (s *Service) keepAnAdmin(ctx context.Context, personID string) error {
	yes := true
	admins, _, err := s.store.FindPeople(ctx, biebplein.PersonFilter{Admin: &yes, Limit: 2})
	if err != nil {
		return err
	}
	for _, a := range admins {
		if a.ID != personID && a.Active() && !a.Invited() {
			return nil
		}
	}
	return biebplein.Errorf(biebplein.CodeConflict, "error.last_admin")
}

// SetActive deactivates or reactivates a person (administrators only). Deactivating ends all
// their sessions and API tokens at once. Administrators cannot deactivate themselves.
func (s *Service) SetActive(ctx context.Context, personID string, active bool) error {
	a, err := requireAdmin(ctx)
	if err != nil {
		return err
	}
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return err
	}
	if !active && a.ID == p.ID {
		return biebplein.Errorf(biebplein.CodeConflict, "error.cannot_deactivate_self")
	}
	if !active && p.Admin {
		if err := s.keepAnAdmin(ctx, p.ID); err != nil {
			return err
		}
	}
	var at *time.Time
	action := biebplein.AuditReactivated
	if !active {
		now := s.now()
		at, action = &now, biebplein.AuditDeactivated
	}
	return s.store.SetDeactivated(s.audited(ctx, action, personID, nil), personID, at)
}

// spellTags writes each tag as the tag in use that differs from it only in case or
// diacritics is most often written, so that one skill stays one tag ("Coöperatie" typed
// where "cooperatie" is in use becomes "cooperatie").
func (s *Service) spellTags(ctx context.Context, tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, tag := range tags {
		uses, err := s.store.FindTagUses(ctx, tag, 0)
		if err != nil {
			return nil, err
		}
		key := search.Fold(tag)
		for _, u := range uses { // most used first
			if search.Fold(u.Tag) == key {
				tag = u.Tag
				break
			}
		}
		out = append(out, tag)
	}
	return biebplein.NormalizeTags(out), nil
}
