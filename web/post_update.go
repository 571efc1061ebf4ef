package web

import "net/http"

// postUpdate saves a new text for one's own post; the old one is kept in its history.
func (s *Server) postUpdate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.loadPost(w, r)
	if !ok {
		return
	}
	b := s.base(w, r, "web.post_edit.title", "home")
	f := newForm(b.L, postEditForm).read(r)
	f.CheckText("body")
	status := http.StatusBadRequest
	if f.OK() {
		_, err := s.svc.UpdatePost(r.Context(), p.ID, f.Get("body"))
		if err == nil {
			s.setFlash(w, "web.flash.post_saved")
			redirect(w, r, postURL(p.ID))
			return
		}
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		status = formStatus(err)
	}
	b.HasErrors, b.Mentions = true, true
	s.render(w, r, status, "post_edit", postEditPage{base: b, Post: p, Form: f})
}
