package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// organisationList lists organisations by name: GET /api/v1/organisations, optionally only
// those of ?kind= or directly under ?parent_id=.
func (s *Server) organisationList(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := q.page()
	f := biebplein.OrganisationFilter{
		Kind:     biebplein.OrganisationKind(q.text("kind")),
		ParentID: q.text("parent_id"),
	}
	if f.Kind != "" && !f.Kind.Valid() {
		q.fail("kind", "error.org_kind_invalid")
	}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	orgs, err := s.svc.Organisations(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	orgs, next, err := paginate(orgs, func(o *biebplein.Organisation) string { return o.ID }, p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := listBody[organisationJSON]{Items: make([]organisationJSON, 0, len(orgs)), NextCursor: next}
	for _, o := range orgs {
		out.Items = append(out.Items, newOrganisation(o))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
