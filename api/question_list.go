package api

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// questionList pages through the open questions (no accepted answer) the caller may read,
// newest first: GET /api/v1/questions with ?topic= (optional, without #, any case).
func (s *Server) questionList(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	topic := q.text("topic")
	if err := q.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.feed(w, r, biebplein.PostFilter{Feed: biebplein.FeedQuestions, Topic: topic})
}
