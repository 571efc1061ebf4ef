package biebplein

import (
	"context"
	"time"
)

// OrganisationKind says what an organisation is in the network.
type OrganisationKind string

// The kinds of organisation. Support organisations (POI) sit at the root; libraries hang under
// them and branches under libraries; partner organisations (school boards, schools, cultural
// institutions) hang under a library or the support organisation, or under another partner
// (a school under its school board).
const (
	OrgSupport OrganisationKind = "support"
	OrgLibrary OrganisationKind = "library"
	OrgBranch  OrganisationKind = "branch"
	OrgPartner OrganisationKind = "partner"
)

// Valid reports whether k is one of the known kinds.
func (k OrganisationKind) Valid() bool {
	switch k {
	case OrgSupport, OrgLibrary, OrgBranch, OrgPartner:
		return true
	}
	return false
}

// Organisation is a node of the organisation tree.
type Organisation struct {
	ID       string
	Name     string
	Kind     OrganisationKind
	ParentID string // "" for a root
	// MailHideText leaves post text out of the e-mail of this organisation's people (and of
	// those below it) and of posts in its groups: subject and link only.
	MailHideText bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// MemberCount is the number of active people directly in this organisation; filled by
	// FindOrganisations.
	MemberCount int
}

// OrganisationRef is the short form of an organisation embedded in other records.
type OrganisationRef struct {
	ID   string
	Name string
	Kind OrganisationKind
}

// OrganisationInput holds the editable fields of an organisation.
type OrganisationInput struct {
	Name     string
	Kind     OrganisationKind
	ParentID string
	// MailHideText, when not nil, changes Organisation.MailHideText.
	MailHideText *bool
}

// Normalize trims the name.
func (in *OrganisationInput) Normalize() { in.Name = NormalizeName(in.Name) }

// MaxNameLen is the longest name (of a person, an organisation, a token) in characters.
const MaxNameLen = 120

// Validate checks the input on its own; whether the parent exists and may hold this kind is
// checked by ValidParent.
func (in *OrganisationInput) Validate() error {
	var v Validation
	checkText(&v, "name", in.Name, MaxNameLen, true)
	v.Check(in.Kind.Valid(), "kind", "error.org_kind_invalid")
	return v.Err()
}

// ValidParent reports whether an organisation of kind child may hang under parent (nil for a
// root). Support organisations are roots; libraries hang under a support organisation; branches
// under a library; partners anywhere but under a branch.
func ValidParent(child OrganisationKind, parent *Organisation) bool {
	if parent == nil {
		return child == OrgSupport || child == OrgPartner
	}
	switch child {
	case OrgSupport:
		return false
	case OrgLibrary:
		return parent.Kind == OrgSupport
	case OrgBranch:
		return parent.Kind == OrgLibrary
	case OrgPartner:
		return parent.Kind != OrgBranch
	}
	return false
}

// OrganisationFilter selects organisations. Zero fields do not filter.
type OrganisationFilter struct {
	ID       string
	Kind     OrganisationKind
	ParentID string
	Name     string // exact name, case-insensitive
	Limit    int    // 0: all
}

// OrganisationStore persists organisations.
type OrganisationStore interface {
	// CreateOrganisation stores a new organisation, setting its ID and times.
	// Returns conflict when the name is taken (names are unique, case-insensitive).
	CreateOrganisation(ctx context.Context, o *Organisation) error
	// UpdateOrganisation stores the name, kind and parent of o. Returns not_found, conflict.
	UpdateOrganisation(ctx context.Context, o *Organisation) error
	// FindOrganisationByID returns not_found when there is no such organisation.
	FindOrganisationByID(ctx context.Context, id string) (*Organisation, error)
	// FindOrganisations returns organisations ordered by name.
	FindOrganisations(ctx context.Context, f OrganisationFilter) ([]*Organisation, error)
	// OrganisationChain returns the id of an organisation followed by the ids of all
	// organisations above it, nearest first; empty for an unknown id.
	OrganisationChain(ctx context.Context, id string) ([]string, error)
}
