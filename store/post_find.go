package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// Pages of posts.
const (
	defaultPostLimit = 20
	maxPostLimit     = 100
	maxPinned        = 5 // pinned announcements on top of the first page
)

// FindPosts returns a page of posts the filter's viewer may read, newest first, with their
// associations, and the cursor of the next page ("" at the end).
//
// Every page is restricted by the read predicate of the viewer (groupPredicate with
// AccessRead) on the post's group. Deleted posts are left out unless f.Deleted, and even then
// shown only in groups the viewer administers, or to site administrators.
//
// The first page of the home and group feeds starts with at most five pinned announcements
// (newest first), which are then left out of the regular rows of every page, so that nothing
// shows twice; Limit counts only the regular rows. The saved feed is ordered by when the
// viewer saved each post, most recent first; the others by post id, newest first.
//
// A page costs a fixed number of queries whatever its size: for the home feed one for the
// viewer's groups and follows; one for the posts with their group and author; then one each
// for topics and mentions, attachments, polls, the viewer's own marks (reactions, bookmark,
// read, poll votes), comments and the comments' mentions, each skipped when there is nothing
// to load.
//
// Returns invalid for an unknown feed, a feed without its subject (error.feed_invalid), or a
// cursor this store did not hand out (error.cursor_invalid).
func (db *DB) FindPosts(ctx context.Context, f biebplein.PostFilter) ([]*biebplein.Post, string, error) {
	q, err := newPostQuery(f)
	if err != nil {
		return nil, "", err
	}
	c := db.read()
	var lists homeLists
	if q.home {
		if lists, err = readHomeLists(ctx, c, f.Scope.Viewer.PersonID); err != nil {
			return nil, "", err
		}
		q.sources = homeSources(lists)
	}
	if db.feeds != nil && q.cachedPage() {
		page, err := db.findCachedPage(ctx, c, q, lists)
		if err != nil {
			return nil, "", err
		}
		if page != nil { // with its parts but for the viewer's own marks
			if len(page.posts) > 0 && f.Scope.Viewer.PersonID != "" {
				if err := loadRecentViewerMarks(ctx, c, page.posts, page.pinned, f.Scope.Viewer.PersonID); err != nil {
					return nil, "", err
				}
			}
			return page.posts, page.next, nil
		}
	}
	posts, next, err := q.run(ctx, c)
	if err != nil {
		return nil, "", err
	}
	if err := loadPostParts(ctx, c, posts, f.Scope.Viewer.PersonID, f.Comments); err != nil {
		return nil, "", err
	}
	return posts, next, nil
}

// postQuery is a FindPosts filter checked and turned into the parts of its SQL.
type postQuery struct {
	f       biebplein.PostFilter
	limit   int
	after   postCursor
	saved   bool     // order by bookmark time
	home    bool     // sources from the viewer's groups and follows
	pinning bool     // pinned announcements are kept out of the regular rows
	pinTop  bool     // and shown on top (first page)
	base    []cond   // for every source: visibility, deletion, the filter's fields
	sources []source // the feed's sources, any of which lets a post in (home has four)
}

// cond is a piece of SQL with the arguments of its placeholders, in order.
type cond struct {
	sql  string
	args []any
}

// source is one way for posts to get into a feed: a condition on a post (p) and its group (g),
// which picks the pinned announcements, and the branches of the page query that find its
// posts newest first.
type source struct {
	cond
	branches []branch
}

// branch is one walk of the page query through an index, newest first, stopping after a page:
// the rows of from (which names posts p and groups g) that meet cond, ordered by order (a post
// id column).
type branch struct {
	from     string
	cond     cond
	order    string
	distinct bool // the walk can meet a post twice (a post with two of the topics)
}

// The tables a branch walks, and the index each is meant to use.
const (
	fromPosts  = "posts p CROSS JOIN groups g"                           // (author_id, id), (id), announcements
	fromGroup  = "groups g CROSS JOIN posts p"                           // (group_id, id)
	fromTopics = "post_topics ht CROSS JOIN posts p CROSS JOIN groups g" // (topic, post_id)
)

// postsBranch walks posts newest first through whatever index suits c (the author's, the
// announcements', the primary key).
func postsBranch(c cond) branch { return branch{from: fromPosts, cond: c, order: "p.id"} }

// groupBranch walks the posts of one group newest first.
func groupBranch(groupID string) branch {
	return branch{from: fromGroup, cond: cond{"g.id = ? AND p.group_id = ?", []any{groupID, groupID}}, order: "p.id"}
}

// topicBranch walks the posts of topics newest first: for one topic straight down its index,
// for several merging them.
func topicBranch(topics []any) branch {
	if len(topics) == 1 {
		return branch{from: fromTopics, cond: cond{"ht.topic = ? AND p.id = ht.post_id", topics}, order: "ht.post_id"}
	}
	return branch{from: fromTopics, cond: cond{"ht.topic IN (" + placeholders(len(topics)) + ") AND p.id = ht.post_id", topics},
		order: "ht.post_id", distinct: true}
}

// topicCond is true for posts with one of the topics.
func topicCond(topics []any) cond {
	return cond{"EXISTS (SELECT 1 FROM post_topics tc WHERE tc.post_id = p.id AND tc.topic IN (" +
		placeholders(len(topics)) + "))", topics}
}

// maxBranches bounds the branches one source adds to the page query, one per group, person
// or topic; beyond it the source is one branch that filters on the whole list. SQLite allows
// at most 500 SELECTs in one compound query.
const maxBranches = 100

// perItem returns a branch per item, or one for all of them when there are too many.
func perItem(items []any, one func(item any) branch, all branch) []branch {
	if len(items) > maxBranches {
		return []branch{all}
	}
	out := make([]branch, len(items))
	for i, it := range items {
		out[i] = one(it)
	}
	return out
}

func newPostQuery(f biebplein.PostFilter) (*postQuery, error) {
	q := &postQuery{f: f, limit: f.Limit}
	switch {
	case q.limit <= 0:
		q.limit = defaultPostLimit
	case q.limit > maxPostLimit:
		q.limit = maxPostLimit
	}
	if f.Now.IsZero() {
		q.f.Now = time.Now()
	}
	q.f.Topic = biebplein.NormalizeTag(f.Topic)
	if f.After != "" {
		var err error
		if q.after, err = decodePostCursor(f.After); err != nil {
			return nil, err
		}
	}

	viewer := f.Scope.Viewer
	read, readArgs := groupPredicate(biebplein.GroupScope{Viewer: viewer, Access: biebplein.AccessRead}, "g")
	q.base = append(q.base, cond{sql: "g.id = p.group_id"}, cond{read, readArgs})
	switch {
	case !f.Deleted:
		q.base = append(q.base, cond{sql: "p.deleted_at IS NULL"})
	case viewer.Admin:
		// Site administrators see deleted posts wherever they may read.
	default:
		q.base = append(q.base, cond{`(p.deleted_at IS NULL OR p.group_id IN (SELECT dm.group_id FROM group_members dm
			WHERE dm.person_id = ? AND dm.status = 'member' AND dm.role = 'admin'))`, []any{viewer.PersonID}})
	}
	if f.ID != "" {
		q.base = append(q.base, cond{"p.id = ?", []any{f.ID}})
	}
	if f.GroupID != "" {
		q.base = append(q.base, cond{"p.group_id = ?", []any{f.GroupID}})
	}
	if f.AuthorID != "" {
		q.base = append(q.base, cond{"p.author_id = ?", []any{f.AuthorID}})
	}

	invalid := biebplein.Errorf(biebplein.CodeInvalid, "error.feed_invalid")
	switch f.Feed {
	case "":
	case biebplein.FeedHome:
		if viewer.PersonID == "" {
			return nil, invalid
		}
		q.home, q.pinning = true, true
	case biebplein.FeedGroup:
		if f.GroupID == "" {
			return nil, invalid
		}
		q.pinning = true
	case biebplein.FeedTopic:
		if q.f.Topic == "" {
			return nil, invalid
		}
	case biebplein.FeedPerson:
		if f.AuthorID == "" {
			return nil, invalid
		}
	case biebplein.FeedSaved:
		if viewer.PersonID == "" {
			return nil, invalid
		}
		q.saved = true
	case biebplein.FeedQuestions:
		q.base = append(q.base, cond{sql: "p.kind = 'question' AND p.accepted_comment_id IS NULL"})
	default:
		return nil, invalid
	}
	if q.saved != (q.after.Saved != "") && f.After != "" {
		return nil, biebplein.Errorf(biebplein.CodeInvalid, "error.cursor_invalid")
	}
	if f.ID != "" {
		q.pinning = false // the post page shows one post, pinned or not
	}
	q.pinTop = q.pinning && f.After == ""

	// One source, walked through the index that fits the filter best. The home feed replaces
	// it with its own (homeSources), where a topic filter is one more condition.
	topic := []any{q.f.Topic}
	switch {
	case q.f.Topic != "" && (q.home || q.saved):
		q.base = append(q.base, topicCond(topic))
		q.sources = []source{{cond: cond{sql: "TRUE"}, branches: []branch{postsBranch(cond{sql: "TRUE"})}}}
	case q.f.Topic != "":
		q.sources = []source{{cond: topicCond(topic), branches: []branch{topicBranch(topic)}}}
	case f.GroupID != "":
		q.sources = []source{{cond: cond{sql: "TRUE"}, branches: []branch{groupBranch(f.GroupID)}}}
	default:
		q.sources = []source{{cond: cond{sql: "TRUE"}, branches: []branch{postsBranch(cond{sql: "TRUE"})}}}
	}
	return q, nil
}

// homeLists are the groups a person is a member of and the people and topics they follow:
// the sources of their home feed; and the feed epoch when they were read (feedcache.go).
type homeLists struct {
	groups, people, topics []string
	epoch                  int64
}

// readHomeLists reads a person's home lists and the feed epoch with one query.
func readHomeLists(ctx context.Context, c conn, personID string) (homeLists, error) {
	var l homeLists
	rows, err := c.query(ctx, `SELECT 'epoch', CAST(n AS TEXT) FROM feed_epoch WHERE id = 1
		UNION ALL SELECT target_kind, target FROM follows WHERE person_id = ?
		UNION ALL SELECT 'group', group_id FROM group_members WHERE person_id = ? AND status = 'member'`,
		personID, personID)
	if err != nil {
		return l, wrap("find home sources", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, target string
		if err := rows.Scan(&kind, &target); err != nil {
			return l, wrap("scan home source", err)
		}
		switch kind {
		case "epoch":
			if l.epoch, err = strconv.ParseInt(target, 10, 64); err != nil {
				return l, wrap("scan feed epoch", err)
			}
		case "group":
			l.groups = append(l.groups, target)
		case followPerson:
			l.people = append(l.people, target)
		case followTopic:
			l.topics = append(l.topics, target)
		}
	}
	return l, wrap("find home sources", rows.Err())
}

// announcementsForEveryone is the home feed's source of announcements: those in groups open
// to more than their members.
var announcementsForEveryone = cond{sql: "(p.kind = 'announcement' AND g.visibility IN ('public', 'network', 'organisation'))"}

// homeSources returns the ways a post gets into a person's home feed: a group they are a
// member of, a person or a topic they follow, and announcements addressed to everyone (in
// public, network and organisation groups).
//
// Each group, person and topic is its own branch of the page query, walking its own index
// newest first and stopping after a page: a page then reads at most a page per branch, where
// one branch for the whole list read (and sorted) every post of the viewer's groups or topics,
// a hundred thousand rows for a member of twenty busy groups.
//
// The groups and follows are written into the page query as values: the planners then know
// how many there are. The lists are padded (padList) so that people with about as many
// groups and follows share one query text.
func homeSources(l homeLists) []source {
	var sources []source
	if len(l.groups) > 0 {
		groups := padList(anys(l.groups))
		in := cond{"p.group_id IN (" + placeholders(len(groups)) + ")", groups}
		sources = append(sources, source{in, perItem(groups,
			func(id any) branch { return groupBranch(id.(string)) }, branch{from: fromGroup, cond: in, order: "p.id"})})
	}
	if len(l.people) > 0 {
		people := padList(anys(l.people))
		in := cond{"p.author_id IN (" + placeholders(len(people)) + ")", people}
		sources = append(sources, source{in, perItem(people,
			func(id any) branch { return postsBranch(cond{"p.author_id = ?", []any{id}}) }, postsBranch(in))})
	}
	if len(l.topics) > 0 {
		topics := padList(anys(l.topics))
		sources = append(sources, source{topicCond(topics), perItem(topics,
			func(t any) branch { return topicBranch([]any{t}) }, topicBranch(topics))})
	}
	return append(sources, source{announcementsForEveryone, []branch{postsBranch(announcementsForEveryone)}})
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// sqlBuilder writes a query and collects the arguments of its placeholders in order.
type sqlBuilder struct {
	strings.Builder
	args []any
}

func (b *sqlBuilder) add(sql string, args ...any) {
	b.WriteString(sql)
	b.args = append(b.args, args...)
}

// where writes the conditions joined with AND.
func (b *sqlBuilder) where(conds ...cond) {
	for i, c := range conds {
		if i == 0 {
			b.WriteString("\n\t\tWHERE ")
		} else {
			b.WriteString("\n\t\t\tAND ")
		}
		b.add(c.sql, c.args...)
	}
}

// postColumns are read for every post, from posts p, groups g and people a.
const postColumns = `p.id, p.kind, p.body, p.html, p.text, coalesce(p.accepted_comment_id, ''), p.pinned_until,
		p.comment_count, p.like_count, p.thanks_count, p.insightful_count, p.celebrate_count, p.read_count,
		p.created_at, p.edited_at, p.deleted_at, coalesce(p.deleted_by, ''), g.id, g.name, g.visibility, a.id, a.name`

// build writes the page query:
//
//	WITH pinned AS (the pinned announcements of the feed, at most five),
//	     page AS (the ids of the next limit+1 regular rows: per branch, newest first, limited;
//	              then the union of the branches, newest first, limited),
//	     ids AS (pinned, then page)
//	SELECT the posts of ids with their group and author
//
// The regular rows of one branch are the newest limit+1 ids that pass every condition, so the
// newest limit+1 of the union are among them. Every branch reads through an index on (…, id)
// and stops early; only the final join reads whole rows.
//
// The branches join with CROSS JOIN, which SQLite takes as a fixed order and PostgreSQL plans
// like any join: posts first through the index of the branch (author, announcements), a
// topic's index first for a topic, the group first for a group (then through (group_id, id)).
// Left to itself, SQLite without statistics started from all the groups the viewer may read
// and read every post of each. The pinned announcements are found newest first through the
// small index of pinned posts; MATERIALIZED makes both databases compute them once.
func (q *postQuery) build() (string, []any) {
	var b sqlBuilder
	b.WriteString("WITH ")
	if q.pinning {
		b.WriteString("pinned AS MATERIALIZED (SELECT p.id FROM " + fromPosts)
		conds := append([]cond{}, q.base...)
		if q.f.Deleted {
			conds = append(conds, cond{sql: "p.deleted_at IS NULL"}) // deleted posts are never pinned
		}
		conds = append(conds, cond{"p.kind = 'announcement' AND p.pinned_until IS NOT NULL AND p.pinned_until > ?",
			[]any{q.f.Now}}, anyOf(q.sources))
		b.where(conds...)
		b.WriteString("\n\t\tORDER BY p.id DESC LIMIT " + strconv.Itoa(maxPinned) + "),\n\t")
	}

	if q.saved {
		// One source: the viewer's bookmarks, by when they were made.
		b.WriteString("page AS (SELECT p.id, b.created_at AS saved_at FROM bookmarks b CROSS JOIN posts p CROSS JOIN groups g")
		conds := append([]cond{{"b.person_id = ? AND p.id = b.post_id", []any{q.f.Scope.Viewer.PersonID}}}, q.base...)
		if q.f.After != "" {
			conds = append(conds, cond{"(b.created_at < ? OR (b.created_at = ? AND p.id < ?))",
				[]any{q.after.savedAt, q.after.savedAt, q.after.ID}})
		}
		b.where(conds...)
		b.WriteString("\n\t\tORDER BY b.created_at DESC, p.id DESC" + limitClause(q.limit+1) + ")")
		b.WriteString("\n\tSELECT " + postColumns + ", 0, page.saved_at FROM page JOIN posts p ON p.id = page.id" +
			" JOIN groups g ON g.id = p.group_id JOIN people a ON a.id = p.author_id" +
			"\n\tORDER BY page.saved_at DESC, p.id DESC")
		return b.String(), b.args
	}

	b.WriteString("page AS (")
	n := 0
	for _, src := range q.sources {
		for _, br := range src.branches {
			if n > 0 {
				b.WriteString("\n\t\tUNION ")
			}
			b.WriteString("SELECT id FROM (SELECT ")
			if br.distinct {
				b.WriteString("DISTINCT ")
			}
			b.WriteString(br.order + " AS id FROM " + br.from)
			conds := append(append([]cond{}, q.base...), br.cond)
			if q.pinning {
				conds = append(conds, cond{sql: "p.id NOT IN (SELECT id FROM pinned)"})
			}
			if q.f.After != "" {
				conds = append(conds, cond{br.order + " < ?", []any{q.after.ID}})
			}
			b.where(conds...)
			b.WriteString("\n\t\tORDER BY " + br.order + " DESC" + limitClause(q.limit+1) + ") s" + strconv.Itoa(n))
			n++
		}
	}
	b.WriteString("\n\t\tORDER BY id DESC" + limitClause(q.limit+1) + "),\n\t")
	if q.pinTop {
		b.WriteString("ids AS (SELECT id, 1 AS pin FROM pinned UNION ALL SELECT id, 0 AS pin FROM page)")
	} else {
		b.WriteString("ids AS (SELECT id, 0 AS pin FROM page)")
	}
	b.WriteString("\n\tSELECT " + postColumns + ", ids.pin, NULL FROM ids JOIN posts p ON p.id = ids.id" +
		" JOIN groups g ON g.id = p.group_id JOIN people a ON a.id = p.author_id" +
		"\n\tORDER BY ids.pin DESC, p.id DESC")
	return b.String(), b.args
}

// anyOf joins the conditions of sources with OR.
func anyOf(sources []source) cond {
	if len(sources) == 1 {
		return sources[0].cond
	}
	var out cond
	parts := make([]string, len(sources))
	for i, c := range sources {
		parts[i] = c.sql
		out.args = append(out.args, c.args...)
	}
	out.sql = "(" + strings.Join(parts, " OR ") + ")"
	return out
}

// run reads the page of posts and computes the next cursor.
func (q *postQuery) run(ctx context.Context, c conn) ([]*biebplein.Post, string, error) {
	query, args := q.build()
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, "", wrap("find posts", err)
	}
	defer rows.Close()

	var posts []*biebplein.Post
	var regular int
	var lastSaved *time.Time
	for rows.Next() {
		p, pin, savedAt, err := scanPost(rows)
		if err != nil {
			return nil, "", err
		}
		if pin == 0 {
			regular++
			if regular > q.limit {
				break // the extra row only says that there is a next page
			}
			lastSaved = savedAt
		}
		posts = append(posts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap("find posts", err)
	}
	rows.Close() // free the connection for the association queries

	next := ""
	if regular > q.limit {
		cur := postCursor{ID: posts[len(posts)-1].ID}
		if lastSaved != nil {
			cur.Saved = lastSaved.Format(time.RFC3339Nano)
		}
		next = cur.encode()
	}
	return posts, next, nil
}

// scanPost reads a row of postColumns followed by the pin flag and the time it was saved.
func scanPost(rows *sql.Rows) (p *biebplein.Post, pin int, savedAt *time.Time, err error) {
	p = &biebplein.Post{Reactions: map[biebplein.ReactionKind]int{}}
	var counts [4]int
	if err := rows.Scan(&p.ID, &p.Kind, &p.Body, &p.HTML, &p.Text, &p.AcceptedCommentID, nullTime{&p.PinnedUntil},
		&p.CommentCount, &counts[0], &counts[1], &counts[2], &counts[3], &p.ReadCount,
		utcTime{&p.CreatedAt}, nullTime{&p.EditedAt}, nullTime{&p.DeletedAt}, &p.DeletedBy,
		&p.Group.ID, &p.Group.Name, &p.Group.Visibility, &p.Author.ID, &p.Author.Name,
		&pin, nullTime{&savedAt}); err != nil {
		return nil, 0, nil, wrap("scan post", err)
	}
	for i, kind := range biebplein.ReactionKinds() {
		if counts[i] > 0 {
			p.Reactions[kind] = counts[i]
		}
	}
	return p, pin, savedAt, nil
}

// postCursor is the position after which the next page of posts starts: the id of the last
// post and, in the saved feed, when it was saved. It is handed out as opaque text.
type postCursor struct {
	Saved   string `json:"s,omitempty"`
	ID      string `json:"i"`
	savedAt time.Time
}

func (c postCursor) encode() string {
	b, _ := json.Marshal(c) // two strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodePostCursor(s string) (postCursor, error) {
	var c postCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err == nil && c.Saved != "" {
		c.savedAt, err = time.Parse(time.RFC3339Nano, c.Saved)
	}
	if err != nil || c.ID == "" || storableText(c.ID) != c.ID {
		return c, biebplein.Errorf(biebplein.CodeInvalid, "error.cursor_invalid")
	}
	return c, nil
}

// idList returns placeholders for the ids of posts (or comments) and the ids as arguments.
// The list is padded (padList), so that pages of similar size share one query text.
func idList[T any](items []T, id func(T) string) (string, []any) {
	args := make([]any, len(items), padded(len(items)))
	for i, it := range items {
		args[i] = id(it)
	}
	args = padList(args)
	return placeholders(len(args)), args
}

func postID(p *biebplein.Post) string { return p.ID }

// loadPostParts fills in the associations of a page of posts with one query per kind of
// association, whatever the number of posts: the viewer's marks, topics and mentions,
// attachments, polls, and the first comments (all of them for comments < 0).
func loadPostParts(ctx context.Context, c conn, posts []*biebplein.Post, viewerID string, comments int) error {
	if len(posts) == 0 {
		return nil
	}
	byID := make(map[string]*biebplein.Post, len(posts))
	for _, p := range posts {
		byID[p.ID] = p
	}
	if err := loadTopicsAndMentions(ctx, c, posts, byID); err != nil {
		return err
	}
	if err := loadAttachments(ctx, c, posts, byID); err != nil {
		return err
	}
	if err := loadPolls(ctx, c, posts, byID); err != nil {
		return err
	}
	if viewerID != "" {
		if err := loadViewerMarks(ctx, c, posts, byID, viewerID); err != nil {
			return err
		}
	}
	if comments != 0 {
		if err := loadComments(ctx, c, posts, byID, comments); err != nil {
			return err
		}
	}
	return nil
}

// loadTopicsAndMentions reads the topics and the mentions of posts in one query, each in the
// order they were written; mentions carry the current name of whom they name.
func loadTopicsAndMentions(ctx context.Context, c conn, posts []*biebplein.Post, byID map[string]*biebplein.Post) error {
	in, args := idList(posts, postID)
	rows, err := c.query(ctx, `SELECT t.post_id, 0, '', t.topic, '', t.position FROM post_topics t
		WHERE t.post_id IN (`+in+`)
		UNION ALL
		SELECT m.post_id, 1, m.kind, m.target_id, coalesce(pe.name, gr.name, ''), m.position FROM post_mentions m
		`+mentionNameJoins+`
		WHERE m.post_id IN (`+in+`)
		ORDER BY 1, 2, 6`, append(args, args...)...)
	if err != nil {
		return wrap("load topics", err)
	}
	defer rows.Close()
	for rows.Next() {
		var postID, kind, target, name string
		var mention, position int
		if err := rows.Scan(&postID, &mention, &kind, &target, &name, &position); err != nil {
			return wrap("scan topic", err)
		}
		p := byID[postID]
		if mention == 0 {
			p.Topics = append(p.Topics, target)
		} else {
			p.Mentions = append(p.Mentions, biebplein.Mention{Kind: kind, ID: target, Name: name})
		}
	}
	return wrap("load topics", rows.Err())
}

// loadAttachments reads the attachments of posts in their order.
func loadAttachments(ctx context.Context, c conn, posts []*biebplein.Post, byID map[string]*biebplein.Post) error {
	in, args := idList(posts, postID)
	rows, err := c.query(ctx, `SELECT post_id, file_id, kind, content_type, name, size, width, height, has_thumb, position
		FROM attachments WHERE post_id IN (`+in+`) ORDER BY post_id, position`, args...)
	if err != nil {
		return wrap("load attachments", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a biebplein.Attachment
		if err := rows.Scan(&a.PostID, &a.ID, &a.Kind, &a.ContentType, &a.Name, &a.Size, &a.Width, &a.Height,
			&a.HasThumb, &a.Position); err != nil {
			return wrap("scan attachment", err)
		}
		p := byID[a.PostID]
		p.Attachments = append(p.Attachments, &a)
	}
	return wrap("load attachments", rows.Err())
}

// loadViewerMarks reads, in one query, the viewer's reactions, bookmarks, reads and poll
// votes on posts.
func loadViewerMarks(ctx context.Context, c conn, posts []*biebplein.Post, byID map[string]*biebplein.Post, viewerID string) error {
	in, ids := idList(posts, postID)
	return scanViewerMarks(ctx, c, posts, byID, viewerMarks(cond{"person_id = ? AND post_id IN (" + in + ")",
		append([]any{viewerID}, ids...)}))
}

// viewerMarks returns the query for the viewer's reactions, bookmarks, reads and poll votes,
// as (post id, mark, value) rows, with which as the condition on each of the four tables.
func viewerMarks(which cond) cond {
	var args []any
	for range 4 {
		args = append(args, which.args...)
	}
	return cond{`SELECT post_id, 'reaction', kind FROM reactions WHERE ` + which.sql + `
		UNION ALL SELECT post_id, 'bookmark', '' FROM bookmarks WHERE ` + which.sql + `
		UNION ALL SELECT post_id, 'read', '' FROM post_reads WHERE ` + which.sql + `
		UNION ALL SELECT post_id, 'vote', option_id FROM poll_votes WHERE ` + which.sql, args}
}

// loadRecentViewerMarks is loadViewerMarks for the first page of a feed, whose posts are the
// newest but for the pinned announcements (which may be older): it reads the viewer's marks
// on the span of ids of the others, one walk per table through (person_id, post_id), instead
// of looking up every post in every table, and those on the pinned ones by id.
func loadRecentViewerMarks(ctx context.Context, c conn, posts []*biebplein.Post, pinned int, viewerID string) error {
	byID := make(map[string]*biebplein.Post, len(posts))
	for _, p := range posts {
		byID[p.ID] = p
	}
	recent := posts[pinned:]
	if len(recent) == 0 {
		return loadViewerMarks(ctx, c, posts, byID, viewerID)
	}
	lo, hi := recent[len(recent)-1].ID, recent[0].ID
	in, ids := idList(posts[:pinned], postID)
	if pinned == 0 {
		in, ids = "''", nil
	}
	return scanViewerMarks(ctx, c, posts, byID, viewerMarks(cond{"person_id = ? AND (post_id BETWEEN ? AND ? OR post_id IN (" + in + "))",
		append([]any{viewerID, lo, hi}, ids...)}))
}

// scanViewerMarks runs a query of viewerMarks and puts the marks on the posts; rows of posts
// not in byID are skipped.
func scanViewerMarks(ctx context.Context, c conn, posts []*biebplein.Post, byID map[string]*biebplein.Post, marks cond) error {
	rows, err := c.query(ctx, marks.sql, marks.args...)
	if err != nil {
		return wrap("load viewer marks", err)
	}
	defer rows.Close()
	for rows.Next() {
		var postID, mark, value string
		if err := rows.Scan(&postID, &mark, &value); err != nil {
			return wrap("scan viewer mark", err)
		}
		p := byID[postID]
		if p == nil {
			continue // in the span, not on the page
		}
		switch mark {
		case "reaction":
			p.MyReactions = append(p.MyReactions, biebplein.ReactionKind(value))
		case "bookmark":
			p.Bookmarked = true
		case "read":
			p.ReadByMe = true
		case "vote":
			if p.Poll != nil {
				p.Poll.MyVotes = append(p.Poll.MyVotes, value)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return wrap("load viewer marks", err)
	}
	// Reactions in display order, votes in the order of the options.
	for _, p := range posts {
		sortReactions(p.MyReactions)
		if p.Poll != nil {
			sortVotes(p.Poll)
		}
	}
	return nil
}
