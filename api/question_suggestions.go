package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// suggestionJSON is a person the finder suggests for a question, with the reasons per topic.
type suggestionJSON struct {
	Person  personJSON        `json:"person"`
	Score   int               `json:"score"`
	Reasons []topicReasonJSON `json:"reasons"`
}

// topicReasonJSON is a reason with the topic it is about.
type topicReasonJSON struct {
	Topic string `json:"topic"`
	reasonJSON
}

// questionSuggestions answers whom to ask: GET /api/v1/questions/suggestions?topics=a,b with
// ?group_id= (default the "Vraag en antwoord" space): at most eight people who may read it,
// best first, without the caller.
func (s *Server) questionSuggestions(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	topics, groupID := q.text("topics"), q.text("group_id")
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	sugs, err := s.svc.QuestionSuggestions(r.Context(), biebplein.SplitTags(topics), groupID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	actor := biebplein.ActorFrom(r.Context())
	locale := s.locale(r)
	out := listBody[suggestionJSON]{Items: make([]suggestionJSON, 0, len(sugs))}
	for _, sg := range sugs {
		x := suggestionJSON{Person: newPerson(actor, sg.Person), Score: sg.Score, Reasons: make([]topicReasonJSON, 0, len(sg.Reasons))}
		for _, reason := range sg.Reasons {
			key, args := biebplein.ReasonText(reason.ExpertReason, reason.Topic)
			x.Reasons = append(x.Reasons, topicReasonJSON{Topic: reason.Topic, reasonJSON: reasonJSON{Kind: reason.Kind,
				Count: reason.Count, Label: reason.Label, Text: s.bundle.T(locale, key, args...)}})
		}
		out.Items = append(out.Items, x)
	}
	s.writeJSON(w, r, http.StatusOK, out)
}
