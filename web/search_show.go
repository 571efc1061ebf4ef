package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/biebplein/biebplein"
)

var searchForm = formSpec{ID: "search", Fields: []field{
	{Name: "q", Label: "web.search.q", Hint: "web.search.q_hint", Type: "search"},
	{Name: "type", Label: "web.search.type", Type: "select", Options: []option{
		{Value: "", Key: "web.search.type_all"},
		{Value: string(biebplein.SearchPost), Key: "web.search.type_post"},
		{Value: string(biebplein.SearchComment), Key: "web.search.type_comment"},
		{Value: string(biebplein.SearchPerson), Key: "web.search.type_person"},
		{Value: string(biebplein.SearchGroup), Key: "web.search.type_group"},
	}},
	{Name: "group", Label: "web.search.group", Type: "select"},
	{Name: "period", Label: "web.search.period", Type: "select", Options: []option{
		{Value: "", Key: "web.search.period_any"},
		{Value: "week", Key: "web.search.period_week"},
		{Value: "month", Key: "web.search.period_month"},
		{Value: "year", Key: "web.search.period_year"},
	}},
	{Name: "order", Label: "web.search.order", Type: "select", Options: []option{
		{Value: "", Key: "web.search.order_relevance"},
		{Value: string(biebplein.SearchNewest), Key: "web.search.order_newest"},
	}},
}}

// searchPeriods is how far back each choice of the period filter reaches.
var searchPeriods = map[string]time.Duration{"week": 7 * 24 * time.Hour, "month": 31 * 24 * time.Hour, "year": 366 * 24 * time.Hour}

// searchSectionSize is how many results of each type the page shows when no type is chosen.
const searchSectionSize = 5

type searchPage struct {
	base
	Form     *Form
	Query    string
	Author   *biebplein.Person // the person whose posts and comments are searched, if any
	Sections []searchSection   // without a type: the best of each type
	Total    int               // how many results were found in all (capped counts are "at least")
	Searched bool
	NextURL  string
	FirstURL string
}

// searchSection is the results of one type.
type searchSection struct {
	Kind    biebplein.SearchKind
	Count   int
	Capped  bool
	Hits    []*biebplein.SearchHit
	MoreURL string // all results of this type, when the section shows only the first
}

// searchShow is the search page: GET /search?q= with filters, results grouped by type.
func (s *Server) searchShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b := s.base(w, r, "web.search.title", "search")
	f := newForm(b.L, searchForm).readQuery(r)
	p := searchPage{base: b, Form: f}
	groups, _, err := s.svc.Groups(ctx, biebplein.GroupFilter{Member: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	opts := []option{{Value: "", Key: "web.search.group_any"}}
	for _, g := range groups {
		opts = append(opts, option{Value: g.ID, Text: g.Name})
	}
	f.SetOptions("group", opts)
	f.CheckText("q", "type", "group", "period", "order")
	q := r.URL.Query()
	filter := biebplein.SearchFilter{Query: f.Get("q"), GroupID: f.Get("group"), AuthorID: q.Get("author"),
		Order: biebplein.SearchOrder(f.Get("order")), Cursor: q.Get("after"), Limit: s.pageSize}
	if !biebplein.ValidText(filter.AuthorID) || !biebplein.ValidText(filter.Cursor) {
		filter.AuthorID, filter.Cursor = "", ""
	}
	if k := f.Get("type"); k != "" {
		filter.Kinds = []biebplein.SearchKind{biebplein.SearchKind(k)}
	}
	if d, ok := searchPeriods[f.Get("period")]; ok {
		filter.From = time.Now().Add(-d)
	} else if f.Get("period") != "" {
		f.AddError("period", "error.period_invalid")
	}
	if filter.AuthorID != "" {
		if p.Author, err = s.svc.Person(ctx, filter.AuthorID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p.Query = filter.Query
	if r.URL.Query().Has("q") && f.OK() {
		p.Searched = true
		if !s.searchResults(w, r, f, &p, filter) {
			return
		}
	}
	p.HasErrors = f.HasErrors()
	s.render(w, r, filterStatus(f), "search", p)
}

// searchResults fills p: with a type chosen a page of that type, without one the best few of
// each type with a link to all. Bad input becomes field errors; it returns false when it has
// answered with an error page.
func (s *Server) searchResults(w http.ResponseWriter, r *http.Request, f *Form, p *searchPage, filter biebplein.SearchFilter) bool {
	ctx := r.Context()
	page, err := s.svc.Search(ctx, filter)
	if err != nil {
		if !f.Fail(err) {
			s.fail(w, r, err)
			return false
		}
		return true
	}
	for _, n := range page.Counts {
		p.Total += n
	}
	if len(filter.Kinds) == 1 {
		k := filter.Kinds[0]
		p.Sections = []searchSection{{Kind: k, Count: page.Counts[k], Capped: page.Capped[k], Hits: page.Hits}}
		q := r.URL.Query()
		q.Del("after")
		if filter.Cursor != "" {
			p.FirstURL = "/search?" + q.Encode()
			p.Sections[0].Count = -1 // known from the first page only
		}
		if page.Next != "" {
			q.Set("after", page.Next)
			p.NextURL = "/search?" + q.Encode()
		}
		return true
	}
	for _, k := range biebplein.SearchKinds() {
		n := page.Counts[k]
		if n == 0 {
			continue
		}
		sec := searchSection{Kind: k, Count: n, Capped: page.Capped[k]}
		for _, h := range page.Hits {
			if h.Kind == k && len(sec.Hits) < searchSectionSize {
				sec.Hits = append(sec.Hits, h)
			}
		}
		if len(sec.Hits) < min(n, searchSectionSize) {
			// This type ranked below the first page of all types: ask for its own best.
			one := filter
			one.Kinds, one.Limit, one.Cursor = []biebplein.SearchKind{k}, searchSectionSize, ""
			own, err := s.svc.Search(ctx, one)
			if err != nil {
				s.fail(w, r, err)
				return false
			}
			sec.Hits = own.Hits
		}
		if n > len(sec.Hits) {
			q := r.URL.Query()
			q.Set("type", string(k))
			q.Del("after")
			sec.MoreURL = "/search?" + q.Encode()
		}
		p.Sections = append(p.Sections, sec)
	}
	return true
}

// HitURL is where a result leads.
func (p searchPage) HitURL(h *biebplein.SearchHit) string { return biebplein.SearchURL(h) }

// searchKindKeys names each type of result: in the plural for headings, one of it, and the
// link to all of it.
var searchKindKeys = map[biebplein.SearchKind][3]string{
	biebplein.SearchPost:    {"web.search.kind_post", "web.search.one_post", "web.search.more_post"},
	biebplein.SearchComment: {"web.search.kind_comment", "web.search.one_comment", "web.search.more_comment"},
	biebplein.SearchPerson:  {"web.search.kind_person", "web.search.one_person", "web.search.more_person"},
	biebplein.SearchGroup:   {"web.search.kind_group", "web.search.one_group", "web.search.more_group"},
}

// KindLabel names a type of result in the plural, for headings.
func (p searchPage) KindLabel(k biebplein.SearchKind) string { return p.T(searchKindKeys[k][0]) }

// KindOne names the type of one result.
func (p searchPage) KindOne(k biebplein.SearchKind) string { return p.T(searchKindKeys[k][1]) }

// MoreLabel is the link to all results of a type.
func (p searchPage) MoreLabel(k biebplein.SearchKind) string { return p.T(searchKindKeys[k][2]) }

// CountText says how many results a section has: "31", or "500+" for a capped count.
func (p searchPage) CountText(sec searchSection) string {
	if sec.Capped {
		return p.T("web.search.count_capped", p.Number(sec.Count))
	}
	return p.Number(sec.Count)
}

// WithoutAuthorURL is this search without the person filter.
func (p searchPage) WithoutAuthorURL() string {
	q := url.Values{}
	for _, name := range []string{"q", "type", "group", "period", "order"} {
		if v := p.Form.Get(name); v != "" {
			q.Set(name, v)
		}
	}
	return "/search?" + q.Encode()
}
