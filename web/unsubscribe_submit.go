package web

import (
	"net/http"
)

// unsubscribeSubmit stops the e-mail the link names. It is the button of the page and also
// the RFC 8058 one-click address of the List-Unsubscribe header, which mail programs post to
// (body "List-Unsubscribe=One-Click", urlencoded or multipart) without cookies or form token:
// so the body is not read and no form token is asked for. Doing it twice changes nothing.
func (s *Server) unsubscribeSubmit(w http.ResponseWriter, r *http.Request) {
	token, ok := pathID(r, "token")
	if !ok {
		s.notFound(w, r)
		return
	}
	u, err := s.svc.Unsubscribe(r.Context(), token)
	if err != nil {
		s.unsubscribeFail(w, r, err)
		return
	}
	s.renderUnsubscribe(w, r, u, true)
}
