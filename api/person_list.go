package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// personStatuses maps ?status= of the people list to the filter; administrators only, the
// service shows everyone else active and invited people whatever they ask.
var personStatuses = map[string]string{
	"":                biebplein.StatusActive,
	statusActive:      biebplein.StatusActive,
	"all":             biebplein.StatusAll,
	statusDeactivated: biebplein.StatusDeactivated,
}

// personList pages through the directory: GET /api/v1/people with ?q= (part of a name,
// function or e-mail address), ?expertise=, ?organisation_id=, ?kind= and ?status=.
func (s *Server) personList(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := q.page()
	f := biebplein.PersonFilter{
		Query:          q.text("q"),
		Expertise:      q.text("expertise"),
		OrganisationID: q.text("organisation_id"),
		Kind:           biebplein.PersonKind(q.text("kind")),
		After:          p.cursor,
		Limit:          p.limit,
	}
	if f.Kind != "" && !f.Kind.Valid() {
		q.fail("kind", "error.person_kind_invalid")
	}
	status, ok := personStatuses[q.text("status")]
	if !ok {
		q.fail("status", msgStatusInvalid)
	}
	f.Status = status
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	people, next, err := s.svc.People(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	actor := biebplein.ActorFrom(r.Context())
	out := listBody[personJSON]{Items: make([]personJSON, 0, len(people)), NextCursor: next}
	for _, p := range people {
		out.Items = append(out.Items, newPerson(actor, p))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
