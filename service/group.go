package service

import (
	"context"
	"slices"

	"github.com/biebplein/biebplein"
)

// viewer returns the signed-in actor and what the visibility rule needs to know about them.
func (s *Service) viewer(ctx context.Context) (*biebplein.Person, biebplein.Viewer, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, biebplein.Viewer{}, err
	}
	chain, err := s.store.OrganisationChain(ctx, a.Organisation.ID)
	if err != nil {
		return nil, biebplein.Viewer{}, err
	}
	return a, biebplein.ViewerFor(a, chain), nil
}

func errForbidden(key string) error { return biebplein.Errorf(biebplein.CodeForbidden, key) }

// Groups lists the groups the actor can see (the directory; with Member, "my groups").
func (s *Service) Groups(ctx context.Context, f biebplein.GroupFilter) ([]*biebplein.Group, string, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, "", err
	}
	f.Scope = biebplein.GroupScope{Viewer: v, Access: biebplein.AccessSee}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = MaxPageSize
	}
	return s.store.FindGroups(ctx, f)
}

// Group returns a group the actor can see, with their membership, or not_found.
func (s *Service) Group(ctx context.Context, id string) (*biebplein.Group, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	return s.group(ctx, v, id)
}

func (s *Service) group(ctx context.Context, v biebplein.Viewer, id string) (*biebplein.Group, error) {
	if id == "" {
		return nil, errNotFound()
	}
	groups, _, err := s.store.FindGroups(ctx, biebplein.GroupFilter{ID: id, Limit: 1,
		Scope: biebplein.GroupScope{Viewer: v, Access: biebplein.AccessSee}})
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, errNotFound()
	}
	return groups[0], nil
}

// GroupImage returns the media file id of the image of a group the actor can see. A group
// the actor may not see, and a group without an image, are not_found alike.
func (s *Service) GroupImage(ctx context.Context, groupID string) (string, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return "", err
	}
	g, err := s.group(ctx, v, groupID)
	if err != nil {
		return "", err
	}
	if g.ImageID == "" {
		return "", errNotFound()
	}
	return g.ImageID, nil
}

// CanCreateGroup reports whether the actor may start groups: staff and administrators.
// Volunteers and partners join groups others make, which keeps the directory tidy.
func CanCreateGroup(actor *biebplein.Person) bool {
	return actor != nil && (actor.Kind == biebplein.KindStaff || biebplein.IsAdmin(actor))
}

// CreateGroup starts a group with the actor as its admin.
func (s *Service) CreateGroup(ctx context.Context, in biebplein.GroupInput) (*biebplein.Group, error) {
	a, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	if !CanCreateGroup(a) {
		return nil, errForbidden("error.group_create_not_allowed")
	}
	in.Normalize()
	if err := s.checkGroupInput(ctx, v, in); err != nil {
		return nil, err
	}
	now := s.now()
	g := &biebplein.Group{Name: in.Name, Description: in.Description, Visibility: in.Visibility,
		OrganisationID: in.OrganisationID, ImageID: in.ImageID, CreatedBy: a.ID, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateGroup(ctx, g, a.ID); err != nil {
		return nil, err
	}
	return s.group(ctx, v, g.ID)
}

// UpdateGroup changes a group's name, description, visibility and image (group and site
// admins). A new in.ImageID replaces the image; without one, in.RemoveImage drops it and
// otherwise it stays. The caller deletes the file of a replaced image.
func (s *Service) UpdateGroup(ctx context.Context, id string, in biebplein.GroupInput) (*biebplein.Group, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, err
	}
	g, err := s.group(ctx, v, id)
	if err != nil {
		return nil, err
	}
	if !v.CanManageGroup(g, g.Membership) {
		return nil, errForbidden("error.group_admins_only")
	}
	in.Normalize()
	if err := s.checkGroupInput(ctx, v, in); err != nil {
		return nil, err
	}
	g.Name, g.Description, g.Visibility, g.OrganisationID, g.UpdatedAt = in.Name, in.Description, in.Visibility, in.OrganisationID, s.now()
	switch {
	case in.ImageID != "":
		g.ImageID = in.ImageID
	case in.RemoveImage:
		g.ImageID = ""
	}
	if err := s.store.UpdateGroup(ctx, g); err != nil {
		return nil, err
	}
	return g, nil
}

// checkGroupInput validates a group; an organisation group must belong to an organisation the
// actor is part of (administrators may choose any).
func (s *Service) checkGroupInput(ctx context.Context, v biebplein.Viewer, in biebplein.GroupInput) error {
	if in.Visibility != biebplein.VisOrganisation {
		in.OrganisationID = ""
	}
	if err := in.Validate(); err != nil {
		return err
	}
	if in.Visibility != biebplein.VisOrganisation {
		return nil
	}
	if _, err := s.store.FindOrganisationByID(ctx, in.OrganisationID); biebplein.ErrorCode(err) == biebplein.CodeNotFound {
		return fieldError(biebplein.CodeInvalid, "organisation_id", "error.organisation_not_found")
	} else if err != nil {
		return err
	}
	if !v.Admin && !slices.Contains(v.Organisations, in.OrganisationID) {
		return fieldError(biebplein.CodeInvalid, "organisation_id", "error.group_organisation_not_yours")
	}
	return nil
}

// JoinGroup joins a group the actor can see: at once for public, network and organisation
// groups and for an invitation; a request for closed groups. Secret groups need an invitation.
// It returns the resulting status.
func (s *Service) JoinGroup(ctx context.Context, id string) (biebplein.MemberStatus, error) {
	a, v, err := s.viewer(ctx)
	if err != nil {
		return "", err
	}
	g, err := s.group(ctx, v, id)
	if err != nil {
		return "", err
	}
	m := g.Membership
	switch {
	case m.IsMember():
		return biebplein.StatusMember, nil
	case m != nil && m.Status == biebplein.StatusPending:
		return biebplein.StatusPending, nil
	case m != nil && m.Status == biebplein.StatusInvited:
		m.Status, m.UpdatedAt = biebplein.StatusMember, s.now()
		return m.Status, s.store.SaveMembership(ctx, m)
	case g.Visibility == biebplein.VisSecret:
		return "", errForbidden("error.group_invite_only")
	case g.Questions:
		// Everyone who may read the "Vraag en antwoord" space may ask there; it has no
		// admin, so it takes no members.
		return "", biebplein.Errorf(biebplein.CodeConflict, "error.question_space_no_join")
	}
	now := s.now()
	m = &biebplein.Membership{GroupID: g.ID, PersonID: a.ID, Role: biebplein.RoleMember, Status: biebplein.StatusMember, CreatedAt: now, UpdatedAt: now}
	if g.Visibility == biebplein.VisClosed {
		m.Status = biebplein.StatusPending
	} else if !v.CanReadGroup(g, m) {
		// A group one may see but not read when a member (none today) asks first.
		m.Status = biebplein.StatusPending
	}
	var notices []biebplein.Notice
	if m.Status == biebplein.StatusPending {
		notices = append(notices, s.notice(biebplein.NoticeJoinRequest, a.ID, "", g.ID, biebplein.Audience{AdminsOf: g.ID}))
	}
	if err := s.store.SaveMembership(ctx, m, notices...); err != nil {
		return "", err
	}
	s.told(ctx, notices)
	return m.Status, nil
}

// LeaveGroup ends the actor's membership, request or invitation. The last admin cannot leave.
func (s *Service) LeaveGroup(ctx context.Context, id string) error {
	a, v, err := s.viewer(ctx)
	if err != nil {
		return err
	}
	g, err := s.group(ctx, v, id)
	if err != nil {
		return err
	}
	if g.Membership == nil {
		return nil
	}
	return s.store.DeleteMembership(ctx, g.ID, a.ID)
}

// managedGroup returns a group the actor manages, or not_found/forbidden.
func (s *Service) managedGroup(ctx context.Context, id string) (*biebplein.Group, biebplein.Viewer, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, v, err
	}
	g, err := s.group(ctx, v, id)
	if err != nil {
		return nil, v, err
	}
	if !v.CanManageGroup(g, g.Membership) {
		return nil, v, errForbidden("error.group_admins_only")
	}
	return g, v, nil
}

// ApproveRequest makes a pending requester a member (group admins).
func (s *Service) ApproveRequest(ctx context.Context, groupID, personID string) error {
	m, err := s.pendingRequest(ctx, groupID, personID)
	if err != nil {
		return err
	}
	m.Status, m.UpdatedAt = biebplein.StatusMember, s.now()
	notices := []biebplein.Notice{s.notice(biebplein.NoticeApproved, biebplein.ActorFrom(ctx).ID, "", m.GroupID,
		biebplein.Audience{People: []string{m.PersonID}})}
	if err := s.store.SaveMembership(ctx, m, notices...); err != nil {
		return err
	}
	s.told(ctx, notices)
	return nil
}

// RefuseRequest removes a pending request (group admins).
func (s *Service) RefuseRequest(ctx context.Context, groupID, personID string) error {
	m, err := s.pendingRequest(ctx, groupID, personID)
	if err != nil {
		return err
	}
	return s.store.DeleteMembership(ctx, m.GroupID, m.PersonID)
}

// pendingRequest returns a person's request to join a group the actor manages, or conflict
// when there is none.
func (s *Service) pendingRequest(ctx context.Context, groupID, personID string) (*biebplein.Membership, error) {
	g, _, err := s.managedGroup(ctx, groupID)
	if err != nil {
		return nil, err
	}
	m, err := s.store.FindMembership(ctx, g.ID, personID)
	if err != nil {
		return nil, err
	}
	if m.Status != biebplein.StatusPending {
		return nil, biebplein.Errorf(biebplein.CodeConflict, "error.no_pending_request")
	}
	return m, nil
}

// InviteToGroup invites a person (group admins); they accept by joining.
func (s *Service) InviteToGroup(ctx context.Context, groupID, personID string) error {
	return s.addMember(ctx, groupID, personID, biebplein.RoleMember, biebplein.StatusInvited)
}

// AddMember adds a person directly with a role (group admins).
func (s *Service) AddMember(ctx context.Context, groupID, personID string, role biebplein.Role) error {
	if role == "" {
		role = biebplein.RoleMember
	}
	if role != biebplein.RoleMember && role != biebplein.RoleAdmin {
		return fieldError(biebplein.CodeInvalid, "role", "error.role_invalid")
	}
	return s.addMember(ctx, groupID, personID, role, biebplein.StatusMember)
}

func (s *Service) addMember(ctx context.Context, groupID, personID string, role biebplein.Role, status biebplein.MemberStatus) error {
	g, v, err := s.managedGroup(ctx, groupID)
	if err != nil {
		return err
	}
	p, err := s.store.FindPersonByID(ctx, personID)
	if biebplein.ErrorCode(err) == biebplein.CodeNotFound || (err == nil && !p.Active()) {
		return fieldError(biebplein.CodeInvalid, "person_id", "error.person_not_found")
	} else if err != nil {
		return err
	}
	now := s.now()
	m, err := s.store.FindMembership(ctx, g.ID, p.ID)
	switch {
	case biebplein.ErrorCode(err) == biebplein.CodeNotFound:
		m = &biebplein.Membership{GroupID: g.ID, PersonID: p.ID, CreatedAt: now}
	case err != nil:
		return err
	case m.IsMember() && status == biebplein.StatusInvited:
		return biebplein.Errorf(biebplein.CodeConflict, "error.already_member")
	}
	wasInvited := m.Status == biebplein.StatusInvited
	m.Role, m.Status, m.InvitedBy, m.UpdatedAt = role, status, v.PersonID, now
	var notices []biebplein.Notice
	if status == biebplein.StatusInvited && !wasInvited {
		notices = append(notices, s.notice(biebplein.NoticeInvitation, v.PersonID, "", g.ID, biebplein.Audience{People: []string{p.ID}}))
	}
	if err := s.store.SaveMembership(ctx, m, notices...); err != nil {
		return err
	}
	s.told(ctx, notices)
	return nil
}

// SetRole makes a member an admin or a plain member (group admins). The last admin stays.
func (s *Service) SetRole(ctx context.Context, groupID, personID string, role biebplein.Role) error {
	if role != biebplein.RoleMember && role != biebplein.RoleAdmin {
		return fieldError(biebplein.CodeInvalid, "role", "error.role_invalid")
	}
	g, _, err := s.managedGroup(ctx, groupID)
	if err != nil {
		return err
	}
	m, err := s.store.FindMembership(ctx, g.ID, personID)
	if err != nil {
		return err
	}
	if !m.IsMember() {
		return biebplein.Errorf(biebplein.CodeConflict, "error.not_a_member")
	}
	m.Role, m.UpdatedAt = role, s.now()
	return s.store.SaveMembership(ctx, m)
}

// RemoveMember removes a member, request or invitation (group admins; anyone for themselves).
func (s *Service) RemoveMember(ctx context.Context, groupID, personID string) error {
	a, err := requireActor(ctx)
	if err != nil {
		return err
	}
	if a.ID == personID {
		return s.LeaveGroup(ctx, groupID)
	}
	g, _, err := s.managedGroup(ctx, groupID)
	if err != nil {
		return err
	}
	return s.store.DeleteMembership(ctx, g.ID, personID)
}

// Members lists a group's members (for those who may read it) or, for its admins, its pending
// requests and open invitations.
func (s *Service) Members(ctx context.Context, f biebplein.MemberFilter) ([]*biebplein.Member, string, error) {
	_, v, err := s.viewer(ctx)
	if err != nil {
		return nil, "", err
	}
	g, err := s.group(ctx, v, f.GroupID)
	if err != nil {
		return nil, "", err
	}
	if f.Status == "" {
		f.Status = biebplein.StatusMember
	}
	switch {
	case f.Status == biebplein.StatusMember && !v.CanReadGroup(g, g.Membership):
		return nil, "", errForbidden("error.group_members_only")
	case f.Status != biebplein.StatusMember && !v.CanManageGroup(g, g.Membership):
		return nil, "", errForbidden("error.group_admins_only")
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = MaxPageSize
	}
	return s.store.FindMembers(ctx, f)
}
