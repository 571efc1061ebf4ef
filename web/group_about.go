package web

import "net/http"

// groupAbout shows what a group is for, who may see it and when it started.
func (s *Server) groupAbout(w http.ResponseWriter, r *http.Request) {
	g, ok := s.loadGroup(w, r)
	if !ok {
		return
	}
	b := s.base(w, r, "web.group.title", "groups")
	b.Title = g.Name
	s.render(w, r, http.StatusOK, "group", groupPage{base: b, Group: g, Tab: "about", Manage: manages(b.Actor, g)})
}
