package web

import (
	"net/http"
	"slices"

	"github.com/biebplein/biebplein"
)

// "Stel een vraag" (issue 5): the question form. Without JavaScript "Toon wie dit weet"
// sends the form to POST /questions, which draws it again with the people the finder
// suggests for the topics as checkboxes; "Vraag stellen" posts the question.

var questionForm = formSpec{ID: "question", Fields: []field{
	{Name: "title", Label: "web.question_new.question", Hint: "web.question_new.question_hint", Type: "text", Autocomplete: "off"},
	{Name: "body", Label: "web.question_new.body", Hint: "web.question_new.body_hint", Type: "textarea", Optional: true, Mentions: true},
	{Name: "topics", Label: "web.question_new.topics", Hint: "web.question_new.topics_hint", Type: "text", List: "question-topic-tags", Autocomplete: "off"},
	{Name: "group_id", Label: "web.question_new.group", Hint: "web.question_new.group_hint", Type: "select"},
	// The people asked: checkboxes drawn by the page itself (fieldset id question-ask).
	{Name: "ask", Label: "web.question_new.people", Type: "people"},
}}

type questionNewPage struct {
	base
	Form *Form
	Tags []string // the most used tags, for the topics field
	// CanAsk is false when the reader may post a question nowhere (a partner in no group).
	CanAsk bool
	// Suggested is set once the finder was asked; People are its suggestions.
	Suggested bool
	People    []suggestionItem
}

// suggestionItem is one suggested person as a checkbox with the reasons in plain words.
type suggestionItem struct {
	Person  *biebplein.Person
	Reasons []string
	Checked bool
}

// questionNew shows the empty question form; ?topics= fills in the topics (the link from the
// expertise finder).
func (s *Server) questionNew(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.question_new.title", "ask")
	f := newForm(b.L, questionForm)
	if t := r.URL.Query().Get("topics"); biebplein.ValidText(t) {
		f.Set("topics", t)
	}
	s.renderQuestionForm(w, r, b, http.StatusOK, f, nil, false)
}

// renderQuestionForm draws the question form f with the destinations the reader may ask
// in, and the people suggested for its topics when suggest is set (asked: the ids ticked).
func (s *Server) renderQuestionForm(w http.ResponseWriter, r *http.Request, b base, status int, f *Form, asked []string, suggest bool) {
	ctx := r.Context()
	dests, err := s.svc.QuestionDestinations(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	opts := make([]option, len(dests))
	for i, g := range dests {
		opts[i] = option{Value: g.ID, Text: g.Name}
	}
	f.SetOptions("group_id", opts)
	p := questionNewPage{base: b, Form: f, CanAsk: len(dests) > 0}
	if p.Tags, err = s.tagSuggestions(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if suggest && p.CanAsk {
		p.Suggested = true
		sugs, err := s.svc.QuestionSuggestions(ctx, biebplein.SplitTags(f.Get("topics")), f.Get("group_id"))
		switch {
		case err == nil:
			if p.People, err = s.keptPeople(r, b, asked, sugs); err != nil {
				s.fail(w, r, err)
				return
			}
			for _, sg := range sugs {
				item := suggestionItem{Person: sg.Person, Checked: slices.Contains(asked, sg.Person.ID)}
				for _, reason := range sg.Reasons {
					key, args := biebplein.ReasonText(reason.ExpertReason, reason.Topic)
					item.Reasons = append(item.Reasons, b.T(key, args...))
				}
				p.People = append(p.People, item)
			}
		case !f.Fail(err):
			s.fail(w, r, err)
			return
		default:
			if status == http.StatusOK {
				status = formStatus(err)
			}
		}
	}
	p.HasErrors = f.HasErrors()
	s.render(w, r, status, "question_new", p)
}

// keptPeople is the people ticked before whom the suggestions for the topics as they are now
// leave out (the author changed the topics and asked again): they stay on the list, ticked,
// first, since the author chose them. Someone the reader may no longer see is left out, and
// beyond the most one may ask nobody is looked up (the form says there are too many).
func (s *Server) keptPeople(r *http.Request, b base, asked []string, sugs []*biebplein.Suggestion) ([]suggestionItem, error) {
	var out []suggestionItem
	for _, id := range asked[:min(len(asked), biebplein.MaxQuestionAsk+1)] {
		if slices.ContainsFunc(sugs, func(sg *biebplein.Suggestion) bool { return sg.Person.ID == id }) ||
			slices.ContainsFunc(out, func(it suggestionItem) bool { return it.Person.ID == id }) {
			continue
		}
		p, err := s.svc.Person(r.Context(), id)
		switch biebplein.ErrorCode(err) {
		case "":
			out = append(out, suggestionItem{Person: p, Checked: true, Reasons: []string{b.T("web.question_new.kept")}})
		case biebplein.CodeNotFound, biebplein.CodeInvalid:
		default:
			return nil, err
		}
	}
	return out, nil
}
