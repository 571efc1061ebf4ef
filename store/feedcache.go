package store

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// The first page of the home and group feeds is what everyone reads all day. Read straight
// from SQL, a home page walks one index per group, followed person and topic and merges them
// (two dozen walks for a member of twenty groups); most of that work is the same for every
// reader until a post changes. So the store keeps, per source, the start of its list of posts
// (a head: the newest ids, and its pinned announcements), and merges heads in Go.
//
// Correctness across instances rests on the feed epoch, a counter in the database that every
// change to which posts are in a feed adds one to in its own transaction (bumpFeedEpoch:
// posts written, deleted, restored, edited, pinned; groups changing visibility). A page reads
// the epoch first; heads read at another epoch are not used. A head is read after the epoch,
// so it can only be newer than its epoch, never older: a change committed between the two
// reads is in the head and moves the epoch on, which drops the head at the next read.
//
// Which heads: a group's posts (the same for everyone who may read the group), and per class
// of viewer (classPredicate: kind, organisations, site administration) the posts of a
// followed person, of a followed topic, and the announcements for everyone. A post a viewer
// reads only through a membership is in a group they are a member of, whose head is in
// their home feed already, so the class heads need no membership.
//
// The posts of the page are then read with the full rule (the read predicate of the viewer,
// deletion) like any other page; should that leave out a post of a head, the page is read
// from SQL instead, so that a cached page is always the page SQL would give.

// headSize is how many ids a head keeps: the largest page and the one row that says there is
// a next one, plus the pinned announcements the page may show on top (which its regular rows
// leave out). A page reads only as many of each head as it can use.
const headSize = maxPostLimit + 1 + maxPinned

// headPins is how many pinned announcements a head keeps; a source with more is read from SQL.
const headPins = 20

// The feed heads are kept within headBudget bytes (estimated, see epochCache) and at most
// maxHeads heads: a group's head of 106 posts is about 12 KB, so the heads of a
// network of a thousand groups and their readers' classes fit.
const (
	headBudget = 32 << 20
	maxHeads   = 50_000
)

// head is the start of one source of a feed at one epoch.
type head struct {
	ids    []string     // the newest posts that are not deleted, newest first, at most headSize
	pinned []pinnedPost // announcements still pinned when read, newest first, at most headPins
	// groups holds the group of each post of ids and pinned, as it was at the epoch (a
	// change of a group's visibility or organisation moves the epoch); the posts of one
	// group share its Group.
	groups map[string]*biebplein.Group
}

type pinnedPost struct {
	id    string
	until time.Time
}

// feedCache holds the heads of one epoch, by source.
type feedCache = epochCache[*head]

func newFeedCache() *feedCache { return newEpochCache[*head](headBudget, maxHeads) }

// bumpFeedEpoch adds one to the feed epoch, in the transaction of the change. It goes last in
// the transaction, so that on PostgreSQL the row lock is held only until the commit.
func bumpFeedEpoch(ctx context.Context, tx conn) error {
	_, err := tx.exec(ctx, "UPDATE feed_epoch SET n = n + 1 WHERE id = 1")
	return wrap("bump feed epoch", err)
}

func feedEpoch(ctx context.Context, c conn) (int64, error) {
	var n int64
	err := c.queryRow(ctx, "SELECT n FROM feed_epoch WHERE id = 1").Scan(&n)
	return n, wrap("read feed epoch", err)
}

// headSpec is a source whose head the cache keeps: how its posts and its pinned
// announcements are found newest first, and for whom (class).
type headSpec struct {
	key   string
	posts branch
	pins  branch
	class cond // the class predicate on g; TRUE for a group's own head
}

func groupHead(groupID string) headSpec {
	return headSpec{key: "g|" + groupID, posts: groupBranch(groupID), pins: groupBranch(groupID), class: cond{sql: "TRUE"}}
}

// classHeads returns the heads of a home feed's class sources: the people and topics followed
// and the announcements for everyone.
func classHeads(v biebplein.Viewer, lists homeLists) []headSpec {
	sql, args := classPredicate(biebplein.GroupScope{Viewer: v, Access: biebplein.AccessRead}, "g")
	class := cond{sql, args}
	prefix := viewerClass(v) + "|"
	var specs []headSpec
	for _, id := range lists.people {
		author := postsBranch(cond{"p.author_id = ?", []any{id}})
		specs = append(specs, headSpec{key: "p|" + prefix + id, posts: author, pins: author, class: class})
	}
	for _, t := range lists.topics {
		specs = append(specs, headSpec{key: "t|" + prefix + t, posts: topicBranch([]any{t}),
			pins: postsBranch(topicCond([]any{t})), class: class})
	}
	everyone := postsBranch(announcementsForEveryone)
	return append(specs, headSpec{key: "a|" + prefix, posts: everyone, pins: everyone, class: class})
}

// readHeads returns the heads of specs at epoch, reading those the cache does not have in one
// query per hundred.
func (db *DB) readHeads(ctx context.Context, c conn, epoch int64, specs []headSpec, now time.Time) ([]*head, error) {
	heads := make([]*head, len(specs))
	var missing []int
	for i, s := range specs {
		var ok bool
		if heads[i], ok = db.feeds.get(epoch, s.key); !ok {
			missing = append(missing, i)
		}
	}
	for len(missing) > 0 {
		batch := missing[:min(len(missing), maxBranches)]
		missing = missing[len(batch):]
		read, err := readHeadBatch(ctx, c, specs, batch, now)
		if err != nil {
			return nil, err
		}
		for j, i := range batch {
			heads[i] = read[j]
			db.feeds.put(epoch, specs[i].key, read[j], estimateHead(specs[i].key, read[j]))
		}
	}
	return heads, nil
}

// readHeadBatch reads the heads of specs[batch] in one compound query: per head, its newest
// posts and its pinned announcements.
func readHeadBatch(ctx context.Context, c conn, specs []headSpec, batch []int, now time.Time) ([]*head, error) {
	var b sqlBuilder
	for j, i := range batch {
		s := specs[i]
		if j > 0 {
			b.WriteString("\n\tUNION ALL ")
		}
		n := strconv.Itoa(j)
		b.WriteString("SELECT " + n + ", 0, id, NULL, gid, vis, org FROM (SELECT " + s.posts.order +
			" AS id, g.id AS gid, g.visibility AS vis, coalesce(g.organisation_id, '') AS org FROM " + s.posts.from)
		b.where(cond{sql: "g.id = p.group_id"}, s.class, cond{sql: "p.deleted_at IS NULL"}, s.posts.cond)
		b.WriteString("\n\t\tORDER BY " + s.posts.order + " DESC LIMIT " + strconv.Itoa(headSize) + ") r" + n)
		b.WriteString("\n\tUNION ALL SELECT " + n + ", 1, id, until, gid, vis, org FROM (SELECT p.id AS id, p.pinned_until AS until," +
			" g.id AS gid, g.visibility AS vis, coalesce(g.organisation_id, '') AS org FROM " + s.pins.from)
		b.where(cond{sql: "g.id = p.group_id"}, s.class, cond{sql: "p.deleted_at IS NULL"}, s.pins.cond,
			cond{"p.kind = 'announcement' AND p.pinned_until IS NOT NULL AND p.pinned_until > ?", []any{now}})
		b.WriteString("\n\t\tORDER BY p.id DESC LIMIT " + strconv.Itoa(headPins) + ") n" + n)
	}
	rows, err := c.queryOnce(ctx, b.String(), b.args...)
	if err != nil {
		return nil, wrap("read feed heads", err)
	}
	defer rows.Close()
	heads := make([]*head, len(batch))
	for i := range heads {
		heads[i] = &head{groups: map[string]*biebplein.Group{}}
	}
	groups := map[biebplein.Group]*biebplein.Group{} // one of each, for the heads to share
	for rows.Next() {
		var j, pin int
		var id string
		var until *time.Time
		var g biebplein.Group
		if err := rows.Scan(&j, &pin, &id, nullTime{&until}, &g.ID, &g.Visibility, &g.OrganisationID); err != nil {
			return nil, wrap("scan feed head", err)
		}
		shared := groups[g]
		if shared == nil {
			shared = &g
			groups[g] = shared
		}
		h := heads[j]
		h.groups[id] = shared
		if pin == 0 {
			h.ids = append(h.ids, id)
		} else if until != nil {
			h.pinned = append(h.pinned, pinnedPost{id, *until})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("read feed heads", err)
	}
	// Each part came in its own order (a topic's through its index); merging wants newest first.
	for _, h := range heads {
		slices.Sort(h.ids)
		slices.Reverse(h.ids)
		slices.SortFunc(h.pinned, func(a, b pinnedPost) int { return strings.Compare(b.id, a.id) })
	}
	return heads, nil
}

// cachedPage reports whether q is a page the heads can answer: the first page of the home or
// a group feed, without deleted posts.
func (q *postQuery) cachedPage() bool {
	f := q.f
	return (f.Feed == biebplein.FeedHome || f.Feed == biebplein.FeedGroup) && f.After == "" && !f.Deleted &&
		f.ID == "" && f.AuthorID == "" && q.f.Topic == ""
}

// cachedPage is a page answered from the heads: its posts (the pinned ones first) with their
// parts but for the viewer's own marks, and the cursor of the next page.
type cachedPage struct {
	posts  []*biebplein.Post
	pinned int
	next   string
}

// findCachedPage answers q from the heads. It returns nil when it cannot (a source with more
// pinned announcements than a head keeps, or a post of a head the full rule leaves out): the
// caller then reads the page from SQL.
func (db *DB) findCachedPage(ctx context.Context, c conn, q *postQuery, lists homeLists) (*cachedPage, error) {
	epoch := lists.epoch // read with the home lists
	if !q.home {
		var err error
		if epoch, err = feedEpoch(ctx, c); err != nil {
			return nil, err
		}
	}
	var specs []headSpec
	if q.home {
		for _, id := range lists.groups {
			specs = append(specs, groupHead(id))
		}
		specs = append(specs, classHeads(q.f.Scope.Viewer, lists)...)
	} else {
		specs = []headSpec{groupHead(q.f.GroupID)}
	}
	heads, err := db.readHeads(ctx, c, epoch, specs, q.f.Now)
	if err != nil {
		return nil, err
	}

	// Pinned on top: the newest still pinned of all heads.
	var pinned []string
	pinnedFrom := map[string]int{}
	for i, h := range heads {
		active := 0
		for _, p := range h.pinned {
			if p.until.After(q.f.Now) {
				pinned = append(pinned, p.id)
				pinnedFrom[p.id] = i
				active++
			}
		}
		// A full list of pins holds the newest; pins only expire until the epoch moves. With
		// fewer than a page's worth still pinned, older pins the head does not hold may show.
		if len(h.pinned) >= headPins && active < maxPinned {
			return nil, nil
		}
	}
	pinned = newestUnique(pinned, maxPinned)
	// The regular rows: the newest of all heads but those pinned on top.
	newest := make([][]string, len(heads))
	for i, h := range heads {
		newest[i] = h.ids
	}
	regular, regularFrom := mergeNewest(newest, q.limit+1, pinned)

	ids := append(append([]string{}, pinned...), regular...)
	if len(ids) == 0 {
		return &cachedPage{}, nil
	}
	// Who may read each post: on the home feed decided here, by the domain's rule for one
	// group, from the groups the heads hold and the viewer's memberships just read; on a
	// group feed by the query that reads the versions.
	var readable func(id string) bool
	if q.home {
		groups := make(map[string]*biebplein.Group, len(ids))
		for _, id := range pinned {
			groups[id] = heads[pinnedFrom[id]].groups[id]
		}
		for i, id := range regular {
			groups[id] = heads[regularFrom[i]].groups[id]
		}
		readable = homeReader(q.f.Scope.Viewer, lists, groups)
	}
	byID, err := db.readCards(ctx, c, q, ids, epoch, readable)
	if err != nil || byID == nil {
		return nil, err // nil: the rule leaves a post of a head out, ask SQL
	}
	page := &cachedPage{pinned: len(pinned)}
	for _, id := range pinned {
		page.posts = append(page.posts, byID[id])
	}
	for i, id := range regular {
		if i == q.limit {
			page.next = postCursor{ID: regular[i-1]}.encode()
			break
		}
		page.posts = append(page.posts, byID[id])
	}
	return page, nil
}

// mergeNewest returns the n greatest ids of lists (each sorted greatest first) without
// repeats and without those of skip, greatest first, reading each list only as far as needed,
// and for each the index of a list it came from.
func mergeNewest(lists [][]string, n int, skip []string) ([]string, []int) {
	pos := make([]int, len(lists))
	out := make([]string, 0, n)
	from := make([]int, 0, n)
	for len(out) < n {
		best := -1
		for i, l := range lists {
			for pos[i] < len(l) && (slices.Contains(skip, l[pos[i]]) || (len(out) > 0 && l[pos[i]] >= out[len(out)-1])) {
				pos[i]++ // pinned on top, or already taken from another list
			}
			if pos[i] < len(l) && (best < 0 || l[pos[i]] > lists[best][pos[best]]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out, from = append(out, lists[best][pos[best]]), append(from, best)
		pos[best]++
	}
	return out, from
}

// newestUnique returns the n greatest ids of ids without repeats, greatest first.
func newestUnique(ids []string, n int) []string {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	slices.Reverse(ids)
	return ids[:min(n, len(ids))]
}

// card is a post of a feed page as everyone who may read it sees it: its row with group and
// author, topics, mentions, attachments, poll and first comments; not the viewer's own
// reactions, votes, read and bookmark. It was read at a version of the post and an epoch of
// the feeds (which moves when names or groups change) and is right for as long as both are:
// the cache is of one epoch, the card says its version.
type card struct {
	version int64
	post    *biebplein.Post
}

// The cards are kept within cardBudget bytes (estimated, see epochCache) and at most
// maxCards cards: the first pages of the feeds of a large network, at a few kilobytes a
// post with its first comments.
const (
	cardBudget = 32 << 20
	maxCards   = 20_000
)

// cardCache holds the cards of one epoch by post id and number of comments.
type cardCache = epochCache[card]

func newCardCache() *cardCache { return newEpochCache[card](cardBudget, maxCards) }

func cardKey(id string, comments int) string { return id + "|" + strconv.Itoa(comments) }

// cardOf returns the post of the card of key at epoch, if its version is the post's.
func cardOf(c *cardCache, epoch int64, key string, version int64) *biebplein.Post {
	if cd, ok := c.get(epoch, key); ok && cd.version == version {
		return cd.post
	}
	return nil
}

// readCards returns the posts with these ids for q's viewer, each a copy of its card without
// the viewer's own marks. It reads the versions of the posts the viewer may read (from the
// index alone), takes the cards that are current, and reads the others in full. It returns
// nil when the rule leaves out any of ids.
func (db *DB) readCards(ctx context.Context, c conn, q *postQuery, ids []string, epoch int64, readable func(string) bool) (map[string]*biebplein.Post, error) {
	in, args := idList(ids, func(s string) string { return s })
	var b sqlBuilder
	if readable != nil {
		for _, id := range ids {
			if !readable(id) {
				return nil, nil
			}
		}
		b.WriteString("SELECT p.id, p.version FROM posts p")
		b.where(cond{sql: "p.deleted_at IS NULL"}, cond{"p.id IN (" + in + ")", args})
	} else {
		b.WriteString("SELECT p.id, p.version FROM posts p CROSS JOIN groups g")
		b.where(append(append([]cond{}, q.base...), cond{"p.id IN (" + in + ")", args})...)
	}
	rows, err := c.query(ctx, b.String(), b.args...)
	if err != nil {
		return nil, wrap("find post versions", err)
	}
	versions := make(map[string]int64, len(ids))
	for rows.Next() {
		var id string
		var v int64
		if err := rows.Scan(&id, &v); err != nil {
			rows.Close()
			return nil, wrap("scan post version", err)
		}
		versions[id] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("find post versions", err)
	}
	if len(versions) != len(ids) {
		return nil, nil
	}

	out := make(map[string]*biebplein.Post, len(ids))
	var missing []string
	for _, id := range ids {
		if p := cardOf(db.cards, epoch, cardKey(id, q.f.Comments), versions[id]); p != nil {
			out[id] = cardCopy(p)
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	// Read after the versions, so a card can only be newer than its version, never older.
	read, err := db.readPostRows(ctx, c, q, missing)
	if err != nil {
		return nil, err
	}
	if len(read) != len(missing) {
		return nil, nil // deleted or hidden since the versions were read
	}
	posts := make([]*biebplein.Post, 0, len(read))
	for _, id := range missing {
		posts = append(posts, read[id])
	}
	if err := loadPostParts(ctx, c, posts, "", q.f.Comments); err != nil {
		return nil, err
	}
	for _, p := range posts {
		key := cardKey(p.ID, q.f.Comments)
		db.cards.put(epoch, key, card{version: versions[p.ID], post: p}, estimateCard(key, p))
		out[p.ID] = cardCopy(p)
	}
	return out, nil
}

// homeReader returns whether the viewer may read a post of the heads, by Viewer.CanReadGroup
// on the post's group (groups, by post, from the heads) with the viewer's membership (they
// are a member of the groups of the home lists, and of no other for reading).
func homeReader(v biebplein.Viewer, lists homeLists, groups map[string]*biebplein.Group) func(string) bool {
	decided := map[string]bool{} // by group
	return func(id string) bool {
		g := groups[id]
		if g == nil || g.ID == "" {
			return false
		}
		may, ok := decided[g.ID]
		if !ok {
			var m *biebplein.Membership
			if slices.Contains(lists.groups, g.ID) {
				m = &biebplein.Membership{GroupID: g.ID, PersonID: v.PersonID, Status: biebplein.StatusMember}
			}
			may = v.CanReadGroup(g, m)
			decided[g.ID] = may
		}
		return may
	}
}

// readPostRows reads the posts with these ids that q's viewer may read, with their group and
// author, by id.
func (db *DB) readPostRows(ctx context.Context, c conn, q *postQuery, ids []string) (map[string]*biebplein.Post, error) {
	in, args := idList(ids, func(s string) string { return s })
	var b sqlBuilder
	b.WriteString("SELECT " + postColumns + ", 0, NULL FROM posts p CROSS JOIN groups g CROSS JOIN people a")
	b.where(append(append([]cond{}, q.base...), cond{"p.id IN (" + in + ")", args}, cond{sql: "a.id = p.author_id"})...)
	rows, err := c.query(ctx, b.String(), b.args...)
	if err != nil {
		return nil, wrap("find posts", err)
	}
	defer rows.Close()
	out := make(map[string]*biebplein.Post, len(ids))
	for rows.Next() {
		p, _, _, err := scanPost(rows)
		if err != nil {
			return nil, err
		}
		out[p.ID] = p
	}
	return out, wrap("find posts", rows.Err())
}

// cardCopy returns a copy of a cached post that can take the viewer's own marks without
// changing the card: the post, its reaction counts and its poll are copied; the other parts
// are shared, as they are only read.
func cardCopy(p *biebplein.Post) *biebplein.Post {
	cp := *p
	cp.Reactions = maps.Clone(p.Reactions)
	cp.MyReactions, cp.ReadByMe, cp.Bookmarked = nil, false, false
	if p.Poll != nil {
		poll := *p.Poll
		poll.MyVotes = nil
		cp.Poll = &poll
	}
	return &cp
}
