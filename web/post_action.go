package web

import (
	"net/http"
)

// postAction runs a button's action on the post of the path and goes back to where the
// button was. Refusals and wrong input show the error page with their message.
func (s *Server) postAction(w http.ResponseWriter, r *http.Request, flash string, act func(id string) error) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := act(id); err != nil {
		s.fail(w, r, err)
		return
	}
	if flash != "" {
		s.setFlash(w, flash)
	}
	redirect(w, r, back(r, postURL(id)))
}
