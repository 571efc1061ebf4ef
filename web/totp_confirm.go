package web

import (
	"net/http"
)

// totpConfirm turns two-factor on with the first code and shows the recovery codes once; a
// wrong code shows the enrolment again.
func (s *Server) totpConfirm(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.totp.title", "profile")
	f := newForm(b.L, totpConfirmForm).read(r)
	codes, err := s.svc.ConfirmTOTP(r.Context(), f.Get("code"))
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		e, eerr := s.svc.TOTPEnrolment(r.Context())
		if eerr != nil && !f.Fail(eerr) {
			s.fail(w, r, eerr)
			return
		}
		s.renderTOTP(w, r, formStatus(err), totpPage{Enrolment: e, Confirm: f})
		return
	}
	w.Header().Set("Cache-Control", "no-store") // the recovery codes are on this page
	s.renderTOTPEnabled(w, r, codes)
}

func (s *Server) renderTOTPEnabled(w http.ResponseWriter, r *http.Request, codes []string) {
	p := totpPage{RecoveryCodes: codes}
	p.base = s.base(w, r, "web.totp.title", "profile")
	p.Enabled = true
	p.Confirm, p.Disable = newForm(p.L, totpConfirmForm), newForm(p.L, totpDisableForm)
	s.render(w, r, http.StatusOK, "two_factor", p)
}
