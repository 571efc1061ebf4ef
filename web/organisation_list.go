package web

import (
	"net/http"
	"strings"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/i18n"
)

type orgListPage struct {
	base
	Tree []*orgNode
}

// orgNode is an organisation with the organisations under it.
type orgNode struct {
	Org      *biebplein.Organisation
	Children []*orgNode
	Depth    int
	L        i18n.Localizer
}

// T translates key.
func (n *orgNode) T(key string, args ...any) string { return n.L.T(key, args...) }

// organisationList shows the organisation tree with the number of members of each.
func (s *Server) organisationList(w http.ResponseWriter, r *http.Request) {
	orgs, err := s.svc.Organisations(r.Context(), biebplein.OrganisationFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := s.base(w, r, "web.orgs.title", "admin")
	s.render(w, r, http.StatusOK, "organisations", orgListPage{base: b, Tree: orgTree(orgs, b.L)})
}

// orgTree arranges organisations (ordered by name) as a tree, children by name. An
// organisation whose parent is missing is shown as a root rather than lost.
func orgTree(orgs []*biebplein.Organisation, l i18n.Localizer) []*orgNode {
	nodes := make(map[string]*orgNode, len(orgs))
	for _, o := range orgs {
		nodes[o.ID] = &orgNode{Org: o, L: l}
	}
	var roots []*orgNode
	for _, o := range orgs {
		n := nodes[o.ID]
		if parent, ok := nodes[o.ParentID]; ok && o.ParentID != o.ID {
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	// Set depths from the roots; nodes in a cycle (which the service prevents) are not reached
	// and are shown as roots.
	seen := map[string]bool{}
	var walk func([]*orgNode, int)
	walk = func(ns []*orgNode, depth int) {
		for _, n := range ns {
			if seen[n.Org.ID] {
				continue
			}
			seen[n.Org.ID] = true
			n.Depth = depth
			walk(n.Children, depth+1)
		}
	}
	walk(roots, 0)
	for _, o := range orgs {
		if !seen[o.ID] {
			n := nodes[o.ID]
			n.Children = nil
			roots = append(roots, n)
			seen[o.ID] = true
		}
	}
	return roots
}

// orgOptions lists organisations for a select in tree order, indented by depth, after a first
// choice with the catalogue key empty (for "any" or "none"); skip and its descendants are
// left out (an organisation cannot move under itself).
func orgOptions(orgs []*biebplein.Organisation, empty, skip string) []option {
	opts := []option{{Value: "", Key: empty}}
	seen := map[string]bool{}
	var walk func([]*orgNode)
	walk = func(ns []*orgNode) {
		for _, n := range ns {
			if seen[n.Org.ID] || n.Org.ID == skip {
				continue
			}
			seen[n.Org.ID] = true
			opts = append(opts, option{Value: n.Org.ID, Text: strings.Repeat("\u00a0\u00a0\u00a0", n.Depth) + n.Org.Name})
			walk(n.Children)
		}
	}
	walk(orgTree(orgs, i18n.Localizer{}))
	return opts
}
