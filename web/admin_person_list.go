package web

import (
	"net/http"
	"slices"

	"github.com/biebplein/biebplein"
)

var adminPeopleFilterForm = formSpec{ID: "filter", Fields: append(slices.Clone(peopleFilterForm.Fields),
	field{Name: "status", Label: "web.admin_people.status", Type: "select", Options: []option{
		{Value: biebplein.StatusActive, Key: "web.admin_people.status_active"},
		{Value: biebplein.StatusDeactivated, Key: "web.admin_people.status_deactivated"},
		{Value: biebplein.StatusAll, Key: "web.admin_people.status_all"},
	}},
)}

// adminPersonList lists every account, including invited and deactivated ones, for
// administration.
func (s *Server) adminPersonList(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.admin_people.title", "admin")
	f := newForm(b.L, adminPeopleFilterForm).readQuery(r)
	p := peoplePage{base: b, Form: f}
	status := f.Get("status")
	if status != biebplein.StatusActive && status != biebplein.StatusDeactivated && status != biebplein.StatusAll {
		f.AddError("status", "error.status_invalid")
	}
	if !s.queryPeople(w, r, f, &p, biebplein.PersonFilter{Status: status}) {
		return
	}
	p.HasErrors = f.HasErrors()
	s.render(w, r, filterStatus(f), "admin_people", p)
}
