package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
)

// memberAction runs a group admin's action on one person of the path and goes back to the
// members tab; a refusal (the last admin) is explained there.
func (s *Server) memberAction(w http.ResponseWriter, r *http.Request, flash string, act func(groupID, personID string) error) {
	g, ok := s.loadGroup(w, r)
	if !ok {
		return
	}
	pid, ok := pathID(r, "pid")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := act(g.ID, pid); err != nil {
		switch biebplein.ErrorCode(err) {
		case biebplein.CodeConflict, biebplein.CodeInvalid:
			s.renderMembers(w, r, s.base(w, r, "web.group.title", "groups"), g, formStatus(err), nil, biebplein.ErrorMessage(err))
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.setFlash(w, flash)
	redirect(w, r, groupURL(g.ID)+"/members")
}
