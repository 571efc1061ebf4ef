package service

import (
	"context"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
)

// RootOrganisationName is the name of the support organisation created on an empty site when
// no other name is given.
const RootOrganisationName = "Ondersteuningsorganisatie"

// SetupLink returns a one-time link for creating the first administrator when nobody has an
// account yet, and "" otherwise. Each call makes a new link; earlier ones stop working.
func (s *Service) SetupLink(ctx context.Context) (string, error) {
	n, err := s.store.CountPeople(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	token := auth.NewToken()
	now := s.now()
	inv := &biebplein.Invitation{
		Purpose:   biebplein.InviteSetup,
		TokenHash: auth.HashToken(token),
		CreatedAt: now,
		ExpiresAt: now.Add(biebplein.InvitationLifetime),
	}
	if err := s.store.CreateInvitation(ctx, inv); err != nil {
		return "", err
	}
	return s.opts.BaseURL + "/setup/" + token, nil
}

// SetupInput is what the first administrator fills in.
type SetupInput struct {
	OrganisationName string
	Name             string
	Email            string
	Password         string
	PasswordRepeat   string
}

// CheckSetup reports whether a setup token is usable: nil, or not_found.
func (s *Service) CheckSetup(ctx context.Context, token string) error {
	inv, err := s.store.FindInvitation(ctx, auth.HashToken(token), s.now())
	if err != nil && biebplein.ErrorCode(err) != biebplein.CodeNotFound {
		return err // a failing database is not an invalid link
	}
	if err != nil || inv.Purpose != biebplein.InviteSetup {
		return biebplein.Errorf(biebplein.CodeNotFound, "error.invitation_invalid")
	}
	return nil
}

// CompleteSetup creates the root support organisation and the first administrator from a setup
// link, and signs them in.
func (s *Service) CompleteSetup(ctx context.Context, token string, in SetupInput, c Credentials) (*biebplein.Session, string, *biebplein.Person, error) {
	if err := s.CheckSetup(ctx, token); err != nil {
		return nil, "", nil, err
	}
	org := &biebplein.Organisation{Name: in.OrganisationName, Kind: biebplein.OrgSupport}
	pin := biebplein.PersonInput{Email: in.Email, Name: in.Name, Kind: biebplein.KindStaff, OrganisationID: "-", Admin: true, Password: in.Password}
	pin.Normalize()
	oin := biebplein.OrganisationInput{Name: in.OrganisationName, Kind: biebplein.OrgSupport}
	oin.Normalize()
	org.Name = oin.Name
	var v biebplein.Validation
	mergeFields(&v, oin.Validate(), map[string]string{"name": "organisation_name"})
	mergeFields(&v, pin.Validate(), nil)
	if in.Password == "" {
		v.Add("password", "error.password_required")
	}
	v.Check(in.Password == in.PasswordRepeat, "password_repeat", "error.password_mismatch")
	if err := v.Err(); err != nil {
		return nil, "", nil, err
	}
	hash, err := auth.HashPassword(in.Password, s.opts.Password)
	if err != nil {
		return nil, "", nil, err
	}
	now := s.now()
	p := &biebplein.Person{
		Email: pin.Email, Name: pin.Name, Kind: biebplein.KindStaff, Admin: true,
		Locale: biebplein.LocaleNL, PasswordHash: hash, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CompleteSetup(ctx, auth.HashToken(token), org, p, now); err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
			return nil, "", nil, biebplein.Errorf(biebplein.CodeNotFound, "error.invitation_invalid")
		}
		return nil, "", nil, err
	}
	sess, secret, err := s.newSession(ctx, p, c)
	if err != nil {
		return nil, "", nil, err
	}
	return sess, secret, p, nil
}

// mergeFields copies the field problems of err into v, renaming fields by rename.
func mergeFields(v *biebplein.Validation, err error, rename map[string]string) {
	for f, key := range biebplein.ErrorFields(err) {
		if r, ok := rename[f]; ok {
			f = r
		}
		v.Add(f, key)
	}
}

// Invitation returns the person an invitation link is for, or not_found when the link is
// unknown, used or expired.
func (s *Service) Invitation(ctx context.Context, token string) (*biebplein.Person, error) {
	inv, err := s.store.FindInvitation(ctx, auth.HashToken(token), s.now())
	if err != nil && biebplein.ErrorCode(err) != biebplein.CodeNotFound {
		return nil, err // a failing database is not an invalid link
	}
	if err != nil || inv.Purpose != biebplein.InviteJoin {
		return nil, biebplein.Errorf(biebplein.CodeNotFound, "error.invitation_invalid")
	}
	p, err := s.store.FindPersonByID(ctx, inv.PersonID)
	if err != nil && biebplein.ErrorCode(err) != biebplein.CodeNotFound {
		return nil, err
	}
	if err != nil || !p.Active() {
		// A deactivated person's link must not set a password that then cannot be used.
		return nil, biebplein.Errorf(biebplein.CodeNotFound, "error.invitation_invalid")
	}
	return p, nil
}

// AcceptInvitation sets the invited person's password, uses up the link and signs them in.
func (s *Service) AcceptInvitation(ctx context.Context, token, password, repeat string, c Credentials) (*biebplein.Session, string, *biebplein.Person, error) {
	if _, err := s.Invitation(ctx, token); err != nil {
		return nil, "", nil, err
	}
	var v biebplein.Validation
	mergeFields(&v, biebplein.ValidatePassword("password", password), nil)
	v.Check(password == repeat, "password_repeat", "error.password_mismatch")
	if err := v.Err(); err != nil {
		return nil, "", nil, err
	}
	hash, err := auth.HashPassword(password, s.opts.Password)
	if err != nil {
		return nil, "", nil, err
	}
	p, err := s.store.AcceptInvitation(ctx, auth.HashToken(token), hash, s.now())
	if err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeNotFound {
			return nil, "", nil, biebplein.Errorf(biebplein.CodeNotFound, "error.invitation_invalid")
		}
		return nil, "", nil, err
	}
	if !p.Active() {
		return nil, "", nil, biebplein.Errorf(biebplein.CodeNotFound, "error.invitation_invalid")
	}
	sess, secret, err := s.newSession(ctx, p, c)
	if err != nil {
		return nil, "", nil, err
	}
	return sess, secret, p, nil
}

// Reinvite makes a new invitation link for a person who has not set a password yet
// (administrators only); earlier links stop working.
func (s *Service) Reinvite(ctx context.Context, personID string) (string, error) {
	a, err := requireAdmin(ctx)
	if err != nil {
		return "", err
	}
	p, err := s.store.FindPersonByID(ctx, personID)
	if err != nil {
		return "", err
	}
	if !p.Invited() {
		return "", biebplein.Errorf(biebplein.CodeConflict, "error.already_accepted")
	}
	return s.invite(ctx, a, p)
}

func (s *Service) invite(ctx context.Context, by, p *biebplein.Person) (string, error) {
	token := auth.NewToken()
	now := s.now()
	inv := &biebplein.Invitation{
		Purpose:   biebplein.InviteJoin,
		PersonID:  p.ID,
		CreatedBy: by.ID,
		TokenHash: auth.HashToken(token),
		CreatedAt: now,
		ExpiresAt: now.Add(biebplein.InvitationLifetime),
		Link:      s.opts.BaseURL + "/invite/" + token,
	}
	if err := s.store.CreateInvitation(ctx, inv); err != nil {
		return "", err
	}
	return inv.Link, nil
}
