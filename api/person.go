package api

import "github.com/biebplein/biebplein"

// personJSON is a person as the API shows it.
type personJSON struct {
	ID           string              `json:"id"`
	Name         string              `json:"name"`
	Kind         string              `json:"kind"`
	Admin        bool                `json:"admin"`
	Organisation organisationRefJSON `json:"organisation"`
	Function     string              `json:"function"`
	Bio          string              `json:"bio"`
	Expertise    []string            `json:"expertise"`
	Interests    []string            `json:"interests"`
	// Email is shown to the person themselves and to administrators.
	Email string `json:"email,omitempty"`
	// Locale is shown on /me only.
	Locale string `json:"locale,omitempty"`
	// Simple (simple mode) is shown to the person themselves and to administrators.
	Simple *bool `json:"simple,omitempty"`
	// Status is shown to administrators: active, invited or deactivated.
	Status string `json:"status,omitempty"`
	// InviteURL is set once, when an administrator creates a person without a password.
	InviteURL string `json:"invite_url,omitempty"`
}

type organisationRefJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Person statuses as the API names them.
const (
	statusActive      = "active"
	statusInvited     = "invited"
	statusDeactivated = "deactivated"
)

// newPerson renders p for actor.
func newPerson(actor, p *biebplein.Person) personJSON {
	out := personJSON{
		ID:           p.ID,
		Name:         p.Name,
		Kind:         string(p.Kind),
		Admin:        p.Admin,
		Organisation: organisationRefJSON{ID: p.Organisation.ID, Name: p.Organisation.Name, Kind: string(p.Organisation.Kind)},
		Function:     p.Function,
		Bio:          p.Bio,
		Expertise:    nonNil(p.Expertise),
		Interests:    nonNil(p.Interests),
	}
	admin := biebplein.IsAdmin(actor)
	if biebplein.CanSeeEmail(actor, p) {
		out.Email = p.Email
	}
	if admin {
		out.Status = personStatus(p)
	}
	if admin || (actor != nil && actor.ID == p.ID) {
		simple := p.Simple
		out.Simple = &simple
	}
	return out
}

func personStatus(p *biebplein.Person) string {
	switch {
	case !p.Active():
		return statusDeactivated
	case p.Invited():
		return statusInvited
	}
	return statusActive
}

// nonNil returns s, or an empty slice for nil, so that JSON shows [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
