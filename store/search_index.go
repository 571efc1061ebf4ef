package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/search"
)

// The search index (search_docs and the terms, see dialect.go) is written in the transaction
// of every change it reflects, by reading back what that transaction wrote: each index* function
// below makes the entry of one thing from its rows as they now are, or removes it when the
// thing is gone (a deleted post takes its comments along, a deactivated person leaves the
// directory). What was just posted is found at once, what was deleted is gone at once.

// searchDoc is one searchable thing as search_docs keeps it.
type searchDoc struct {
	kind      biebplein.SearchKind
	refID     string
	postID    string
	groupID   string
	authorID  string
	createdAt time.Time
	title     string
	body      string
}

// putSearchDoc writes or replaces the index entry of d.
func putSearchDoc(ctx context.Context, c conn, d searchDoc) error {
	a := search.Analyze(d.title, d.body)
	var id int64
	err := c.queryRow(ctx, "SELECT id FROM search_docs WHERE kind = ? AND ref_id = ?", string(d.kind), d.refID).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		col, val, extra := c.d.searchTermsColumn(a)
		args := append([]any{string(d.kind), d.refID, nullString(d.postID), nullString(d.groupID), nullString(d.authorID),
			d.createdAt, d.title, d.body, a.Stems, a.TitleLen}, extra...)
		err = c.queryRow(ctx, `INSERT INTO search_docs (kind, ref_id, post_id, group_id, author_id, created_at, title, body,
				stems, title_len`+col+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?`+val+`) RETURNING id`, args...).Scan(&id)
		if err != nil {
			return wrap("insert search doc", err)
		}
		return c.d.writeSearchTerms(ctx, c, d.kind, []int64{id}, []search.Doc{a}, false)
	case err != nil:
		return wrap("find search doc", err)
	}
	set, extra := c.d.updateSearchTerms(a)
	args := append([]any{nullString(d.postID), nullString(d.groupID), nullString(d.authorID), d.title, d.body,
		a.Stems, a.TitleLen}, extra...)
	if _, err := c.exec(ctx, `UPDATE search_docs SET post_id = ?, group_id = ?, author_id = ?, title = ?, body = ?,
			stems = ?, title_len = ?`+set+` WHERE id = ?`, append(args, id)...); err != nil {
		return wrap("update search doc", err)
	}
	return c.d.writeSearchTerms(ctx, c, d.kind, []int64{id}, []search.Doc{a}, true)
}

// dropSearchDocs removes the index entries that where (a condition on search_docs d) selects.
func dropSearchDocs(ctx context.Context, c conn, where string, args ...any) error {
	rows, err := c.query(ctx, "SELECT d.id, d.kind FROM search_docs d WHERE "+where, args...)
	if err != nil {
		return wrap("find search docs", err)
	}
	byKind := map[biebplein.SearchKind][]int64{}
	var ids []any
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			rows.Close()
			return wrap("scan search doc", err)
		}
		byKind[biebplein.SearchKind(kind)] = append(byKind[biebplein.SearchKind(kind)], id)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return wrap("find search docs", err)
	}
	for kind, ids := range byKind {
		if err := c.d.dropSearchTerms(ctx, c, kind, ids); err != nil {
			return err
		}
	}
	_, err = c.exec(ctx, "DELETE FROM search_docs WHERE id IN ("+placeholders(len(ids))+")", ids...)
	return wrap("drop search docs", err)
}

// indexPost makes the entry of a post from its row; a deleted post loses its entry and those
// of its comments.
func indexPost(ctx context.Context, c conn, postID string) error {
	d := searchDoc{kind: biebplein.SearchPost, refID: postID, postID: postID}
	var deleted bool
	err := c.queryRow(ctx, `SELECT group_id, author_id, created_at, text, deleted_at IS NOT NULL FROM posts WHERE id = ?`, postID).
		Scan(&d.groupID, &d.authorID, utcTime{&d.createdAt}, &d.body, &deleted)
	if errors.Is(err, sql.ErrNoRows) || deleted {
		return dropSearchDocs(ctx, c, "d.post_id = ?", postID)
	}
	if err != nil {
		return wrap("find post to index", err)
	}
	return putSearchDoc(ctx, c, d)
}

// indexPostWithComments makes the entries of a post and of all its comments (a restored post).
func indexPostWithComments(ctx context.Context, c conn, postID string) error {
	if err := indexPost(ctx, c, postID); err != nil {
		return err
	}
	rows, err := c.query(ctx, "SELECT id FROM comments WHERE post_id = ? AND deleted_at IS NULL", postID)
	if err != nil {
		return wrap("find comments to index", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return wrap("scan comment", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap("find comments to index", err)
	}
	for _, id := range ids {
		if err := indexComment(ctx, c, id); err != nil {
			return err
		}
	}
	return nil
}

// indexComment makes the entry of a comment; a deleted comment, or one of a deleted post,
// has none.
func indexComment(ctx context.Context, c conn, commentID string) error {
	d := searchDoc{kind: biebplein.SearchComment, refID: commentID}
	var deleted bool
	err := c.queryRow(ctx, `SELECT c.post_id, p.group_id, c.author_id, c.created_at, c.text,
			c.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL
		FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ?`, commentID).
		Scan(&d.postID, &d.groupID, &d.authorID, utcTime{&d.createdAt}, &d.body, &deleted)
	if errors.Is(err, sql.ErrNoRows) || deleted {
		return dropSearchDocs(ctx, c, "d.kind = ? AND d.ref_id = ?", string(biebplein.SearchComment), commentID)
	}
	if err != nil {
		return wrap("find comment to index", err)
	}
	return putSearchDoc(ctx, c, d)
}

// indexGroup makes the entry of a group: its name and description. Who may find it is decided
// at query time from the group's row, so a change of visibility needs no new entry.
func indexGroup(ctx context.Context, c conn, groupID string) error {
	d := searchDoc{kind: biebplein.SearchGroup, refID: groupID, groupID: groupID}
	err := c.queryRow(ctx, "SELECT name, description, created_at FROM groups WHERE id = ?", groupID).
		Scan(&d.title, &d.body, utcTime{&d.createdAt})
	if errors.Is(err, sql.ErrNoRows) {
		return dropSearchDocs(ctx, c, "d.kind = ? AND d.ref_id = ?", string(biebplein.SearchGroup), groupID)
	}
	if err != nil {
		return wrap("find group to index", err)
	}
	return putSearchDoc(ctx, c, d)
}

// indexPerson makes the entry of a person for the directory (personDoc); a deactivated
// person has none.
func indexPerson(ctx context.Context, c conn, personID string) error {
	d, ok, err := personDoc(ctx, c, personID)
	if err != nil {
		return err
	}
	if !ok {
		return dropSearchDocs(ctx, c, "d.kind = ? AND d.ref_id = ?", string(biebplein.SearchPerson), personID)
	}
	return putSearchDoc(ctx, c, d)
}

// personDoc is the entry of a person: name, then function, expertise, interests and bio; not
// ok for a deactivated or missing person. (Not the organisation's name: renaming an
// organisation would have to touch thousands of entries; the directory filters by it.)
func personDoc(ctx context.Context, c conn, personID string) (searchDoc, bool, error) {
	d := searchDoc{kind: biebplein.SearchPerson, refID: personID}
	var function, bio string
	var deactivated bool
	err := c.queryRow(ctx, `SELECT name, function, bio, created_at, deactivated_at IS NOT NULL FROM people WHERE id = ?`, personID).
		Scan(&d.title, &function, &bio, utcTime{&d.createdAt}, &deactivated)
	if errors.Is(err, sql.ErrNoRows) || deactivated {
		return d, false, nil
	}
	if err != nil {
		return d, false, wrap("find person to index", err)
	}
	tags, err := personTagText(ctx, c, personID)
	if err != nil {
		return d, false, err
	}
	d.body = personSearchBody(function, tags, bio)
	return d, true, nil
}

// personSearchBody is the text of a person's entry after their name.
func personSearchBody(function, tags, bio string) string {
	var parts []string
	for _, s := range []string{function, tags, bio} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// personTagText returns a person's expertise and interests, in their order, comma separated.
func personTagText(ctx context.Context, c conn, personID string) (string, error) {
	rows, err := c.query(ctx, "SELECT tag FROM person_tags WHERE person_id = ? ORDER BY kind, position", personID)
	if err != nil {
		return "", wrap("find tags to index", err)
	}
	defer rows.Close()
	var tags []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return "", wrap("scan tag", err)
		}
		tags = append(tags, t)
	}
	return strings.Join(tags, ", "), wrap("find tags to index", rows.Err())
}

// rebuildBatch is how many entries a rebuild writes per statement.
const rebuildBatch = 500

// ensureSearch rebuilds the index when it was made by another version of the analysis (or
// never: migration 0008 starts at version 0), so that an older database, or one a bulk load
// filled, is searchable after the next start.
func (db *DB) ensureSearch(ctx context.Context) error {
	var version int
	if err := db.read().queryRow(ctx, "SELECT version FROM search_state WHERE id = 1").Scan(&version); err != nil {
		return wrap("read search state", err)
	}
	if version == search.Version {
		return nil
	}
	start := time.Now()
	if err := db.rebuildSearch(ctx, func(v int) bool { return v != search.Version }); err != nil {
		return err
	}
	db.logger.Info("search index rebuilt", "version", search.Version, "duration", time.Since(start).Round(time.Millisecond))
	return nil
}

// RebuildSearch makes the index anew from the posts, comments, people and groups, in one
// transaction: searches go on meanwhile with the index as it was. Posts and comments are
// written in the order they were made (their ids are time-ordered), so that the index's ids
// grow with time as they do for entries written live.
func (db *DB) RebuildSearch(ctx context.Context) error { return db.rebuildSearch(ctx, nil) }

// searchLock serialises rebuilds of the search index across instances.
const searchLock = 0x62696562_706c6e03 // "biebpln" + 3

// rebuildSearch is RebuildSearch; with only, it rebuilds only when only(the index's version)
// holds once the rebuild has the lock.
func (db *DB) rebuildSearch(ctx context.Context, only func(version int) bool) error {
	return db.inTx(ctx, func(tx conn) error {
		// Two instances starting at once: one rebuilds, the other waits and finds it done.
		if err := tx.d.lock(ctx, tx, searchLock); err != nil {
			return err
		}
		if only != nil {
			var version int
			if err := tx.queryRow(ctx, "SELECT version FROM search_state WHERE id = 1").Scan(&version); err != nil {
				return wrap("read search state", err)
			}
			if !only(version) {
				return nil
			}
		}
		if err := tx.d.clearSearch(ctx, tx); err != nil {
			return err
		}
		w := &rebuildWriter{c: tx, an: search.NewAnalyzer()}
		posts := &docStream{c: tx, query: `SELECT p.id, p.id, p.group_id, p.author_id, p.created_at, '', p.text
			FROM posts p WHERE p.id > ? AND p.deleted_at IS NULL ORDER BY p.id LIMIT ?`, kind: biebplein.SearchPost}
		comments := &docStream{c: tx, query: `SELECT c.id, c.post_id, p.group_id, c.author_id, c.created_at, '', c.text
			FROM comments c JOIN posts p ON p.id = c.post_id
			WHERE c.id > ? AND c.deleted_at IS NULL AND p.deleted_at IS NULL ORDER BY c.id LIMIT ?`, kind: biebplein.SearchComment}
		for {
			p, err := posts.peek(ctx)
			if err != nil {
				return err
			}
			cm, err := comments.peek(ctx)
			if err != nil {
				return err
			}
			var next *searchDoc
			switch {
			case p == nil && cm == nil:
			case cm == nil || (p != nil && p.refID < cm.refID):
				next = posts.pop()
			default:
				next = comments.pop()
			}
			if next == nil {
				break
			}
			if err := w.add(ctx, *next); err != nil {
				return err
			}
		}
		groups := &docStream{c: tx, query: `SELECT g.id, '', g.id, '', g.created_at, g.name, g.description
			FROM groups g WHERE g.id > ? ORDER BY g.id LIMIT ?`, kind: biebplein.SearchGroup}
		if err := w.addAll(ctx, groups); err != nil {
			return err
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		// People one by one: their tags come from another table, and there are thousands,
		// not millions.
		var people []string
		rows, err := tx.query(ctx, "SELECT id FROM people WHERE deactivated_at IS NULL ORDER BY id")
		if err != nil {
			return wrap("find people to index", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return wrap("scan person", err)
			}
			people = append(people, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return wrap("find people to index", err)
		}
		for _, id := range people {
			d, ok, err := personDoc(ctx, tx, id)
			if err != nil {
				return err
			}
			if ok {
				if err := w.add(ctx, d); err != nil {
					return err
				}
			}
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		if err := tx.d.restoreSearchIndexes(ctx, tx); err != nil {
			return err
		}
		_, err = tx.exec(ctx, "UPDATE search_state SET version = ? WHERE id = 1", search.Version)
		return wrap("set search state", err)
	})
}

// docStream reads the rows of one kind for a rebuild in pages by id, each page read whole
// before anything is written (a PostgreSQL connection runs one statement at a time).
type docStream struct {
	c     conn
	query string // with ? for the last id and ? for the page size
	kind  biebplein.SearchKind
	buf   []searchDoc
	last  string
	done  bool
}

func (s *docStream) peek(ctx context.Context) (*searchDoc, error) {
	if len(s.buf) == 0 && !s.done {
		rows, err := s.c.query(ctx, s.query, s.last, rebuildBatch)
		if err != nil {
			return nil, wrap("read for the search index", err)
		}
		for rows.Next() {
			d := searchDoc{kind: s.kind}
			var postID, authorID string
			if err := rows.Scan(&d.refID, &postID, &d.groupID, &authorID, utcTime{&d.createdAt}, &d.title, &d.body); err != nil {
				rows.Close()
				return nil, wrap("read for the search index", err)
			}
			d.postID, d.authorID = postID, authorID
			s.buf = append(s.buf, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, wrap("read for the search index", err)
		}
		s.done = len(s.buf) < rebuildBatch
		if len(s.buf) > 0 {
			s.last = s.buf[len(s.buf)-1].refID
		}
	}
	if len(s.buf) == 0 {
		return nil, nil
	}
	return &s.buf[0], nil
}

func (s *docStream) pop() *searchDoc {
	d := s.buf[0]
	s.buf = s.buf[1:]
	return &d
}

// rebuildWriter writes the entries of a rebuild in batches, numbering them itself (the table
// was emptied).
type rebuildWriter struct {
	c      conn
	an     *search.Analyzer
	nextID int64
	batch  []searchDoc
}

func (w *rebuildWriter) addAll(ctx context.Context, s *docStream) error {
	for {
		d, err := s.peek(ctx)
		if err != nil || d == nil {
			return err
		}
		if err := w.add(ctx, *s.pop()); err != nil {
			return err
		}
	}
}

func (w *rebuildWriter) add(ctx context.Context, d searchDoc) error {
	if len(w.batch) > 0 && searchTable(w.batch[0].kind) != searchTable(d.kind) {
		if err := w.flush(ctx); err != nil {
			return err
		}
	}
	w.batch = append(w.batch, d)
	if len(w.batch) >= rebuildBatch {
		return w.flush(ctx)
	}
	return nil
}

// flush writes the batch: one INSERT into search_docs, one into the FTS5 table on SQLite.
// A batch holds kinds of one FTS5 table only (add).
func (w *rebuildWriter) flush(ctx context.Context) error {
	if len(w.batch) == 0 {
		return nil
	}
	values := make([]string, len(w.batch))
	ids := make([]int64, len(w.batch))
	docs := make([]search.Doc, len(w.batch))
	var args []any
	for i, d := range w.batch {
		w.nextID++
		ids[i] = w.nextID
		docs[i] = w.an.Analyze(d.title, d.body)
		col, val, extra := w.c.d.searchTermsColumn(docs[i])
		if i == 0 {
			values[0] = "INSERT INTO search_docs (id, kind, ref_id, post_id, group_id, author_id, created_at, title, body, stems, title_len" +
				col + ") VALUES "
		}
		values[i] += "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + val + ")"
		args = append(args, ids[i], string(d.kind), d.refID, nullString(d.postID), nullString(d.groupID), nullString(d.authorID),
			d.createdAt, d.title, d.body, docs[i].Stems, docs[i].TitleLen)
		args = append(args, extra...)
	}
	if _, err := w.c.exec(ctx, strings.Join(values, ", "), args...); err != nil {
		return wrap("write search docs", err)
	}
	kind := w.batch[0].kind
	w.batch = w.batch[:0]
	return w.c.d.writeSearchTerms(ctx, w.c, kind, ids, docs, false)
}
