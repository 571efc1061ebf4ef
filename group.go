package biebplein

import (
	"context"
	"time"
)

// Visibility says who may see a group and its posts.
type Visibility string

// The visibilities of a group. See Viewer.CanSeeGroup and Viewer.CanReadGroup for the rule.
const (
	// VisPublic: everyone signed in, partners included.
	VisPublic Visibility = "public"
	// VisNetwork: all staff and volunteers of the network (partners only as members).
	VisNetwork Visibility = "network"
	// VisOrganisation: the people of one organisation and of the organisations below it (a
	// library and its branches), and members.
	VisOrganisation Visibility = "organisation"
	// VisClosed: listed for staff and volunteers, who may ask to join; posts for members only.
	VisClosed Visibility = "closed"
	// VisSecret: not listed; members and invited people only.
	VisSecret Visibility = "secret"
)

// Valid reports whether v is a known visibility.
func (v Visibility) Valid() bool {
	switch v {
	case VisPublic, VisNetwork, VisOrganisation, VisClosed, VisSecret:
		return true
	}
	return false
}

// Group is a space for posts: a team, a project, a community, a cross-library network.
type Group struct {
	ID             string
	Name           string
	Description    string
	Visibility     Visibility
	OrganisationID string // the organisation of an organisation group; "" otherwise
	ImageID        string // media file id of the group image, "" for none
	MemberCount    int
	// Questions marks the "Vraag en antwoord" space (issue 5): everyone who may read it may
	// post questions in it without joining (Viewer.CanPost).
	Questions bool
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Membership is the viewer's own membership, filled by store reads that know the viewer;
	// nil when the viewer is not a member, has not asked and is not invited.
	Membership *Membership
}

// Role is what a member may do in a group.
type Role string

// Group roles. A group always keeps at least one admin.
const (
	RoleMember Role = "member"
	RoleAdmin  Role = "admin"
)

// MemberStatus says where a person stands with a group.
type MemberStatus string

// Membership statuses.
const (
	StatusMember  MemberStatus = "member"  // a member (with a Role)
	StatusPending MemberStatus = "pending" // asked to join a closed group; waits for an admin
	StatusInvited MemberStatus = "invited" // invited by a group admin; may accept or decline
)

// Membership links a person to a group.
type Membership struct {
	GroupID   string
	PersonID  string
	Role      Role
	Status    MemberStatus
	InvitedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsMember reports whether m is a full membership.
func (m *Membership) IsMember() bool { return m != nil && m.Status == StatusMember }

// IsGroupAdmin reports whether m makes its person an admin of the group.
func (m *Membership) IsGroupAdmin() bool { return m.IsMember() && m.Role == RoleAdmin }

// Limits on group fields, in characters.
const (
	MaxGroupNameLen        = 80
	MaxGroupDescriptionLen = 2000
)

// GroupInput holds the editable fields of a group.
type GroupInput struct {
	Name           string
	Description    string
	Visibility     Visibility
	OrganisationID string
	// ImageID is the media file id of a new group image, stored (checked and cleaned) before
	// the group is saved; "" keeps the current image.
	ImageID string
	// RemoveImage drops the current image when no new one is given.
	RemoveImage bool
}

// Normalize trims the input.
func (in *GroupInput) Normalize() {
	in.Name = collapseSpace(in.Name)
	in.Description = trimText(in.Description)
}

// Validate checks the input on its own. Whether the organisation exists is the service's check.
func (in *GroupInput) Validate() error {
	var v Validation
	checkText(&v, "name", in.Name, MaxGroupNameLen, true)
	checkText(&v, "description", in.Description, MaxGroupDescriptionLen, false)
	v.Check(in.Visibility.Valid(), "visibility", "error.visibility_invalid")
	if in.Visibility == VisOrganisation {
		v.Check(in.OrganisationID != "", "organisation_id", "error.organisation_required")
	}
	return v.Err()
}

// GroupFilter selects groups. Scope is required: it says whose eyes the list is for, and the
// store turns it into the visibility predicate (see GroupScope).
type GroupFilter struct {
	Scope  GroupScope
	ID     string
	Query  string // part of the name or description, case-insensitive
	Member bool   // only groups the viewer is a full member of ("my groups")
	After  string // cursor
	Limit  int
}

// GroupStore persists groups and memberships.
type GroupStore interface {
	// CreateGroup stores g and makes creatorID its admin, in one transaction.
	// Returns conflict when the name is taken.
	CreateGroup(ctx context.Context, g *Group, creatorID string) error
	// UpdateGroup stores name, description, visibility, organisation and image. Returns
	// not_found, conflict.
	UpdateGroup(ctx context.Context, g *Group) error
	// FindGroups returns the groups within the filter's scope, ordered by name, with the
	// viewer's membership filled in, and the next cursor.
	FindGroups(ctx context.Context, f GroupFilter) ([]*Group, string, error)
	// FindMembership returns a person's membership of a group, or not_found.
	FindMembership(ctx context.Context, groupID, personID string) (*Membership, error)
	// FindMembers returns the memberships of a group with the given status, admins first then
	// by name, with their people.
	FindMembers(ctx context.Context, f MemberFilter) ([]*Member, string, error)
	// SaveMembership creates or replaces a membership and keeps MemberCount right. It returns
	// conflict (error.last_group_admin) when the change would leave the group without an admin.
	// The notices it causes are written in the same transaction.
	SaveMembership(ctx context.Context, m *Membership, notices ...Notice) error
	// DeleteMembership removes a membership (leave, refuse, remove), with the same last-admin
	// guard. Returns not_found.
	DeleteMembership(ctx context.Context, groupID, personID string) error
}

// MemberFilter selects the memberships of one group.
type MemberFilter struct {
	GroupID string
	Status  MemberStatus // "" means StatusMember
	After   string
	Limit   int
}

// Member is a membership with its person, for member lists.
type Member struct {
	Membership
	Person *Person
}
