package api

import (
	"net/http"
	"time"

	"github.com/biebplein/biebplein"
)

type questionCreateRequest struct {
	Title  string   `json:"title"`
	Body   string   `json:"body"`
	Topics []string `json:"topics"`
	// GroupID is where the question goes; empty or absent for the "Vraag en antwoord" space.
	GroupID string `json:"group_id"`
	// Ask are the ids of the people asked directly, at most five.
	Ask []string `json:"ask"`
}

// questionJSON is a new question: the post, and the people it asked.
type questionJSON struct {
	postJSON
	Asked []personRefJSON `json:"asked"`
}

// questionCreate asks a question ("Stel een vraag"): POST /api/v1/questions answers 201 with
// the post and the people asked, who are notified. Field errors name title, body, topics,
// group_id and ask.
func (s *Server) questionCreate(w http.ResponseWriter, r *http.Request) {
	var req questionCreateRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.svc.AskQuestion(r.Context(), biebplein.QuestionInput{Title: req.Title, Body: req.Body,
		Topics: req.Topics, GroupID: req.GroupID, Ask: req.Ask})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := questionJSON{postJSON: newPost(p, time.Now()), Asked: make([]personRefJSON, 0, len(p.Asked))}
	for _, a := range p.Asked {
		out.Asked = append(out.Asked, personRefJSON{ID: a.ID, Name: a.Name})
	}
	s.writeJSON(w, r, http.StatusCreated, out)
}
