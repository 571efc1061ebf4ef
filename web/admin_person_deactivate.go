package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// adminPersonDeactivate switches an account off: the person is signed out everywhere at once.
func (s *Server) adminPersonDeactivate(w http.ResponseWriter, r *http.Request) {
	s.setActive(w, r, false, "web.flash.person_deactivated")
}

// setActive switches an account off or on again. A refusal (one's own account, the last
// administrator) is shown on the person's page.
func (s *Server) setActive(w http.ResponseWriter, r *http.Request, active bool, flash string) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.svc.SetActive(r.Context(), id, active); err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeConflict {
			s.renderAdminPerson(w, r, formStatus(err), nil, biebplein.ErrorMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, flash)
	redirect(w, r, personAdminURL(id))
}
