package web

import "net/http"

type welcomePage struct {
	base
}

// welcomeShow greets someone who has just set up their account and says what to do first.
func (s *Server) welcomeShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "welcome", welcomePage{base: s.base(w, r, "web.welcome.title", "home")})
}
