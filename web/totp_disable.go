package web

import "net/http"

// totpDisable turns two-factor off after the password.
func (s *Server) totpDisable(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.totp.title", "profile")
	f := newForm(b.L, totpDisableForm).read(r)
	if err := s.svc.DisableTOTP(r.Context(), f.Get("current_password")); err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		s.renderTOTP(w, r, formStatus(err), totpPage{Disable: f})
		return
	}
	s.setFlash(w, "web.totp.disabled")
	redirect(w, r, "/profile/two-factor")
}
