package web

import (
	"net/http"

	"github.com/biebplein/biebplein/httpx"
)

// passwordUpdate changes one's own password after checking the current one; every other
// session of the person ends, this one stays.
func (s *Server) passwordUpdate(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.profile.title", "profile")
	pf := newForm(b.L, passwordForm).read(r)
	if pf.Get("password") != pf.Get("password_repeat") {
		pf.AddError("password_repeat", "error.password_mismatch")
	}
	status := http.StatusBadRequest
	if pf.OK() {
		keep := ""
		if sess := httpx.SessionFrom(r.Context()); sess != nil {
			keep = sess.ID
		}
		err := s.svc.ChangePassword(r.Context(), pf.Get("current_password"), pf.Get("password"), keep)
		if err == nil {
			s.setFlash(w, "web.flash.password_changed")
			redirect(w, r, "/profile")
			return
		}
		if !pf.Fail(err) {
			s.fail(w, r, err)
			return
		}
		status = formStatus(err)
	}
	s.renderProfile(w, r, status, b, nil, pf)
}
