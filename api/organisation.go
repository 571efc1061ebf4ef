package api

import "github.com/biebplein/biebplein"

// organisationJSON is an organisation as the API shows it. ParentID is null for a root.
type organisationJSON struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Kind        string  `json:"kind"`
	ParentID    *string `json:"parent_id"`
	MemberCount int     `json:"member_count"`
}

func newOrganisation(o *biebplein.Organisation) organisationJSON {
	out := organisationJSON{ID: o.ID, Name: o.Name, Kind: string(o.Kind), MemberCount: o.MemberCount}
	if o.ParentID != "" {
		out.ParentID = &o.ParentID
	}
	return out
}
