package store

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/search"
)

var _ biebplein.ExpertStore = (*DB)(nil)

// The expertise finder takes the declared reasons (tags and functions) from memory
// (expert_cache.go) and reads each other source of reasons with one query on its own index:
// the newest posts with the topic and their comments (post_topics_key, stopping after
// biebplein.ExpertRecentPosts readable posts), answered questions (posts_answered, a partial
// index of the questions with an accepted answer) and groups (the groups the viewer may read,
// matched in Go). Every query about posts and groups carries groupPredicate, so activity the
// viewer may not read never counts. The scores are added up and sorted in Go; the people of
// one page are read at the end.

// expertCandidate is a person with the reasons found so far.
type expertCandidate struct {
	person  int32                    // in profiles.people, which is also the order of ties
	reasons []biebplein.ExpertReason // a few: found by kind in a loop, cheaper than a map per candidate
	score   int
}

// expertCandidates gathers the candidates of one request. A person's candidate is found by
// their place in profiles.people (slot), not by id in a map: a common topic has thousands.
type expertCandidates struct {
	p       *profiles
	slot    []int32 // by person: 1 + the candidate's index in list, 0 for none yet
	list    []expertCandidate
	reasons []biebplein.ExpertReason // room for the first reasons of the candidates to come
}

// expertReasonsRoom is how many reasons a new candidate has room for before its own slice
// is allocated: most have one or two, and thousands of tiny slices cost more than one slab.
const expertReasonsRoom = 2

func newExpertCandidates(p *profiles) *expertCandidates {
	return &expertCandidates{p: p, slot: make([]int32, len(p.people))}
}

// of returns the person's candidate, new if need be; valid until the next call.
func (cs *expertCandidates) of(person int32) *expertCandidate {
	if i := cs.slot[person]; i > 0 {
		return &cs.list[i-1]
	}
	if len(cs.reasons) < expertReasonsRoom {
		cs.reasons = make([]biebplein.ExpertReason, 512*expertReasonsRoom)
	}
	room := cs.reasons[:0:expertReasonsRoom]
	cs.reasons = cs.reasons[expertReasonsRoom:]
	cs.list = append(cs.list, expertCandidate{person: person, reasons: room})
	cs.slot[person] = int32(len(cs.list))
	return &cs.list[len(cs.list)-1]
}

// add counts a reason for the person with id, as the database names them; someone who is
// not in the profiles (added since they were read) waits for the next epoch.
func (cs *expertCandidates) add(id, kind string, count int, label string) {
	if person, ok := cs.p.index[id]; ok {
		cs.of(person).add(kind, count, label)
	}
}

func (c *expertCandidate) add(kind string, count int, label string) {
	for i := range c.reasons {
		if r := &c.reasons[i]; r.Kind == kind {
			r.Count += count
			if r.Label == "" {
				r.Label = label
			}
			return
		}
	}
	c.reasons = append(c.reasons, biebplein.ExpertReason{Kind: kind, Count: count, Label: label})
}

// expertCursor is the position after which the next page of experts starts.
type expertCursor struct {
	Score   int    `json:"s"`
	NameKey string `json:"n"`
	ID      string `json:"i"`
}

func (c expertCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeExpertCursor(s string) (expertCursor, error) {
	var c expertCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID == "" {
		return c, biebplein.Errorf(biebplein.CodeInvalid, "error.cursor_invalid")
	}
	return c, nil
}

// FindExperts returns a page of people for f.Topic, highest score first, then by name and
// id, with their reasons, and the cursor of the next page ("" at the end). Deactivated people
// never appear; activity counts only in groups f.Viewer may read. Returns invalid for a
// cursor this store did not hand out.
func (db *DB) FindExperts(ctx context.Context, f biebplein.ExpertFilter) ([]*biebplein.Expert, string, error) {
	var after *expertCursor
	if f.After != "" {
		c, err := decodeExpertCursor(f.After)
		if err != nil {
			return nil, "", err
		}
		after = &c
	}
	key := search.Fold(biebplein.NormalizeTag(f.Topic))
	if key == "" {
		return nil, "", nil
	}
	c := db.read()
	prof, err := db.profiles.get(ctx, c)
	if err != nil {
		return nil, "", err
	}
	cands := newExpertCandidates(prof)
	expertProfiles(prof, key, cands)
	if err := expertActivity(ctx, c, key, f, cands); err != nil {
		return nil, "", err
	}
	if err := expertGroups(ctx, c, prof, key, f, cands); err != nil {
		return nil, "", err
	}
	ranked, next, err := rankExperts(ctx, c, prof, f, cands.list, after)
	if err != nil {
		return nil, "", err
	}
	people, err := peopleByID(ctx, c, prof, ranked)
	if err != nil {
		return nil, "", err
	}
	out := make([]*biebplein.Expert, 0, len(ranked))
	for _, e := range ranked {
		p := people[prof.people[e.person].id]
		if p == nil {
			continue // deactivated in the meantime
		}
		x := &biebplein.Expert{Person: p, Score: e.score}
		for _, kind := range biebplein.ExpertReasonKinds() {
			for _, r := range e.reasons {
				if r.Kind == kind {
					x.Reasons = append(x.Reasons, r)
				}
			}
		}
		out = append(out, x)
	}
	return out, next, nil
}

// expertProfiles adds the declared side: expertise and interests (the profile everyone may
// see) with the topic, and functions that hold it ("coördinator vrijwilligers" for
// vrijwilligers).
func expertProfiles(p *profiles, key string, cands *expertCandidates) {
	for _, t := range p.tags[key] {
		reason := biebplein.ReasonInterest
		if t.expertise {
			reason = biebplein.ReasonExpertise
		}
		cands.of(t.person).add(reason, 1, t.tag)
	}
	for _, fn := range p.functions {
		if strings.Contains(fn.key, key) {
			for _, person := range fn.people {
				cands.of(person).add(biebplein.ReasonFunction, 1, fn.function)
			}
		}
	}
}

// expertActivity counts, in the groups the viewer may read, the posts with the topic and the
// comments on them among the newest biebplein.ExpertRecentPosts such posts, and the accepted
// answers on the questions among them and on those of the newest
// biebplein.ExpertRecentAnswers answered questions whose text has the topic's word. Every
// part walks an index newest first and stops, so that a topic of tens of thousands of posts
// costs what a rare one does.
func expertActivity(ctx context.Context, c conn, key string, f biebplein.ExpertFilter, cands *expertCandidates) error {
	scope := biebplein.GroupScope{Viewer: f.Viewer, Access: biebplein.AccessRead}
	readRecent, recentArgs := groupPredicate(scope, "g")
	readAnswered, answeredArgs := groupPredicate(scope, "ag")
	// The text is not folded: the word matches as typed or folded, in any case.
	typed := "%" + escapeLike(strings.ToLower(biebplein.NormalizeTag(f.Topic))) + "%"
	folded := "%" + escapeLike(key) + "%"
	q := `WITH recent AS (
			SELECT p.id, p.author_id, p.kind, p.accepted_comment_id FROM post_topics t CROSS JOIN posts p CROSS JOIN groups g
			WHERE t.topic_key = ? AND p.id = t.post_id AND p.deleted_at IS NULL AND g.id = p.group_id AND ` + readRecent + `
			ORDER BY t.post_id DESC LIMIT ` + strconv.Itoa(biebplein.ExpertRecentPosts) + `),
		answered AS (
			SELECT accepted_comment_id AS cid FROM recent WHERE kind = 'question' AND accepted_comment_id IS NOT NULL
			UNION
			SELECT ap.accepted_comment_id FROM (
				SELECT id, group_id, accepted_comment_id, text FROM posts
				WHERE accepted_comment_id IS NOT NULL AND kind = 'question' AND deleted_at IS NULL
				ORDER BY id DESC LIMIT ` + strconv.Itoa(biebplein.ExpertRecentAnswers) + `) ap CROSS JOIN groups ag
			WHERE ag.id = ap.group_id AND ` + readAnswered + `
				AND (lower(ap.text) LIKE ? ESCAPE '\' OR lower(ap.text) LIKE ? ESCAPE '\'))
		SELECT 'posts', author_id, count(*) FROM recent GROUP BY author_id
		UNION ALL
		SELECT 'comments', c.author_id, count(*) FROM recent r CROSS JOIN comments c
		WHERE c.post_id = r.id AND c.deleted_at IS NULL GROUP BY c.author_id
		UNION ALL
		SELECT 'answers', ac.author_id, count(*) FROM answered a CROSS JOIN comments ac
		WHERE ac.id = a.cid AND ac.deleted_at IS NULL GROUP BY ac.author_id`
	args := append([]any{key}, recentArgs...)
	args = append(args, answeredArgs...)
	args = append(args, typed, folded)
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return wrap("find expert activity", err)
	}
	defer rows.Close()
	for rows.Next() {
		var source, id string
		var n int
		if err := rows.Scan(&source, &id, &n); err != nil {
			return wrap("scan expert activity", err)
		}
		kind := map[string]string{"posts": biebplein.ReasonPosts, "comments": biebplein.ReasonComments,
			"answers": biebplein.ReasonAnswers}[source]
		cands.add(id, kind, n, "")
	}
	return wrap("find expert activity", rows.Err())
}

// expertGroups finds the members of the (at most biebplein.ExpertGroups smallest) groups the
// viewer may read whose name or description holds the topic: matched in memory, folded like
// the topic, and then asked of the database with the visibility rule.
func expertGroups(ctx context.Context, c conn, p *profiles, key string, f biebplein.ExpertFilter, cands *expertCandidates) error {
	var about []any
	for _, g := range p.groups {
		if strings.Contains(g.folded, key) {
			about = append(about, g.id)
		}
	}
	if len(about) == 0 {
		return nil
	}
	read, args := groupPredicate(biebplein.GroupScope{Viewer: f.Viewer, Access: biebplein.AccessRead}, "g")
	var ids []string
	names, sizes := map[string]string{}, map[string]int{}
	for start := 0; start < len(about); start += tagBatch {
		batch := about[start:min(start+tagBatch, len(about))]
		rows, err := c.queryOnce(ctx, "SELECT g.id, g.name, g.member_count FROM groups g WHERE g.id IN ("+placeholders(len(batch))+
			") AND "+read, append(slices.Clone(batch), args...)...)
		if err != nil {
			return wrap("find expert groups", err)
		}
		for rows.Next() {
			var id, name string
			var members int
			if err := rows.Scan(&id, &name, &members); err != nil {
				rows.Close()
				return wrap("scan expert group", err)
			}
			ids, names[id] = append(ids, id), name
			sizes[id] = members
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return wrap("find expert groups", err)
		}
	}
	// The smallest groups first: a working group on the topic says more of its members than
	// a network of hundreds that mentions it.
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(sizes[a], sizes[b]), cmp.Compare(a, b)) })
	ids = ids[:min(len(ids), biebplein.ExpertGroups)]
	for start := 0; start < len(ids); start += tagBatch {
		batch := ids[start:min(start+tagBatch, len(ids))]
		in := make([]any, len(batch))
		for i, id := range batch {
			in[i] = id
		}
		rows, err := c.queryOnce(ctx, "SELECT person_id, group_id FROM group_members WHERE status = 'member' AND group_id IN ("+
			placeholders(len(batch))+")", in...)
		if err != nil {
			return wrap("find expert group members", err)
		}
		for rows.Next() {
			var person, group string
			if err := rows.Scan(&person, &group); err != nil {
				rows.Close()
				return wrap("scan expert group member", err)
			}
			cands.add(person, biebplein.ReasonGroups, 1, names[group])
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return wrap("find expert group members", err)
		}
	}
	return nil
}

// rankExperts orders the candidates by score, then name and id, and returns the page after
// the cursor with the cursor of the next page. Who is active and passes the filters is known
// from memory (profiles.people); the people of the page are read again at the end. Only the
// page is kept in order as the candidates go by: a common topic has thousands of them.
func rankExperts(ctx context.Context, c conn, p *profiles, f biebplein.ExpertFilter, cands []expertCandidate, after *expertCursor) ([]*expertCandidate, string, error) {
	pass, err := expertFilter(ctx, c, f)
	if err != nil {
		return nil, "", err
	}
	keep := len(cands)
	if f.Limit > 0 {
		keep = min(keep, f.Limit+1) // one more tells that there is a next page
	}
	whole := keep == len(cands)                 // every candidate may be on the page: sorted once at the end
	better := func(a, b *expertCandidate) int { // below 0: a comes first
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.person, b.person))
	}
	page := make([]*expertCandidate, 0, keep)
	for i := range cands {
		e := &cands[i]
		person := &p.people[e.person]
		if !person.active || !pass(person) {
			continue
		}
		for _, r := range e.reasons {
			e.score += biebplein.ReasonScore(r.Kind, r.Count)
		}
		if after != nil && (e.score > after.Score || e.score == after.Score &&
			cmp.Or(cmp.Compare(person.nameKey, after.NameKey), cmp.Compare(person.id, after.ID)) <= 0) {
			continue // on an earlier page
		}
		switch {
		case whole:
			page = append(page, e)
		case len(page) < keep || better(e, page[keep-1]) < 0:
			at, _ := slices.BinarySearchFunc(page, e, better)
			page = slices.Insert(page[:min(len(page), keep-1)], at, e)
		}
	}
	if whole {
		slices.SortFunc(page, better)
	}
	next := ""
	if f.Limit > 0 && len(page) > f.Limit {
		page = page[:f.Limit]
		last := &p.people[page[f.Limit-1].person]
		next = expertCursor{Score: page[f.Limit-1].score, NameKey: last.nameKey, ID: last.id}.encode()
	}
	return page, next, nil
}

// expertFilter returns the test of the filters on kind, function and organisation (and
// below it), which reads the organisations below only when asked.
func expertFilter(ctx context.Context, c conn, f biebplein.ExpertFilter) (func(*profilePerson) bool, error) {
	var orgs map[string]bool
	if f.OrganisationID != "" {
		// Organisations are at most three deep: support, library, branch.
		rows, err := c.query(ctx, `SELECT o.id FROM organisations o WHERE o.id = ? OR o.parent_id = ?
			OR o.parent_id IN (SELECT o2.id FROM organisations o2 WHERE o2.parent_id = ?)`,
			f.OrganisationID, f.OrganisationID, f.OrganisationID)
		if err != nil {
			return nil, wrap("find expert organisations", err)
		}
		defer rows.Close()
		orgs = map[string]bool{}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return nil, wrap("scan expert organisation", err)
			}
			orgs[id] = true
		}
		if err := rows.Err(); err != nil {
			return nil, wrap("find expert organisations", err)
		}
	}
	function := search.Fold(f.Function)
	return func(p *profilePerson) bool {
		return (f.Kind == "" || p.kind == f.Kind) && (function == "" || strings.Contains(p.functionKey, function)) &&
			(orgs == nil || orgs[p.organisationID])
	}, nil
}

// peopleByID reads the active people of a page with their tags and organisation.
func peopleByID(ctx context.Context, c conn, prof *profiles, page []*expertCandidate) (map[string]*biebplein.Person, error) {
	out := make(map[string]*biebplein.Person, len(page))
	if len(page) == 0 {
		return out, nil
	}
	var all []*biebplein.Person
	for start := 0; start < len(page); start += tagBatch {
		batch := page[start:min(start+tagBatch, len(page))]
		args := make([]any, len(batch))
		for i, e := range batch {
			args[i] = prof.people[e.person].id
		}
		rows, err := c.queryOnce(ctx, personSelect+" WHERE p.deactivated_at IS NULL AND p.id IN ("+placeholders(len(batch))+")", args...)
		if err != nil {
			return nil, wrap("find experts", err)
		}
		for rows.Next() {
			var p biebplein.Person
			var key string
			if err := rows.Scan(&p.ID, &p.Email, &p.Name, &key, &p.Kind, &p.Admin, &p.Function, &p.Bio, &p.Locale, &p.Simple, &p.Advisor,
				&p.PasswordHash, &p.TOTPEnabled, nullTime{&p.DeactivatedAt}, utcTime{&p.CreatedAt}, utcTime{&p.UpdatedAt},
				&p.Organisation.ID, &p.Organisation.Name, &p.Organisation.Kind); err != nil {
				rows.Close()
				return nil, wrap("scan expert", err)
			}
			out[p.ID] = &p
			all = append(all, &p)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, wrap("find experts", err)
		}
	}
	return out, loadTags(ctx, c, all)
}

// FindTagUses returns the tags in use starting with prefix (compared folded): the expertise
// and interests of active people, and the topics of posts in public groups as CountTopics
// last counted them. Spellings that fold alike are one tag, shown in its most used spelling;
// most used first, then alphabetically, at most limit (0: all).
func (db *DB) FindTagUses(ctx context.Context, prefix string, limit int) ([]biebplein.TagUse, error) {
	pattern := escapeLike(search.Fold(biebplein.NormalizeTag(prefix))) + "%"
	rows, err := db.read().query(ctx, `SELECT t.tag_key, t.tag, count(*) FROM person_tags t JOIN people p ON p.id = t.person_id
		WHERE t.tag_key LIKE ? ESCAPE '\' AND p.deactivated_at IS NULL GROUP BY t.tag_key, t.tag
		UNION ALL
		SELECT topic_key, topic, posts FROM topic_counts WHERE topic_key LIKE ? ESCAPE '\'`, pattern, pattern)
	if err != nil {
		return nil, wrap("find tag uses", err)
	}
	defer rows.Close()
	type spelling struct {
		tag  string
		uses int
	}
	total := map[string]int{}
	best := map[string]spelling{}
	for rows.Next() {
		var key, tag string
		var n int
		if err := rows.Scan(&key, &tag, &n); err != nil {
			return nil, wrap("scan tag use", err)
		}
		total[key] += n
		if b, ok := best[key]; !ok || n > b.uses || (n == b.uses && tag < b.tag) {
			best[key] = spelling{tag, n}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("find tag uses", err)
	}
	out := make([]biebplein.TagUse, 0, len(total))
	for key, n := range total {
		out = append(out, biebplein.TagUse{Tag: best[key].tag, Uses: n})
	}
	slices.SortFunc(out, func(a, b biebplein.TagUse) int { return cmp.Or(cmp.Compare(b.Uses, a.Uses), cmp.Compare(a.Tag, b.Tag)) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// CountTopics recounts topic_counts: the topics of the posts in public groups (which everyone
// may read, so that a suggestion never tells of a topic of a hidden group), not deleted, by
// folded topic with its most used spelling. It reads outside the transaction that replaces
// the counts, so writers wait only for the short replacement.
func (db *DB) CountTopics(ctx context.Context) error {
	rows, err := db.read().queryOnce(ctx, `SELECT t.topic_key, t.topic, count(*)
		FROM post_topics t JOIN posts p ON p.id = t.post_id JOIN groups g ON g.id = p.group_id
		WHERE g.visibility = 'public' AND p.deleted_at IS NULL
		GROUP BY t.topic_key, t.topic`)
	if err != nil {
		return wrap("count topics", err)
	}
	type count struct {
		topic string
		best  int
		posts int
	}
	counts := map[string]*count{}
	for rows.Next() {
		var key, topic string
		var n int
		if err := rows.Scan(&key, &topic, &n); err != nil {
			rows.Close()
			return wrap("scan topic count", err)
		}
		c := counts[key]
		if c == nil {
			c = &count{}
			counts[key] = c
		}
		c.posts += n
		if n > c.best || (n == c.best && topic < c.topic) {
			c.topic, c.best = topic, n
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return wrap("count topics", err)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range counts {
			if !yield(k) {
				return
			}
		}
	})
	return db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, "DELETE FROM topic_counts"); err != nil {
			return wrap("clear topic counts", err)
		}
		for start := 0; start < len(keys); start += sqliteRowsPerInsert {
			batch := keys[start:min(start+sqliteRowsPerInsert, len(keys))]
			values := make([]string, len(batch))
			args := make([]any, 0, 3*len(batch))
			for i, k := range batch {
				values[i] = "(?, ?, ?)"
				args = append(args, k, counts[k].topic, counts[k].posts)
			}
			if _, err := tx.exec(ctx, "INSERT INTO topic_counts (topic_key, topic, posts) VALUES "+strings.Join(values, ", "), args...); err != nil {
				return wrap("insert topic counts", err)
			}
		}
		return nil
	})
}

// refoldKeys fills the folded keys that migration 0011 could not make in SQL: those of tags,
// topics and functions with letters beyond ASCII. New rows get theirs when written, so after
// the first start this finds nothing.
func (db *DB) refoldKeys(ctx context.Context) error {
	type fix struct {
		table, keyCol, textCol, where string
		pk                            []string
	}
	fixes := []fix{
		{"person_tags", "tag_key", "tag", "tag_key = ''", []string{"person_id", "kind", "tag"}},
		{"post_topics", "topic_key", "topic", "topic_key = ''", []string{"post_id", "topic"}},
		{"people", "function_key", "function", "function_key = '' AND function <> ''", []string{"id"}},
	}
	for _, fx := range fixes {
		err := db.inTx(ctx, func(tx conn) error {
			rows, err := tx.query(ctx, "SELECT "+strings.Join(fx.pk, ", ")+", "+fx.textCol+" FROM "+fx.table+" WHERE "+fx.where)
			if err != nil {
				return wrap("refold "+fx.table, err)
			}
			var todo [][]any
			for rows.Next() {
				vals := make([]string, len(fx.pk)+1)
				ptrs := make([]any, len(vals))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return wrap("refold "+fx.table, err)
				}
				args := []any{search.Fold(vals[len(vals)-1])}
				for _, v := range vals[:len(fx.pk)] {
					args = append(args, v)
				}
				todo = append(todo, args)
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				return wrap("refold "+fx.table, err)
			}
			conds := make([]string, len(fx.pk))
			for i, c := range fx.pk {
				conds[i] = c + " = ?"
			}
			for _, args := range todo {
				if _, err := tx.exec(ctx, "UPDATE "+fx.table+" SET "+fx.keyCol+" = ? WHERE "+strings.Join(conds, " AND "), args...); err != nil {
					return wrap("refold "+fx.table, err)
				}
			}
			if len(todo) == 0 {
				return nil
			}
			return bumpProfiles(ctx, tx)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
