package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/search"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// search returns the page p gets for filter (query q).
func (f *postFixture) search(p *biebplein.Person, q string, filter biebplein.SearchFilter) *biebplein.SearchPage {
	f.t.Helper()
	filter.Viewer, filter.Query = f.viewer(p), q
	page, err := f.db.Search(f.t.Context(), filter)
	if err != nil {
		f.t.Fatalf("Search(%q, %+v): %v", q, filter, err)
	}
	return page
}

// hitTexts names each hit by its title, or by the text of its snippet.
func hitTexts(page *biebplein.SearchPage) []string {
	var out []string
	for _, h := range page.Hits {
		out = append(out, hitText(h))
	}
	return out
}

func hitText(h *biebplein.SearchHit) string {
	if h.Title != "" {
		return string(h.Kind) + ":" + h.Title
	}
	var b strings.Builder
	for _, s := range h.Snippet {
		b.WriteString(s.Text)
	}
	return string(h.Kind) + ":" + b.String()
}

func marked(h *biebplein.SearchHit) []string {
	var out []string
	for _, s := range append(slices.Clone(h.TitleMarks), h.Snippet...) {
		if s.Mark {
			out = append(out, s.Text)
		}
	}
	return out
}

func TestSearchDutch(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		f.post(g, anna, "De bibliotheek opent een nieuwe vestiging", nil)
		f.post(g, anna, "Onze coöperatie van bibliotheken groeit", nil)
		f.post(g, anna, "Vrijwilligers voor de VoorleesExpress gezocht", nil)
		f.post(g, anna, "Reading aloud to toddlers works", nil)
		f.post(g, anna, "Een boek voor de klas, niet voor thuis", nil)
		f.post(g, anna, "Voor thuis: een boek van de klas", nil)

		cases := []struct{ q, want string }{
			{"bibliotheken", "post:Onze coöperatie van bibliotheken groeit|post:De bibliotheek opent een nieuwe vestiging"},
			{"cooperatie ", "post:Onze coöperatie van bibliotheken groeit"},
			{"COÖPERATIE ", "post:Onze coöperatie van bibliotheken groeit"},
			{"voorle", "post:Vrijwilligers voor de VoorleesExpress gezocht"},
			{"vrijwilliger ", "post:Vrijwilligers voor de VoorleesExpress gezocht"},
			{"toddler ", "post:Reading aloud to toddlers works"},
			{`"boek voor de klas"`, "post:Een boek voor de klas, niet voor thuis"},
			{"boek klas -niet", "post:Voor thuis: een boek van de klas"},
			{"boek* thuis ", "post:Voor thuis: een boek van de klas|post:Een boek voor de klas, niet voor thuis"},
			{"onbekendwoord", ""},
		}
		for _, c := range cases {
			page := f.search(anna, c.q, biebplein.SearchFilter{})
			got := strings.Join(hitTexts(page), "|")
			// Both of the two-result cases score the same but for recency: newest first.
			if got != c.want {
				t.Errorf("search %q = %q, want %q", c.q, got, c.want)
			}
		}
		page := f.search(anna, "bibliotheken", biebplein.SearchFilter{})
		if m := marked(page.Hits[0]); !slices.Equal(m, []string{"bibliotheken"}) {
			t.Errorf("marked = %q, want the matched word", m)
		}
		if m := marked(page.Hits[1]); !slices.Equal(m, []string{"bibliotheek"}) {
			t.Errorf("marked = %q, want the word of the same stem", m)
		}

		for q, key := range map[string]string{"": "error.search_empty", "-boek": "error.search_only_excluded",
			strings.Repeat("a ", 150): "error.search_too_long"} {
			_, err := f.db.Search(t.Context(), biebplein.SearchFilter{Viewer: f.viewer(anna), Query: q})
			wantCode(t, err, biebplein.CodeInvalid, key)
			wantFields(t, err, map[string]string{"q": key})
		}
		_, err := f.db.Search(t.Context(), biebplein.SearchFilter{Viewer: f.viewer(anna), Query: "boek", Kinds: []biebplein.SearchKind{"hond"}})
		wantCode(t, err, biebplein.CodeInvalid, "error.search_type_invalid")
		_, err = f.db.Search(t.Context(), biebplein.SearchFilter{Viewer: f.viewer(anna), Query: "boek", Cursor: "bm90IGEgY3Vyc29y"})
		wantCode(t, err, biebplein.CodeInvalid, "error.cursor_invalid")
	})
}

func TestSearchVisibility(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		leidenaar := MustCreatePerson(t, f.db, newPerson(f.leiden, "Lies Leidenaar", "lies@example.nl"))
		partner := f.person("Piet Partner", func(p *biebplein.Person) { p.Kind = biebplein.KindPartner })
		open := f.group("Open voorlezen", biebplein.VisPublic, anna)
		secret := f.group("Geheim voorlezen", biebplein.VisSecret, anna)
		internal := f.group("Haarlem intern", biebplein.VisOrganisation, anna)
		closed := f.group("Gesloten kring voorlezen", biebplein.VisClosed, anna)

		// Interleaved, so that the visible ones are not simply the newest.
		for i := range 30 {
			f.post(open, anna, fmt.Sprintf("voorlezen open %d", i), nil)
			f.post(secret, anna, fmt.Sprintf("voorlezen geheim %d", i), nil)
		}
		p := f.post(internal, anna, "voorlezen intern Haarlem", nil)
		f.comment(p, anna, "een reactie over voorlezen, intern", "")
		f.post(closed, anna, "voorlezen in de gesloten kring", nil)

		// Anna is a member of everything: 30 + 30 + 1 + 1 posts and a comment.
		page := f.search(anna, "voorlezen", biebplein.SearchFilter{})
		if page.Counts[biebplein.SearchPost] != 62 || page.Counts[biebplein.SearchComment] != 1 {
			t.Errorf("Anna's counts = %v, want 62 posts and 1 comment", page.Counts)
		}
		// Bert (Haarlem, no memberships): the open group, Haarlem's internal group with its
		// comment, and the closed group's name but none of its posts; nothing secret.
		var all []string
		filter := biebplein.SearchFilter{Limit: 20}
		for pages := 0; ; pages++ {
			page := f.search(bert, "voorlezen", filter)
			if pages == 0 && page.Counts[biebplein.SearchPost] != 31 {
				t.Errorf("Bert's post count = %d, want 31", page.Counts[biebplein.SearchPost])
			}
			if page.Next != "" && len(page.Hits) != 20 {
				t.Errorf("a page of %d before the end, want 20", len(page.Hits))
			}
			all = append(all, hitTexts(page)...)
			if page.Next == "" {
				break
			}
			filter.Cursor = page.Next
		}
		if len(all) != 34 || slices.ContainsFunc(all, func(s string) bool {
			return strings.Contains(s, "eheim") || strings.Contains(s, "in de gesloten")
		}) {
			t.Errorf("Bert finds %d: %q; want 30 open, the internal post and comment, the open and closed groups, nothing secret", len(all), all)
		}
		if slices.Index(all, "group:Gesloten kring voorlezen") < 0 || slices.Index(all, "group:Open voorlezen") < 0 {
			t.Errorf("Bert misses the groups he may see: %q", all)
		}
		// Lies (Leiden): nothing of Haarlem's internal group.
		for _, s := range hitTexts(f.search(leidenaar, "intern", biebplein.SearchFilter{})) {
			t.Errorf("Leiden finds %q of Haarlem's internal group", s)
		}
		// A partner reaches only the public group.
		got := hitTexts(f.search(partner, "voorlezen", biebplein.SearchFilter{Limit: 100}))
		if len(got) != 31 || slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "intern") }) {
			t.Errorf("the partner finds %d: %q", len(got), got)
		}
		// Joining the secret group opens it.
		f.join(secret, bert, biebplein.RoleMember)
		if n := f.search(bert, "geheim", biebplein.SearchFilter{}).Counts[biebplein.SearchPost]; n != 30 {
			t.Errorf("a member of the secret group finds %d of its posts, want 30", n)
		}
	})
}

func TestSearchFollowsChanges(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", func(p *biebplein.Person) {
			p.Function = "leesconsulent"
			p.Expertise = []string{"BoekStart"}
		})
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		p := f.post(g, anna, "Het taalhuis zoekt vrijwilligers", nil)
		f.comment(p, anna, "Ik meld me aan voor het taalhuis", "")

		count := func(q string, kind biebplein.SearchKind) int {
			t.Helper()
			return f.search(anna, q, biebplein.SearchFilter{}).Counts[kind]
		}
		if count("taalhuis", biebplein.SearchPost) != 1 || count("taalhuis", biebplein.SearchComment) != 1 {
			t.Fatal("a new post and comment are not found at once")
		}
		p.Body, p.Text = "Het leescafé zoekt vrijwilligers", "Het leescafé zoekt vrijwilligers"
		mustNil(t, f.db.UpdatePost(t.Context(), p, anna.ID))
		if count("taalhuis", biebplein.SearchPost) != 0 || count("leescafe", biebplein.SearchPost) != 1 {
			t.Error("an edit does not change what finds the post")
		}
		at := time.Now()
		mustNil(t, f.db.SetPostDeleted(t.Context(), p.ID, &at, anna.ID))
		if count("vrijwilligers", biebplein.SearchPost) != 0 || count("taalhuis", biebplein.SearchComment) != 0 {
			t.Error("a deleted post or its comment is still found")
		}
		mustNil(t, f.db.SetPostDeleted(t.Context(), p.ID, nil, ""))
		if count("vrijwilligers", biebplein.SearchPost) != 1 || count("taalhuis", biebplein.SearchComment) != 1 {
			t.Error("a restored post and its comment are not found again")
		}

		// People: by name, function and expertise; gone when deactivated.
		if count("boekstart", biebplein.SearchPerson) != 1 || count("leesconsulent", biebplein.SearchPerson) != 1 ||
			count("anna", biebplein.SearchPerson) != 1 {
			t.Error("a person is not found by expertise, function or name")
		}
		anna.Expertise = []string{"Voorlezen"}
		mustNil(t, f.db.UpdatePerson(t.Context(), anna))
		if count("boekstart", biebplein.SearchPerson) != 0 || count("voorlezen", biebplein.SearchPerson) != 1 {
			t.Error("a changed expertise does not change what finds the person")
		}
		bert := f.person("Bert Jansen", func(p *biebplein.Person) { p.Expertise = []string{"Voorlezen"} })
		mustNil(t, f.db.SetDeactivated(t.Context(), bert.ID, &at))
		if got := hitTexts(f.search(anna, "voorlezen", biebplein.SearchFilter{Kinds: []biebplein.SearchKind{biebplein.SearchPerson}})); !slices.Equal(got, []string{"person:Anna de Vries"}) {
			t.Errorf("people found = %q, want only Anna (Bert is deactivated)", got)
		}
		mustNil(t, f.db.SetDeactivated(t.Context(), bert.ID, nil))
		if count("voorlezen", biebplein.SearchPerson) != 2 {
			t.Error("a reactivated person is not found again")
		}

		// Groups: by name and description, renamed at once.
		g.Description = "Over jeugdliteratuur"
		mustNil(t, f.db.UpdateGroup(t.Context(), g))
		if count("jeugdliteratuur", biebplein.SearchGroup) != 1 {
			t.Error("a group is not found by its new description")
		}

		// A rebuild makes the same index.
		queries := []string{"voorlezen", "vrijwilligers", "taalhuis", "jeugdliteratuur", "leescaf"}
		var want [][]string
		for _, q := range queries {
			want = append(want, hitTexts(f.search(anna, q, biebplein.SearchFilter{})))
		}
		mustNil(t, f.db.RebuildSearch(t.Context()))
		for i, q := range queries {
			if got := hitTexts(f.search(anna, q, biebplein.SearchFilter{})); !slices.Equal(got, want[i]) {
				t.Errorf("after a rebuild %q finds %q, before %q", q, got, want[i])
			}
		}
		// Writing after a rebuild goes on (the ids continue).
		f.post(g, anna, "Na de herbouw: jeugdliteratuur", nil)
		if count("jeugdliteratuur", biebplein.SearchPost) != 1 {
			t.Error("a post after a rebuild is not found")
		}
	})
}

func TestSearchFiltersAndOrder(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		g1 := f.group("Eerste", biebplein.VisPublic, anna, bert)
		g2 := f.group("Tweede", biebplein.VisPublic, anna, bert)
		var posts []*biebplein.Post
		for i := range 12 {
			g, author := g1, anna
			if i%2 == 1 {
				g = g2
			}
			if i%3 == 0 {
				author = bert
			}
			posts = append(posts, f.post(g, author, fmt.Sprintf("leesclub bericht %d", i), nil))
		}
		n := func(filter biebplein.SearchFilter) int {
			return len(f.search(anna, "leesclub", filter).Hits)
		}
		if got := n(biebplein.SearchFilter{GroupID: g2.ID}); got != 6 {
			t.Errorf("group filter: %d, want 6", got)
		}
		if got := n(biebplein.SearchFilter{AuthorID: bert.ID}); got != 4 {
			t.Errorf("author filter: %d, want 4", got)
		}
		if got := n(biebplein.SearchFilter{From: posts[4].CreatedAt, Until: posts[8].CreatedAt}); got != 4 {
			t.Errorf("period filter: %d, want 4", got)
		}
		if got := n(biebplein.SearchFilter{Kinds: []biebplein.SearchKind{biebplein.SearchGroup}}); got != 0 {
			t.Errorf("type filter: %d groups, want 0", got)
		}
		// Newest first, five at a time, through every match.
		var got []string
		filter := biebplein.SearchFilter{Order: biebplein.SearchNewest, Limit: 5}
		for {
			page := f.search(anna, "leesclub", filter)
			got = append(got, hitTexts(page)...)
			if page.Next == "" {
				break
			}
			filter.Cursor = page.Next
		}
		var want []string
		for i := 11; i >= 0; i-- {
			want = append(want, fmt.Sprintf("post:leesclub bericht %d", i))
		}
		if !slices.Equal(got, want) {
			t.Errorf("newest first = %q, want %q", got, want)
		}
	})
}

// TestSearchPrefixWords: a word being typed is found through the words of the index
// (search_words on SQLite), which a new post adds to at once and a rebuild makes again; a
// prefix of more words than search.MaxCompletions is looked up as a prefix and finds them all.
func TestSearchPrefixWords(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		f.post(g, anna, "Het prentenboekenfestival begint", nil)
		if got := strings.Join(hitTexts(f.search(anna, "prentenb", biebplein.SearchFilter{})), "|"); got != "post:Het prentenboekenfestival begint" {
			t.Errorf("prefix of a new word = %q", got)
		}
		var many []string
		for i := range search.MaxCompletions + 3 {
			many = append(many, fmt.Sprintf("zoekwoord%02d", i))
		}
		f.post(g, anna, strings.Join(many, " "), nil)
		f.post(g, anna, "zoekwoordje apart", nil)
		page := f.search(anna, "zoekwoo", biebplein.SearchFilter{})
		if len(page.Hits) != 2 {
			t.Errorf("a prefix of %d words found %q, want both posts", len(many)+1, hitTexts(page))
		}
		mustNil(t, f.db.RebuildSearch(t.Context()))
		for q, want := range map[string]int{"prentenb": 1, "zoekwoordj": 1, "zoekwoo": 2, "zoekwoord07": 1} {
			if got := len(f.search(anna, q, biebplein.SearchFilter{}).Hits); got != want {
				t.Errorf("after a rebuild, %q found %d, want %d", q, got, want)
			}
		}
	})
}

// TestSearchBuckets: on PostgreSQL posts and comments carry the bucket of their id, and a
// search asks for the newest buckets first, then twice as many, then the rest. Entries
// spread over buckets 0, 3 and 9 are all found, newest first, also page by page, and an
// edited post keeps its bucket.
func TestSearchBuckets(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		if dialect != storetest.Postgres {
			t.Skip("the buckets are PostgreSQL's (SQLite's FTS5 reads matches newest first)")
		}
		f := newPostFixture(t, dialect)
		ctx := t.Context()
		_, writer := f.db.Pools()
		jump := func(bucket int64) {
			t.Helper()
			if _, err := writer.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('search_docs', 'id'), $1)", bucket<<store.SearchBucketShift); err != nil {
				t.Fatal(err)
			}
		}
		anna := f.person("Anna de Vries", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna)
		a := f.post(g, anna, "emmertje een", nil)
		jump(3)
		f.post(g, anna, "emmertje twee", nil)
		jump(9)
		c := f.post(g, anna, "emmertje drie", nil)
		f.post(g, anna, "emmertje vier", nil)
		f.comment(a, anna, "emmertje vijf", "")
		want := []string{"comment:emmertje vijf", "post:emmertje vier", "post:emmertje drie", "post:emmertje twee", "post:emmertje een"}
		if got := hitTexts(f.search(anna, "emmertje", biebplein.SearchFilter{Order: biebplein.SearchNewest})); !slices.Equal(got, want) {
			t.Errorf("newest first = %q, want %q", got, want)
		}
		var paged []string
		filter := biebplein.SearchFilter{Order: biebplein.SearchNewest, Limit: 2}
		for range 5 {
			page := f.search(anna, "emmertje", filter)
			paged = append(paged, hitTexts(page)...)
			if filter.Cursor = page.Next; page.Next == "" {
				break
			}
		}
		if !slices.Equal(paged, want) {
			t.Errorf("page by page = %q, want %q", paged, want)
		}
		if page := f.search(anna, "emmertje", biebplein.SearchFilter{}); page.Counts[biebplein.SearchPost] != 4 || page.Counts[biebplein.SearchComment] != 1 {
			t.Errorf("counts = %v, want 4 posts and 1 comment", page.Counts)
		}
		c.Text = "emmertje drie, bijgewerkt"
		mustNil(t, f.db.UpdatePost(ctx, c, anna.ID))
		var terms string
		if err := writer.QueryRowContext(ctx, "SELECT terms::text FROM search_docs WHERE kind = 'post' AND ref_id = $1", c.ID).Scan(&terms); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(terms, "'#f9'") || !strings.Contains(terms, "'#c0'") {
			t.Errorf("the edited post's terms %s lack its buckets '#f9' and '#c0'", terms)
		}
		if got := hitTexts(f.search(anna, "bijgewerkt emmertje", biebplein.SearchFilter{})); !slices.Equal(got, []string{"post:emmertje drie, bijgewerkt"}) {
			t.Errorf("after the edit = %q", got)
		}

		// The first query's size comes from PostgreSQL's statistics of the terms: none
		// before ANALYZE, then the share of entries holding a word.
		if _, ok, err := f.db.TermShare(ctx, "emmertj"); err != nil || ok {
			t.Errorf("statistics before ANALYZE: ok %v, %v", ok, err)
		}
		if _, err := writer.ExecContext(ctx, "ANALYZE search_docs"); err != nil {
			t.Fatal(err)
		}
		share, ok, err := f.db.TermShare(ctx, "emmertj")
		if err != nil || !ok || share < 0.3 || share > 1 {
			t.Errorf("share of 'emmertj' after ANALYZE = %v (ok %v, %v), want most entries", share, ok, err)
		}
		want[2] = "post:emmertje drie, bijgewerkt"
		if got := hitTexts(f.search(anna, "emmertje", biebplein.SearchFilter{Order: biebplein.SearchNewest})); !slices.Equal(got, want) {
			t.Errorf("with statistics, newest first = %q, want %q", got, want)
		}
	})
}

// TestSearchManyPeople: when more people match than a search reads as candidates, the count
// says so (capped), every page of the ranking holds people who match, paging through it
// gives each candidate once, and ordered by time the newest come first. (PostgreSQL takes any
// SearchCandidates of them for the ranking, SQLite the newest: see searchFamilyIn.)
func TestSearchManyPeople(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		n := biebplein.SearchCandidates + 5
		var last *biebplein.Person
		for i := range n {
			last = f.person(fmt.Sprintf("Lid %03d", i), func(p *biebplein.Person) { p.Function = "Leesconsulent" })
		}
		viewer := f.person("Anna de Vries", nil)
		first := f.search(viewer, "leesconsulent ", biebplein.SearchFilter{})
		if got := first.Counts[biebplein.SearchPerson]; got != biebplein.SearchCandidates || !first.Capped[biebplein.SearchPerson] {
			t.Fatalf("%d people match: count %d, capped %v; want %d, capped", n, got, first.Capped[biebplein.SearchPerson], biebplein.SearchCandidates)
		}
		seen := map[string]bool{}
		for page, pages := first, 0; ; pages++ {
			for _, h := range page.Hits {
				if h.Kind != biebplein.SearchPerson || !strings.HasPrefix(h.Title, "Lid ") || seen[h.ID] {
					t.Fatalf("page %d: hit %s %q (seen before: %v)", pages, h.Kind, h.Title, seen[h.ID])
				}
				seen[h.ID] = true
			}
			if page.Next == "" || pages > n {
				break
			}
			page = f.search(viewer, "leesconsulent ", biebplein.SearchFilter{Cursor: page.Next})
		}
		if len(seen) != biebplein.SearchCandidates {
			t.Errorf("paging through the ranking gave %d people, want the %d candidates once each", len(seen), biebplein.SearchCandidates)
		}
		newest := f.search(viewer, "leesconsulent ", biebplein.SearchFilter{Order: biebplein.SearchNewest})
		if len(newest.Hits) == 0 || newest.Hits[0].ID != last.ID {
			t.Errorf("newest first: %q, want %s first", hitTexts(newest), last.Name)
		}
	})
}
