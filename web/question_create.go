package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// questionCreate handles both buttons of the question form: "Toon wie dit weet"
// (action=suggest) draws the form again with the people who know about its topics, anything
// else posts the question and tells the people ticked. A problem keeps everything typed and
// ticked.
func (s *Server) questionCreate(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.question_new.title", "ask")
	f := newForm(b.L, questionForm).read(r)
	asked := r.PostForm["ask"]
	f.CheckText("title", "body", "topics", "group_id")
	for _, id := range asked {
		if !biebplein.ValidText(id) {
			f.AddError("ask", "error.text_invalid")
		}
	}
	if r.PostForm.Get("action") == "suggest" {
		status := http.StatusOK
		if !f.OK() {
			status = http.StatusBadRequest
		}
		s.renderQuestionForm(w, r, b, status, f, asked, f.OK())
		return
	}
	if !f.OK() {
		s.renderQuestionForm(w, r, b, http.StatusBadRequest, f, asked, len(asked) > 0)
		return
	}
	p, err := s.svc.AskQuestion(r.Context(), biebplein.QuestionInput{
		Title: f.Get("title"), Body: f.Get("body"), Topics: biebplein.SplitTags(f.Get("topics")),
		GroupID: f.Get("group_id"), Ask: asked,
	})
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		// Draw the suggestions again so that the ticks stay, unless the topics are the problem.
		_, badTopics := biebplein.ErrorFields(err)["topics"]
		s.renderQuestionForm(w, r, b, formStatus(err), f, asked, len(asked) > 0 && !badTopics)
		return
	}
	s.setFlash(w, "web.flash.question_posted")
	redirect(w, r, postURL(p.ID))
}
