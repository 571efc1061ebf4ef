package store

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/search"
)

var _ biebplein.SearchStore = (*DB)(nil)

// snippetLen is the most characters of text a result shows around its first match;
// titleLen the most of a post's or comment's first line that is its title.
const (
	snippetLen = 240
	titleLen   = 80
)

// lead returns the first line of text, cut after a word at most max characters long.
func lead(text string, max int) string {
	text = strings.TrimSpace(text)
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = strings.TrimSpace(text[:i])
	}
	r := []rune(text)
	if len(r) <= max {
		return text
	}
	cut := string(r[:max])
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-") + "…"
}

// A search is a few queries whatever the number of matches. Each family of kinds (posts and
// comments; people; groups) is one query that walks its matches newest first with the
// visibility rule in the query (groupPredicate on the group of the entry, as every list
// has it) and stops after SearchCandidates visible ones; those are scored in Go
// (search.Score, the same on both databases), and one more query reads the texts of the page.
// Ranked by relevance, a search thus ranks the newest 200 visible matches of each family, and
// pages through them; ordered by time it pages through every match (the cursor holds the id).

// searchFamily is kinds searched by one query.
type searchFamily struct {
	kinds   []biebplein.SearchKind
	inGroup bool             // the entries belong to a group (group_id), which decides who finds them
	access  biebplein.Access // what the viewer needs of that group
}

var searchFamilies = []searchFamily{
	{kinds: []biebplein.SearchKind{biebplein.SearchPost, biebplein.SearchComment}, inGroup: true, access: biebplein.AccessRead},
	{kinds: []biebplein.SearchKind{biebplein.SearchPerson}},
	{kinds: []biebplein.SearchKind{biebplein.SearchGroup}, inGroup: true, access: biebplein.AccessSee},
}

// contentKinds reports whether the family is things people write (posts, comments), which
// have an author and a group to filter by.
func (f searchFamily) contentKinds() bool { return f.inGroup && f.access == biebplein.AccessRead }

// searchCandidate is a visible match before scoring.
type searchCandidate struct {
	id       int64
	hit      *biebplein.SearchHit
	stems    string
	titleLen int
}

// searchCursor is where the next page starts: after the entry id, and under relevance order
// after its score at the time the first page was scored (so the scores stay the same).
type searchCursor struct {
	Now   int64   `json:"t,omitempty"`
	Score float64 `json:"s,omitempty"`
	ID    int64   `json:"d"`
}

func (c searchCursor) encode() string {
	b, _ := json.Marshal(c) // numbers always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeSearchCursor(s string) (searchCursor, error) {
	var c searchCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID <= 0 || c.Now < 0 || math.IsNaN(c.Score) || math.IsInf(c.Score, 0) {
		return searchCursor{}, biebplein.Errorf(biebplein.CodeInvalid, "error.cursor_invalid")
	}
	return c, nil
}

// Search returns a page of what f.Viewer may see matching f.Query. Returns invalid for a
// query that cannot be searched (field q), an unknown kind or order, or a foreign cursor.
func (db *DB) Search(ctx context.Context, f biebplein.SearchFilter) (*biebplein.SearchPage, error) {
	q, err := search.Parse(f.Query)
	if err != nil {
		return nil, err
	}
	for _, k := range f.Kinds {
		if !k.Valid() {
			return nil, invalidSearch("type", "error.search_type_invalid")
		}
	}
	order := cmp.Or(f.Order, biebplein.SearchRelevance)
	if order != biebplein.SearchRelevance && order != biebplein.SearchNewest {
		return nil, invalidSearch("order", "error.search_order_invalid")
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	var cur searchCursor
	if f.Cursor != "" {
		if cur, err = decodeSearchCursor(f.Cursor); err != nil {
			return nil, err
		}
	}
	now := dbNow()
	if cur.Now > 0 {
		now = time.UnixMicro(cur.Now).UTC()
	}
	page := &biebplein.SearchPage{Counts: map[biebplein.SearchKind]int{}, Capped: map[biebplein.SearchKind]bool{}}
	if f.Viewer.PersonID == "" {
		return page, nil
	}
	c := db.read()
	if q, err = c.d.completePrefixes(ctx, c, q); err != nil {
		return nil, err
	}
	// Ordered by time, a later page needs only the next rows; the first page and every page
	// ranked by relevance read the candidates (which also gives the counts).
	n := biebplein.SearchCandidates
	if order == biebplein.SearchNewest && f.Cursor != "" {
		n = limit + 1
	}
	var cands []searchCandidate
	for _, fam := range searchFamilies {
		kinds := wantedKinds(fam.kinds, f.Kinds)
		if len(kinds) == 0 || (!fam.contentKinds() && (f.GroupID != "" || f.AuthorID != "" || !f.From.IsZero() || !f.Until.IsZero())) {
			continue // the filters of group, author and period are about what people write
		}
		found, err := db.searchFamilyTyping(ctx, q, f, fam, kinds, order, cur, n)
		if err != nil {
			return nil, err
		}
		for _, c := range found {
			page.Counts[c.hit.Kind]++
		}
		if len(found) == n && n == biebplein.SearchCandidates {
			for _, k := range kinds {
				page.Capped[k] = true
			}
		}
		cands = append(cands, found...)
	}
	if order == biebplein.SearchNewest {
		slices.SortFunc(cands, func(a, b searchCandidate) int { return cmp.Compare(b.id, a.id) })
		if f.Cursor != "" {
			page.Counts, page.Capped = nil, nil // known from the first page only
		}
	} else {
		for i := range cands {
			c := &cands[i]
			c.hit.Score = search.Score(q, c.stems, c.titleLen, c.hit.CreatedAt, now)
		}
		slices.SortFunc(cands, func(a, b searchCandidate) int {
			return cmp.Or(cmp.Compare(b.hit.Score, a.hit.Score), cmp.Compare(b.id, a.id))
		})
		if f.Cursor != "" {
			i, _ := slices.BinarySearchFunc(cands, cur, func(c searchCandidate, cur searchCursor) int {
				return cmp.Or(cmp.Compare(cur.Score, c.hit.Score), cmp.Compare(cur.ID, c.id))
			})
			for i < len(cands) && !(cands[i].hit.Score < cur.Score || (cands[i].hit.Score == cur.Score && cands[i].id < cur.ID)) {
				i++
			}
			cands = cands[i:]
		}
	}
	if len(cands) > limit {
		last := cands[limit-1]
		next := searchCursor{ID: last.id}
		if order == biebplein.SearchRelevance {
			next.Now, next.Score = now.UnixMicro(), last.hit.Score
		}
		page.Next = next.encode()
		cands = cands[:limit]
	}
	if err := db.fillSearchHits(ctx, q, cands); err != nil {
		return nil, err
	}
	for _, c := range cands {
		page.Hits = append(page.Hits, c.hit)
	}
	return page, nil
}

func invalidSearch(field, key string) error {
	return &biebplein.Error{Code: biebplein.CodeInvalid, Message: key, Fields: map[string]string{field: key}}
}

// wantedKinds is the kinds of a family that the filter asks for (all when it names none).
func wantedKinds(family, asked []biebplein.SearchKind) []biebplein.SearchKind {
	if len(asked) == 0 {
		return family
	}
	var out []biebplein.SearchKind
	for _, k := range family {
		if slices.Contains(asked, k) {
			out = append(out, k)
		}
	}
	return out
}

// searchFamilyTyping is searchFamily for a query whose last word may still be being typed.
// A word completed to the whole words it stands for (Query.Complete) is one query for all of
// them. A word that more words start with stays a prefix, which makes the database merge the
// matches of every such word (for a common start, hundreds of thousands), where a whole word
// is read newest first and only as far as needed: so when the word as it stands already has n
// visible matches, those are the answer, and only otherwise is it also looked up as a prefix.
func (db *DB) searchFamilyTyping(ctx context.Context, q search.Query, f biebplein.SearchFilter, fam searchFamily,
	kinds []biebplein.SearchKind, order biebplein.SearchOrder, cur searchCursor, n int) ([]searchCandidate, error) {
	if q.TypingCompleted() {
		return db.searchFamily(ctx, q, f, fam, kinds, order, cur, n)
	}
	found, err := db.searchFamily(ctx, q.Exact(), f, fam, kinds, order, cur, n)
	if err != nil || len(found) == n {
		return found, err
	}
	return db.searchFamily(ctx, q, f, fam, kinds, order, cur, n)
}

// searchFamily reads at most n visible matches of the kinds of one family, newest first.
func (db *DB) searchFamily(ctx context.Context, q search.Query, f biebplein.SearchFilter, fam searchFamily,
	kinds []biebplein.SearchKind, order biebplein.SearchOrder, cur searchCursor, n int) ([]searchCandidate, error) {
	c := db.read()
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	if c.d.matchesInOrder() || !fam.contentKinds() {
		return db.searchFamilyIn(ctx, c, q, f, fam, names, order, cur, n, searchSpan{})
	}
	return db.searchBuckets(ctx, c, q, f, fam, names, order, cur, n)
}

// searchBucketShift makes the buckets of ids that posts and comments carry on PostgreSQL
// (migration 0020): '#f' || id >> searchBucketShift; and a coarse bucket holds
// 1 << searchCoarseShift of them: '#c' || id >> (searchBucketShift + searchCoarseShift).
const (
	searchBucketShift = 12
	searchCoarseShift = 4
)

// searchSpan narrows a query on PostgreSQL to some buckets of ids (the newest first), or to
// the ids below a bucket.
type searchSpan struct {
	buckets []string // the entry carries one of these bucket lexemes (bucketLexemes)
	below   int64    // and its id is below this (0: no bound)
}

// bucketLexemes names the buckets hi down to lo, as few lexemes as may be: coarse buckets
// where all sixteen of theirs are in the range, fine ones at its ends. With open, nothing
// above hi may be found by the query (hi is the newest bucket, or the query bounds the ids),
// so the coarse bucket of hi is named as soon as its buckets from lo up are in the range.
func bucketLexemes(hi, lo int64, open bool) []string {
	const per = 1 << searchCoarseShift
	var out []string
	for b := hi; b >= lo; {
		if (b%per == per-1 || open && b == hi) && b-b%per >= lo {
			out = append(out, "#c"+strconv.FormatInt(b>>searchCoarseShift, 10))
			b -= b%per + 1
			continue
		}
		out = append(out, "#f"+strconv.FormatInt(b, 10))
		b--
	}
	return out
}

// searchBuckets is searchFamily for posts and comments on PostgreSQL. A GIN index hands its
// matches over unordered, so a query for common words would read every match to keep the
// newest n; instead it asks for the matches in the newest buckets of ids (4,096 entries each,
// sixteen of them named by one coarse bucket where they can), and then in older buckets, each
// time at most twice as many as asked so far (and at most searchBucketStep), fewer when the
// matches found so far say fewer will do, and in all older ones at once when that reaches the
// oldest. The first query asks for as many buckets as should hold searchAhead times n matches
// by PostgreSQL's statistics of the words (termShares): one for a common word, more (up to
// searchFirstStep) for a rarer one. So a query never reads many more matches than it needs,
// and a word's index entries are read a few times at most.
func (db *DB) searchBuckets(ctx context.Context, c conn, q search.Query, f biebplein.SearchFilter, fam searchFamily,
	names []string, order biebplein.SearchOrder, cur searchCursor, n int) ([]searchCandidate, error) {
	var top int64
	if order == biebplein.SearchNewest && cur.ID > 0 {
		top = cur.ID - 1
	} else if err := c.queryRow(ctx, "SELECT coalesce(max(id), 0) FROM search_docs WHERE kind IN ('post', 'comment')").Scan(&top); err != nil {
		return nil, wrap("search", err)
	}
	hi := top >> searchBucketShift // the newest bucket not asked yet
	size := int64(1)
	if top&(1<<searchBucketShift-1) < 1<<(searchBucketShift-1) {
		size = 2 // the newest bucket is under half full
	}
	shares, err := db.shares.get(ctx, c)
	if err != nil {
		return nil, err
	}
	if shares != nil {
		perBucket := q.Share(shares.of) * (1 << searchBucketShift)
		size = max(size, min(int64(math.Ceil(searchAhead*float64(n)/perBucket)), searchFirstStep))
	}
	var out []searchCandidate
	covered := int64(0)
	for first := true; ; first = false {
		lo := hi - size + 1
		if per := int64(1 << searchCoarseShift); size >= per && lo > 0 {
			// Ending at the start of a coarse bucket, the range is named by coarse buckets
			// (the first query's top one too, being open above), not by up to 15 fine ones.
			if r := lo % per; r < per/2 {
				lo -= r
			} else {
				lo += per - r
			}
		}
		var span searchSpan
		if lo <= 0 {
			lo, span.below = 0, (hi+1)<<searchBucketShift // everything older
		} else {
			span.buckets = bucketLexemes(hi, lo, first)
		}
		found, err := db.searchFamilyIn(ctx, c, q, f, fam, names, order, cur, n-len(out), span)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
		if len(out) == n || lo == 0 {
			return out, nil
		}
		covered += hi - lo + 1
		hi = lo - 1
		size = min(2*covered, searchBucketStep)
		if len(out) > 0 {
			perBucket := float64(len(out)) / float64(covered)
			size = min(size, int64(math.Ceil(1.5*float64(n-len(out))/perBucket)))
		}
	}
}

// searchFirstStep is the most buckets the first query asks for, guided by statistics that
// may be off (the GIN index checks each match of the words against every bucket lexeme
// named; the first query's range, open above and ending at a coarse bucket, is named by at
// most nine).
const searchFirstStep = 128

// searchAhead is how many times the matches it needs searchBuckets's first query should
// find by the statistics. Some matches are not visible to the viewer, and the statistics are
// of the whole index, not of its newest part, so the first query may find too few; but
// reading more matches than needed costs more than the second query, which is sized by the
// matches the first found: with 2, the first query for a common word on the generated network
// read four to five times the 200 it needed, and a search cost PostgreSQL 3.2-4.7 ms of CPU;
// with 1, 2.3-4.1 ms (rare words 3.9-4.7 instead of 4.8-5.9).
const searchAhead = 1

// searchBucketStep is the most buckets searchBuckets asks for in one query; beyond, it asks
// for everything older.
const searchBucketStep = 256

// searchFamilyIn is searchFamily's query, over the entries of span.
func (db *DB) searchFamilyIn(ctx context.Context, c conn, q search.Query, f biebplein.SearchFilter, fam searchFamily,
	names []string, order biebplein.SearchOrder, cur searchCursor, n int, span searchSpan) ([]searchCandidate, error) {
	from, match, idCol := c.d.searchMatch(biebplein.SearchKind(names[0]))
	where := []string{match, sqlIn("d.kind", names)}
	args := []any{c.d.matchArg(q)}
	if len(span.buckets) > 0 {
		cond, arg := bucketMatch(span.buckets)
		where, args = append(where, cond), append(args, arg)
	}
	if span.below > 0 {
		where, args = append(where, idCol+" < ?"), append(args, span.below)
	}
	if fam.inGroup {
		from += " JOIN groups g ON g.id = d.group_id"
		pred, pargs := groupPredicate(biebplein.GroupScope{Viewer: f.Viewer, Access: fam.access}, "g")
		where = append(where, pred)
		args = append(args, pargs...)
	}
	if f.GroupID != "" {
		where, args = append(where, "d.group_id = ?"), append(args, f.GroupID)
	}
	if f.AuthorID != "" {
		where, args = append(where, "d.author_id = ?"), append(args, f.AuthorID)
	}
	if !f.From.IsZero() {
		where, args = append(where, "d.created_at >= ?"), append(args, f.From)
	}
	if !f.Until.IsZero() {
		where, args = append(where, "d.created_at < ?"), append(args, f.Until)
	}
	if order == biebplein.SearchNewest && cur.ID > 0 {
		where, args = append(where, idCol+" < ?"), append(args, cur.ID)
	}
	// Ranked by relevance, any n matching people or groups will do as candidates where the
	// matches do not come in order (PostgreSQL): the newest n would mean reading every match
	// (1,978 people for "bibliotheek" on the generated network, 3 ms) where the first n stop
	// the scan. The databases differ only in which candidates a query with more than n
	// matches ranks. Posts and comments are read newest first on both (searchBuckets).
	orderBy := " ORDER BY " + idCol + " DESC"
	if !c.d.matchesInOrder() && !fam.contentKinds() && order == biebplein.SearchRelevance {
		orderBy = ""
	}
	rows, err := c.queryOnce(ctx, `SELECT d.id, d.kind, d.ref_id, coalesce(d.post_id, ''), coalesce(d.group_id, ''),
			coalesce(d.author_id, ''), d.created_at, d.stems, d.title_len
		FROM `+from+`
		WHERE `+strings.Join(where, " AND ")+orderBy+` LIMIT ?`, append(args, n)...)
	if err != nil {
		return nil, wrap("search", err)
	}
	defer rows.Close()
	var out []searchCandidate
	for rows.Next() {
		h := &biebplein.SearchHit{}
		cand := searchCandidate{hit: h}
		var kind string
		if err := rows.Scan(&cand.id, &kind, &h.ID, &h.PostID, &h.Group.ID, &h.Author.ID, utcTime{&h.CreatedAt},
			&cand.stems, &cand.titleLen); err != nil {
			return nil, wrap("scan search result", err)
		}
		h.Kind = biebplein.SearchKind(kind)
		out = append(out, cand)
	}
	return out, wrap("search", rows.Err())
}

// fillSearchHits reads the titles, texts and names of a page of results in one query and cuts
// the snippets.
func (db *DB) fillSearchHits(ctx context.Context, q search.Query, cands []searchCandidate) error {
	if len(cands) == 0 {
		return nil
	}
	byID := make(map[int64]*biebplein.SearchHit, len(cands))
	args := make([]any, len(cands))
	for i, c := range cands {
		byID[c.id] = c.hit
		args[i] = c.id
	}
	rows, err := db.read().queryOnce(ctx, `SELECT d.id, d.title, d.body, coalesce(g.name, ''), coalesce(a.name, '')
		FROM search_docs d LEFT JOIN groups g ON g.id = d.group_id LEFT JOIN people a ON a.id = d.author_id
		WHERE d.id IN (`+placeholders(len(cands))+`)`, args...)
	if err != nil {
		return wrap("read search results", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var body string
		var h biebplein.SearchHit
		if err := rows.Scan(&id, &h.Title, &body, &h.Group.Name, &h.Author.Name); err != nil {
			return wrap("scan search result", err)
		}
		hit := byID[id]
		hit.Title, hit.Group.Name, hit.Author.Name = h.Title, h.Group.Name, h.Author.Name
		hit.Snippet = db.stems.Highlight(body, q, snippetLen)
		if hit.Title == "" {
			// Posts and comments: their first words are the title, and a text that is all
			// title needs no snippet.
			hit.Title = lead(body, titleLen)
			if hit.Title == strings.Join(strings.Fields(body), " ") {
				hit.Snippet = nil
			}
		}
		hit.TitleMarks = db.stems.Highlight(hit.Title, q, snippetLen)
	}
	return wrap("read search results", rows.Err())
}
