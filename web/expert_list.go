package web

import (
	"context"
	"net/http"

	"github.com/biebplein/biebplein"
)

var expertForm = formSpec{ID: "experts", Fields: []field{
	{Name: "topic", Label: "web.experts.topic", Hint: "web.experts.topic_hint", Type: "search", List: "topic-tags"},
	{Name: "organisation", Label: "web.experts.organisation", Type: "select"},
	{Name: "kind", Label: "web.experts.kind", Type: "select", Options: kindFilterOptions},
	{Name: "function", Label: "web.experts.function", Type: "text", Optional: true},
}}

// suggestedTags is how many of the most used tags a page offers in its datalist.
const suggestedTags = 40

type expertsPage struct {
	base
	Form     *Form
	Topic    string // the topic searched for, normalised; "" before searching
	Experts  []expertItem
	Tags     []string // the most used tags, for the topic field
	NextURL  string   // "" on the last page
	FirstURL string   // "" on the first page
}

// expertItem is one person with the reasons in plain words.
type expertItem struct {
	Person  *biebplein.Person
	Reasons []string
}

// expertList is "Wie weet er van...?": a search form and, once a topic is given, the people
// who know about it with the reasons why.
func (s *Server) expertList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b := s.base(w, r, "web.experts.title", "experts")
	f := newForm(b.L, expertForm).readQuery(r)
	p := expertsPage{base: b, Form: f}
	orgs, err := s.svc.Organisations(ctx, biebplein.OrganisationFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.SetOptions("organisation", orgOptions(orgs, "web.experts.any_organisation", ""))
	if p.Tags, err = s.tagSuggestions(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, asked := r.URL.Query()["topic"]; asked {
		if !s.findExperts(w, r, f, &p) {
			return
		}
	}
	p.HasErrors = f.HasErrors()
	s.render(w, r, filterStatus(f), "experts", p)
}

// findExperts fills p with the page of experts the form asks for; bad input becomes field
// errors. It returns false when it has answered the request itself with an error page.
func (s *Server) findExperts(w http.ResponseWriter, r *http.Request, f *Form, p *expertsPage) bool {
	f.CheckText("topic", "organisation", "kind", "function")
	if !f.OK() {
		return true
	}
	after := r.URL.Query().Get("after")
	if !biebplein.ValidText(after) {
		after = ""
	}
	ef := biebplein.ExpertFilter{Topic: f.Get("topic"), OrganisationID: f.Get("organisation"),
		Kind: biebplein.PersonKind(f.Get("kind")), Function: f.Get("function"), After: after, Limit: s.pageSize}
	experts, next, err := s.svc.Experts(r.Context(), ef)
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return false
		}
		return true
	}
	p.Topic = biebplein.NormalizeTag(ef.Topic)
	for _, e := range experts {
		item := expertItem{Person: e.Person}
		for _, reason := range e.Reasons {
			key, args := biebplein.ReasonText(reason, p.Topic)
			item.Reasons = append(item.Reasons, p.T(key, args...))
		}
		p.Experts = append(p.Experts, item)
	}
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

// tagSuggestions returns the most used tags (expertise, interests, topics), for the
// datalists that keep one skill one tag.
func (s *Server) tagSuggestions(ctx context.Context) ([]string, error) {
	uses, err := s.svc.TagUses(ctx, "", suggestedTags)
	if err != nil {
		return nil, err
	}
	tags := make([]string, len(uses))
	for i, u := range uses {
		tags[i] = u.Tag
	}
	return tags, nil
}
