package api

import (
	"time"

	"github.com/biebplein/biebplein"
)

// groupJSON is a group as the API shows it. MyRole is the caller's standing: admin, member,
// pending (asked to join), invited, or null.
type groupJSON struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Description    string    `json:"description"`
	Visibility     string    `json:"visibility"`
	OrganisationID *string   `json:"organisation_id"`
	MemberCount    int       `json:"member_count"`
	MyRole         *string   `json:"my_role"`
	CreatedAt      time.Time `json:"created_at"`
}

func newGroup(g *biebplein.Group) groupJSON {
	out := groupJSON{ID: g.ID, Name: g.Name, Description: g.Description, Visibility: string(g.Visibility),
		MemberCount: g.MemberCount, MyRole: myRole(g.Membership), CreatedAt: g.CreatedAt.UTC()}
	if g.OrganisationID != "" {
		out.OrganisationID = &g.OrganisationID
	}
	return out
}

// myRole names a membership as my_role does: the role of a member, else the status.
func myRole(m *biebplein.Membership) *string {
	if m == nil {
		return nil
	}
	role := string(m.Status)
	if m.IsMember() {
		role = string(m.Role)
	}
	return &role
}

// memberJSON is a person's membership of a group, in member lists.
type memberJSON struct {
	Person personRefJSON `json:"person"`
	Role   string        `json:"role"`
	Status string        `json:"status"`
}

func newMember(m *biebplein.Member) memberJSON {
	out := memberJSON{Role: string(m.Role), Status: string(m.Status)}
	if m.Person != nil {
		out.Person = personRefJSON{ID: m.Person.ID, Name: m.Person.Name}
	} else {
		out.Person = personRefJSON{ID: m.PersonID}
	}
	return out
}

// personRefJSON is the short form of a person inside other resources.
type personRefJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// errNotFound is the answer for a path id that cannot name anything.
func errNotFound() error { return biebplein.Errorf(biebplein.CodeNotFound, "error.not_found") }

// Message keys of the group and post routes, in i18n/catalog/*/api.json.
const (
	msgMemberInvalid       = "error.api_member_invalid"
	msgMemberStatusInvalid = "error.api_member_status_invalid"
	msgPollNotAllowed      = "error.api_poll_not_allowed"
	msgTimeInvalid         = "error.api_time_invalid"
)
