package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	biebplein "github.com/biebplein/biebplein"
)

// CreateComment stores c with its mentions and counts it on its post, in one transaction,
// setting its ID (time-ordered) and CreatedAt when empty, and the name of its author. A
// reply to a reply becomes a reply to the same top-level comment: threads are one level deep.
// Returns not_found when the post does not exist or is deleted, and invalid when the parent
// is not a comment of the post (error.comment_parent_invalid).
func (db *DB) CreateComment(ctx context.Context, c *biebplein.Comment, notices ...biebplein.Notice) error {
	return db.inTx(ctx, func(tx conn) error {
		if c.ParentID != "" {
			var postID, grandparent string
			err := tx.queryRow(ctx, "SELECT post_id, coalesce(parent_id, '') FROM comments WHERE id = ?", c.ParentID).
				Scan(&postID, &grandparent)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && postID != c.PostID) {
				return biebplein.Errorf(biebplein.CodeInvalid, "error.comment_parent_invalid")
			}
			if err != nil {
				return wrap("find parent comment", err)
			}
			if grandparent != "" {
				c.ParentID = grandparent
			}
		}
		if err := tx.execOne(ctx, "UPDATE posts SET comment_count = comment_count + 1, version = version + 1 WHERE id = ? AND deleted_at IS NULL",
			c.PostID); err != nil {
			return wrap("count comment", err)
		}
		if c.CreatedAt.IsZero() {
			c.CreatedAt = dbNow()
		} else {
			c.CreatedAt = dbTime(c.CreatedAt)
		}
		if c.ID == "" {
			c.ID = biebplein.NewID(c.CreatedAt)
		}
		_, err := tx.exec(ctx, `INSERT INTO comments (id, post_id, parent_id, author_id, body, html, text, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.PostID, nullString(c.ParentID), c.Author.ID, c.Body, c.HTML, c.Text, c.CreatedAt)
		if isForeignKey(err) {
			return errNotFound() // the author does not exist
		}
		if err != nil {
			return wrap("insert comment", err)
		}
		if err := writeMentions(ctx, tx, "comment_mentions", "comment_id", c.ID, c.Mentions); err != nil {
			return err
		}
		if err := indexComment(ctx, tx, c.ID); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, "SELECT name FROM people WHERE id = ?", c.Author.ID).Scan(&c.Author.Name); err != nil {
			return wrap("find author", err)
		}
		return writeNotices(ctx, tx, withSubject(notices, c.PostID, c.ID))
	})
}

// commentSelect reads comments c with their authors a.
const commentSelect = `SELECT c.id, c.post_id, coalesce(c.parent_id, ''), c.body, c.html, c.text,
		c.created_at, c.edited_at, c.deleted_at, a.id, a.name`

// FindComment returns one comment with its author and mentions, deleted or not, or
// not_found. Whether the viewer may read its post is the caller's check (FindPosts by ID).
func (db *DB) FindComment(ctx context.Context, id string) (*biebplein.Comment, error) {
	c := db.read()
	rows, err := c.query(ctx, commentSelect+" FROM comments c JOIN people a ON a.id = c.author_id WHERE c.id = ?", id)
	if err != nil {
		return nil, wrap("find comment", err)
	}
	comments, err := scanComments(rows, false)
	if err != nil {
		return nil, err
	}
	if len(comments) == 0 {
		return nil, errNotFound()
	}
	if err := loadCommentMentions(ctx, c, comments); err != nil {
		return nil, err
	}
	return comments[0], nil
}

// loadComments reads the first n comments of each post (all of them for n < 0), oldest first,
// with their authors, in one query, and then their mentions in one more. A deleted comment
// keeps its place in the thread, without its text.
//
// For the first n, the query finds per post the id of its n-th comment (or its last) through
// the (post_id, id) index, and reads the comments up to it: n rows per post however long the
// thread. Numbering the rows with ROW_NUMBER() OVER (PARTITION BY post_id) read and numbered
// every comment of the page's posts: 100 ms on SQLite for one post with 50,000 comments.
func loadComments(ctx context.Context, c conn, posts []*biebplein.Post, byID map[string]*biebplein.Post, n int) error {
	in, args := idList(posts, postID)
	var query string
	if n < 0 {
		query = commentSelect + " FROM comments c JOIN people a ON a.id = c.author_id WHERE c.post_id IN (" + in + ")" +
			" ORDER BY c.post_id, c.id"
	} else {
		query = `WITH bounds AS MATERIALIZED (SELECT p.id AS post_id, coalesce(
				(SELECT c1.id FROM comments c1 WHERE c1.post_id = p.id ORDER BY c1.id LIMIT 1 OFFSET ` + strconv.Itoa(n-1) + `),
				(SELECT max(c2.id) FROM comments c2 WHERE c2.post_id = p.id)) AS last_id
			FROM posts p WHERE p.id IN (` + in + `))
		` + commentSelect + ` FROM bounds b JOIN comments c ON c.post_id = b.post_id AND c.id <= b.last_id
		JOIN people a ON a.id = c.author_id
		ORDER BY c.post_id, c.id`
	}
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return wrap("load comments", err)
	}
	comments, err := scanComments(rows, true)
	if err != nil {
		return err
	}
	for _, cm := range comments {
		p := byID[cm.PostID]
		p.Comments = append(p.Comments, cm)
	}
	if err := loadCommentMentions(ctx, c, comments); err != nil {
		return err
	}
	for _, cm := range comments {
		if cm.DeletedAt != nil {
			cm.Mentions = nil
		}
	}
	return nil
}

// scanComments reads and closes rows of commentSelect; with hideDeleted, deleted comments
// lose their text.
func scanComments(rows *sql.Rows, hideDeleted bool) ([]*biebplein.Comment, error) {
	defer rows.Close()
	var out []*biebplein.Comment
	for rows.Next() {
		var c biebplein.Comment
		if err := rows.Scan(&c.ID, &c.PostID, &c.ParentID, &c.Body, &c.HTML, &c.Text,
			utcTime{&c.CreatedAt}, nullTime{&c.EditedAt}, nullTime{&c.DeletedAt}, &c.Author.ID, &c.Author.Name); err != nil {
			return nil, wrap("scan comment", err)
		}
		if hideDeleted && c.DeletedAt != nil {
			c.Body, c.HTML, c.Text = "", "", ""
		}
		out = append(out, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("find comments", err)
	}
	return out, nil
}
