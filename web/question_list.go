package web

import (
	"net/http"
	"time"

	"github.com/biebplein/biebplein"
)

var questionFilterForm = formSpec{ID: "questions", Fields: []field{
	{Name: "topic", Label: "web.questions.topic", Hint: "web.questions.topic_hint", Type: "search", List: "question-topics", Optional: true},
}}

type questionsPage struct {
	base
	Form  *Form
	Topic string // the topic filtered on, normalised; "" for all
	Feed  *feedView
	Tags  []string // the most used tags, for the topic field
}

// questionList shows the open questions (no accepted answer yet) the reader may read,
// newest first, of one topic with ?topic=: where someone who knows can help.
func (s *Server) questionList(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.questions.title", "questions")
	f := newForm(b.L, questionFilterForm).readQuery(r)
	f.CheckText("topic")
	p := questionsPage{base: b, Form: f}
	var err error
	if p.Tags, err = s.tagSuggestions(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	if f.OK() {
		admins, _, err := s.adminGroups(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Topic = biebplein.NormalizeTag(f.Get("topic"))
		filter := biebplein.PostFilter{Feed: biebplein.FeedQuestions, Topic: p.Topic}
		if p.Feed, err = s.loadFeed(r, &p.base, filter, admins, time.Time{}); err != nil {
			if !f.Fail(err) {
				s.fail(w, r, err)
				return
			}
		}
	}
	p.HasErrors = f.HasErrors()
	s.render(w, r, filterStatus(f), "questions", p)
}
