package web

import "net/http"

// totpStart makes a new secret and shows it with its otpauth:// URI, and the field for the
// first code.
func (s *Server) totpStart(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.StartTOTP(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderTOTP(w, r, http.StatusOK, totpPage{Enrolment: e})
}
