package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// expertJSON is a person suggested for a topic, with the reasons in plain words.
type expertJSON struct {
	Person  personJSON   `json:"person"`
	Score   int          `json:"score"`
	Reasons []reasonJSON `json:"reasons"`
}

// reasonJSON is one reason: what kind, how many, the tag, function or group it is about
// (label, "" for counted activity), and the sentence the site shows (text, in the caller's
// language).
type reasonJSON struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

// expertList answers "who knows about...?": GET /api/v1/experts with ?topic= (required),
// ?organisation_id= (or ?organisation=), ?kind=, ?function=, ?limit= and ?cursor=.
func (s *Server) expertList(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	p := q.page()
	org := q.text("organisation_id")
	if org == "" {
		org = q.text("organisation")
	}
	f := biebplein.ExpertFilter{
		Topic:          q.text("topic"),
		OrganisationID: org,
		Kind:           biebplein.PersonKind(q.text("kind")),
		Function:       q.text("function"),
		After:          p.cursor,
		Limit:          p.limit,
	}
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	experts, next, err := s.svc.Experts(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	actor := biebplein.ActorFrom(r.Context())
	locale := s.locale(r)
	topic := biebplein.NormalizeTag(f.Topic)
	out := listBody[expertJSON]{Items: make([]expertJSON, 0, len(experts)), NextCursor: next}
	for _, e := range experts {
		x := expertJSON{Person: newPerson(actor, e.Person), Score: e.Score, Reasons: make([]reasonJSON, 0, len(e.Reasons))}
		for _, reason := range e.Reasons {
			key, args := biebplein.ReasonText(reason, topic)
			x.Reasons = append(x.Reasons, reasonJSON{Kind: reason.Kind, Count: reason.Count, Label: reason.Label,
				Text: s.bundle.T(locale, key, args...)})
		}
		out.Items = append(out.Items, x)
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
