package web

import "net/http"

type adminPage struct {
	base
}

// adminShow is the start page of administration.
func (s *Server) adminShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "admin", adminPage{base: s.base(w, r, "web.admin.title", "admin")})
}
