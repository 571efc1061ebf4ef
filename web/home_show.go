package web

import "net/http"

type homePage struct {
	base
}

// homeShow welcomes a signed-in person with the ways on from here.
func (s *Server) homeShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", homePage{base: s.base(w, r, "web.home.title", "home")})
}
