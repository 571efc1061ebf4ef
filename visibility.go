package biebplein

import "slices"

// Who may see what is decided here, once. The rule is data (Grant, per visibility and access
// level) with two readers: the Viewer methods below answer for one group, and the store turns
// the same Grants into the SQL predicate that filters every list, feed and search. A test in
// the store checks that both readers agree on every combination of visibility, kind of
// person, organisation and membership.

// Access is the level of access asked for.
type Access int

// Access levels.
const (
	// AccessSee: the group exists for the viewer: it is listed, its page and about show.
	AccessSee Access = iota
	// AccessRead: the viewer may read the group's posts, comments and files.
	AccessRead
)

// Grant lists the ways a viewer gets an access level to groups of one visibility. Any one of
// them is enough.
type Grant struct {
	All       bool           // every signed-in person
	Kinds     []PersonKind   // people of these kinds
	OrgKinds  []PersonKind   // people of these kinds in the group's organisation or below it
	Statuses  []MemberStatus // people with a membership in one of these statuses
	SiteAdmin bool           // site administrators
}

var (
	internal     = []PersonKind{KindStaff, KindVolunteer}
	members      = []MemberStatus{StatusMember}
	membersAsked = []MemberStatus{StatusMember, StatusPending, StatusInvited}
	membersInv   = []MemberStatus{StatusMember, StatusInvited}
)

// GroupGrant returns the rule for groups of visibility v at access level a. Partners reach
// anything but public groups only through membership: "exactly the spaces shared with them".
// Site administrators see every group (to administer it) and read all but secret ones.
func GroupGrant(v Visibility, a Access) Grant {
	switch v {
	case VisPublic:
		return Grant{All: true}
	case VisNetwork:
		if a == AccessSee {
			return Grant{Kinds: internal, Statuses: membersAsked, SiteAdmin: true}
		}
		return Grant{Kinds: internal, Statuses: members, SiteAdmin: true}
	case VisOrganisation:
		if a == AccessSee {
			return Grant{OrgKinds: internal, Statuses: membersAsked, SiteAdmin: true}
		}
		return Grant{OrgKinds: internal, Statuses: members, SiteAdmin: true}
	case VisClosed:
		if a == AccessSee {
			return Grant{Kinds: internal, Statuses: membersAsked, SiteAdmin: true}
		}
		return Grant{Statuses: members, SiteAdmin: true}
	case VisSecret:
		if a == AccessSee {
			return Grant{Statuses: membersInv, SiteAdmin: true}
		}
		return Grant{Statuses: members}
	}
	return Grant{}
}

// Viewer is what the rule needs to know about the person looking.
type Viewer struct {
	PersonID string
	Kind     PersonKind
	Admin    bool
	// Organisations holds the viewer's organisation and every organisation above it.
	Organisations []string
}

// ViewerFor returns the viewer a person is, given their organisation and every organisation
// above it (OrganisationStore.OrganisationChain).
func ViewerFor(p *Person, chain []string) Viewer {
	return Viewer{PersonID: p.ID, Kind: p.Kind, Admin: IsAdmin(p), Organisations: chain}
}

// Allows reports whether g gives the viewer access to a group of organisation orgID, given
// the viewer's membership m (nil when none).
func (v Viewer) Allows(g Grant, orgID string, m *Membership) bool {
	if v.PersonID == "" {
		return false
	}
	switch {
	case g.All:
		return true
	case g.SiteAdmin && v.Admin:
		return true
	case slices.Contains(g.Kinds, v.Kind):
		return true
	case orgID != "" && slices.Contains(g.OrgKinds, v.Kind) && slices.Contains(v.Organisations, orgID):
		return true
	case m != nil && m.PersonID == v.PersonID && slices.Contains(g.Statuses, m.Status):
		return true
	}
	return false
}

// CanSeeGroup reports whether the group exists for the viewer. If not, it is a 404.
func (v Viewer) CanSeeGroup(g *Group, m *Membership) bool {
	return v.Allows(GroupGrant(g.Visibility, AccessSee), g.OrganisationID, m)
}

// CanReadGroup reports whether the viewer may read the group's posts, comments and files.
func (v Viewer) CanReadGroup(g *Group, m *Membership) bool {
	return v.Allows(GroupGrant(g.Visibility, AccessRead), g.OrganisationID, m)
}

// CanPost reports whether the viewer may write posts in the group: its members, and site
// administrators in groups they may read. In the "Vraag en antwoord" space (Group.Questions)
// everyone who may read it may post, questions only (the service checks the kind).
func (v Viewer) CanPost(g *Group, m *Membership) bool {
	member := m.IsMember() && m.PersonID == v.PersonID
	return (member || v.Admin || g.Questions) && v.CanReadGroup(g, m)
}

// CanManageGroup reports whether the viewer may edit the group and its members: group
// admins, and site administrators for groups they can see.
func (v Viewer) CanManageGroup(g *Group, m *Membership) bool {
	return (m.IsGroupAdmin() && m.PersonID == v.PersonID) || (v.Admin && v.CanSeeGroup(g, m))
}

// GroupScope tells the store whose eyes a list is for and which access it needs; the store
// builds the visibility predicate from it with GroupGrant, so lists agree with CanSeeGroup and
// CanReadGroup.
type GroupScope struct {
	Viewer Viewer
	Access Access
}

// Visibilities lists every visibility, for building predicates and tests.
func Visibilities() []Visibility {
	return []Visibility{VisPublic, VisNetwork, VisOrganisation, VisClosed, VisSecret}
}
