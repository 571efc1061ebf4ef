package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// commentCreate answers a post, or replies to a comment (parent_id).
func (s *Server) commentCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	b := s.base(w, r, "web.post.title", "home")
	parent := r.PostForm.Get("parent_id")
	spec := commentForm
	if parent != "" {
		spec = replyForm
	}
	f := newForm(b.L, spec).read(r)
	f.CheckText("body")
	again := func(status int) {
		if parent != "" {
			s.renderPost(w, r, b, status, nil, f, parent)
			return
		}
		s.renderPost(w, r, b, status, f, nil, "")
	}
	if !biebplein.ValidText(parent) {
		s.renderError(w, r, http.StatusBadRequest, "error.comment_not_on_post")
		return
	}
	if !f.OK() {
		again(http.StatusBadRequest)
		return
	}
	c, err := s.svc.CreateComment(r.Context(), id, parent, f.Get("body"))
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		again(formStatus(err))
		return
	}
	s.setFlash(w, "web.flash.comment_created")
	redirect(w, r, postURL(id)+"#comment-"+c.ID)
}
