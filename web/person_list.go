package web

import (
	"net/http"
	"net/url"

	"github.com/biebplein/biebplein"
)

var peopleFilterForm = formSpec{ID: "filter", Fields: []field{
	{Name: "q", Label: "web.people.q", Hint: "web.people.q_hint", Type: "search"},
	{Name: "organisation", Label: "web.people.organisation", Type: "select"},
	{Name: "kind", Label: "web.people.kind", Type: "select", Options: kindFilterOptions},
	{Name: "expertise", Label: "web.people.expertise", Hint: "web.people.expertise_hint", Type: "text", List: "expertise-tags"},
}}

var kindFilterOptions = []option{
	{Value: "", Key: "web.people.any_kind"},
	{Value: string(biebplein.KindStaff), Key: "web.person_kind.staff"},
	{Value: string(biebplein.KindVolunteer), Key: "web.person_kind.volunteer"},
	{Value: string(biebplein.KindPartner), Key: "web.person_kind.partner"},
}

type peoplePage struct {
	base
	Form     *Form
	People   []*biebplein.Person
	Tags     []string // suggestions for the expertise field
	NextURL  string   // "" on the last page
	FirstURL string   // "" on the first page
	Searched bool     // a filter is set
}

// personList shows the directory: everyone the reader may see, filtered, a page at a time.
func (s *Server) personList(w http.ResponseWriter, r *http.Request) {
	b := s.base(w, r, "web.people.title", "people")
	f := newForm(b.L, peopleFilterForm).readQuery(r)
	p := peoplePage{base: b, Form: f}
	if !s.queryPeople(w, r, f, &p, biebplein.PersonFilter{}) {
		return
	}
	tags, err := s.svc.Tags(r.Context(), "expertise", "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Tags = tags
	p.HasErrors = f.HasErrors()
	s.render(w, r, filterStatus(f), "people", p)
}

// queryPeople fills p with the page of people the filter form asks for, starting from the
// base filter. Bad filter input becomes field errors. It returns false when it has answered
// the request itself with an error page.
func (s *Server) queryPeople(w http.ResponseWriter, r *http.Request, f *Form, p *peoplePage, pf biebplein.PersonFilter) bool {
	ctx := r.Context()
	orgs, err := s.svc.Organisations(ctx, biebplein.OrganisationFilter{})
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	f.SetOptions("organisation", orgOptions(orgs, "web.people.any_organisation", ""))
	f.CheckText("q", "organisation", "kind", "expertise")
	if k := biebplein.PersonKind(f.Get("kind")); k != "" && !k.Valid() {
		f.AddError("kind", "error.person_kind_invalid")
	}
	if !f.OK() {
		return true
	}
	after := r.URL.Query().Get("after")
	if !biebplein.ValidText(after) {
		after = ""
	}
	pf.Query, pf.OrganisationID = f.Get("q"), f.Get("organisation")
	pf.Kind, pf.Expertise = biebplein.PersonKind(f.Get("kind")), f.Get("expertise")
	pf.After, pf.Limit = after, s.pageSize
	people, next, err := s.svc.People(ctx, pf)
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return false
		}
		return true
	}
	p.People = people
	p.Searched = pf.Query != "" || pf.OrganisationID != "" || pf.Kind != "" || pf.Expertise != ""
	q := r.URL.Query()
	q.Del("after")
	if after != "" {
		p.FirstURL = r.URL.Path + "?" + q.Encode()
	}
	if next != "" {
		q.Set("after", next)
		p.NextURL = r.URL.Path + "?" + q.Encode()
	}
	return true
}

// filterStatus is 400 when a filter could not be used, 200 otherwise.
func filterStatus(f *Form) int {
	if f.HasErrors() {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// tagURL links to the directory filtered on an expertise tag.
func tagURL(tag string) string {
	return "/people?" + url.Values{"expertise": {tag}}.Encode()
}

// PersonURL links a listed person to their profile, or in administration to their account.
func (p peoplePage) PersonURL(id string) string {
	if p.Nav == "admin" {
		return personAdminURL(id)
	}
	return "/people/" + id
}
