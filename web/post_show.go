package web

import (
	"net/http"
	"strings"

	"github.com/biebplein/biebplein"
)

var commentForm = formSpec{ID: "answer", Fields: []field{
	{Name: "body", Label: "web.post.answer", Hint: "web.composer.body_hint", Type: "textarea", Mentions: true},
}}

var replyForm = formSpec{ID: "reply", Fields: []field{
	{Name: "body", Label: "web.post.reply", Type: "textarea", Mentions: true},
}}

type postPage struct {
	base
	Post       *postView
	Group      *biebplein.Group
	AnswerForm *Form
	ReplyForm  *Form
	ReplyTo    string // the comment whose reply form shows
	// Question is whom a question asked and whether it went to the advisors (nil for other
	// posts).
	Question *biebplein.QuestionState
}

// AskedNames lists the people a question asked directly, "A, B".
func (p postPage) AskedNames() string {
	if p.Question == nil {
		return ""
	}
	names := make([]string, len(p.Question.Asked))
	for i, a := range p.Question.Asked {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}

// postShow shows a post with all its comments and the forms to answer and reply.
func (s *Server) postShow(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.post.title", "home")
	s.renderPost(w, r, b, http.StatusOK, nil, nil, r.URL.Query().Get("reply"))
}

// loadPost reads the post of the path with all comments; one the reader may not read is 404.
func (s *Server) loadPost(w http.ResponseWriter, r *http.Request) (*biebplein.Post, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return nil, false
	}
	p, err := s.svc.Post(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return p, true
}

// renderPost draws the post page with the answer form a and the reply form rf (nil for
// empty ones) under the comment replyTo.
func (s *Server) renderPost(w http.ResponseWriter, r *http.Request, b base, status int, a, rf *Form, replyTo string) {
	p, ok := s.loadPost(w, r)
	if !ok {
		return
	}
	// The reader sees the post: what they were told about it is read. Before the page is
	// drawn, so that the header's count agrees; a failure costs only a stale count.
	if err := s.svc.MarkNotificationsRead(r.Context(), biebplein.ReadFilter{PostID: p.ID}); err != nil {
		s.logger.Warn("mark notifications of a post read", "post", p.ID, "error", err)
	}
	g, err := s.svc.Group(r.Context(), p.Group.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := postPage{base: b, Group: g, AnswerForm: a, ReplyForm: rf, ReplyTo: replyTo}
	page.Title = p.Author.Name + " · " + g.Name
	if page.AnswerForm == nil {
		page.AnswerForm = newForm(b.L, commentForm)
	}
	if page.ReplyForm == nil {
		page.ReplyForm = newForm(b.L, replyForm)
	}
	page.Post = newPostView(&page.base, p, map[string]bool{g.ID: manages(b.Actor, g)}, postURL(p.ID))
	page.Post.Full = true
	page.Post.Back = postURL(p.ID)
	for _, c := range page.Post.Comments {
		c.Reply = c.ID == replyTo
	}
	if err := s.addPreviews(r, &page.base, []*postView{page.Post}); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Kind == biebplein.KindQuestion {
		if page.Question, err = s.svc.QuestionState(r.Context(), p.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	page.HasErrors = page.AnswerForm.HasErrors() || page.ReplyForm.HasErrors()
	page.Mentions = p.DeletedAt == nil
	s.render(w, r, status, "post", page)
}

// CanAccept reports whether the reader may choose the best answer: the asker or a group
// admin (the service decides when the button is used).
func (p postPage) CanAccept() bool {
	return p.Post.Kind == biebplein.KindQuestion && p.Post.DeletedAt == nil && (p.Post.Mine || p.Post.Manage)
}
