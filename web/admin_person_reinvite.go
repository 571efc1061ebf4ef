package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// adminPersonReinvite makes a new invitation link for someone who has not accepted theirs;
// the old link stops working. Like a new invitation, the link is shown once, right here.
func (s *Server) adminPersonReinvite(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	link, err := s.svc.Reinvite(r.Context(), id)
	if err != nil {
		if biebplein.ErrorCode(err) == biebplein.CodeConflict {
			s.renderAdminPerson(w, r, formStatus(err), nil, biebplein.ErrorMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	p, err := s.svc.Person(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := s.base(w, r, "web.invitation.title", "admin")
	s.render(w, r, http.StatusCreated, "invitation", invitationPage{base: b, Person: p, Link: link})
}
