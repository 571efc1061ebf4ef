package web

import (
	"net/http"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

var groupFilterForm = formSpec{ID: "groups", Fields: []field{
	{Name: "q", Label: "web.groups.q", Hint: "web.groups.q_hint", Type: "search"},
}}

type groupsPage struct {
	base
	Form      *Form
	Tab       string // "mine" or "all"
	Groups    []*biebplein.Group
	NextURL   string
	FirstURL  string
	CanCreate bool
}

// groupList shows the group directory: the reader's own groups, or every group they can see,
// searched by name and description.
func (s *Server) groupList(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.groups.title", "groups")
	f := newForm(b.L, groupFilterForm).readQuery(r)
	f.CheckText("q")
	p := groupsPage{base: b, Form: f, Tab: "mine", CanCreate: service.CanCreateGroup(b.Actor)}
	if r.URL.Query().Get("tab") == "all" {
		p.Tab = "all"
	}
	if f.OK() {
		after := cursor(r)
		groups, next, err := s.svc.Groups(r.Context(), biebplein.GroupFilter{
			Query: f.Get("q"), Member: p.Tab == "mine", After: after, Limit: s.pageSize})
		if err != nil && !f.Fail(err) {
			s.fail(w, r, err)
			return
		}
		p.Groups = groups
		p.FirstURL, p.NextURL = pageURLs(r, after, next)
	}
	p.HasErrors = f.HasErrors()
	s.render(w, r, filterStatus(f), "groups", p)
}
