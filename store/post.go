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

var _ biebplein.PostStore = (*DB)(nil)

// CreatePost stores p with its topics, mentions, poll (for a poll post) and attachments, in
// one transaction, and the people a question asks (Asked). It sets the ID (time-ordered, from CreatedAt) and CreatedAt when empty,
// normalises Topics, sets the ids and positions of poll options and attachments, and fills in
// the names of the group and author. Returns not_found when the group or author does not
// exist.
func (db *DB) CreatePost(ctx context.Context, p *biebplein.Post, notices ...biebplein.Notice) error {
	return db.inTx(ctx, func(tx conn) error {
		if p.CreatedAt.IsZero() {
			p.CreatedAt = dbNow()
		} else {
			p.CreatedAt = dbTime(p.CreatedAt)
		}
		if p.ID == "" {
			p.ID = biebplein.NewID(p.CreatedAt)
		}
		if p.PinnedUntil != nil {
			at := dbTime(*p.PinnedUntil)
			p.PinnedUntil = &at
		}
		_, err := tx.exec(ctx, `INSERT INTO posts (id, group_id, author_id, kind, body, html, text, pinned_until, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.Group.ID, p.Author.ID, string(p.Kind), p.Body, p.HTML, p.Text, p.PinnedUntil, p.CreatedAt)
		if isForeignKey(err) {
			return errNotFound()
		}
		if err != nil {
			return wrap("insert post", err)
		}
		if err := writePostBody(ctx, tx, p); err != nil {
			return err
		}
		if p.Kind == biebplein.KindPoll && p.Poll != nil {
			if err := writePoll(ctx, tx, p.ID, p.Poll, p.CreatedAt); err != nil {
				return err
			}
		}
		if err := writeAttachments(ctx, tx, p); err != nil {
			return err
		}
		if err := writeAsked(ctx, tx, p); err != nil {
			return err
		}
		if err := indexPost(ctx, tx, p.ID); err != nil {
			return err
		}
		err = tx.queryRow(ctx, "SELECT g.name, g.visibility, a.name FROM groups g, people a WHERE g.id = ? AND a.id = ?",
			p.Group.ID, p.Author.ID).Scan(&p.Group.Name, &p.Group.Visibility, &p.Author.Name)
		if err != nil {
			return wrap("find group and author", err)
		}
		if err := writeNotices(ctx, tx, withSubject(notices, p.ID, "")); err != nil {
			return err
		}
		return bumpFeedEpoch(ctx, tx)
	})
}

// writePostBody stores what is derived from a post's body: its topics and mentions.
func writePostBody(ctx context.Context, c conn, p *biebplein.Post) error {
	p.Topics = biebplein.NormalizeTags(p.Topics)
	if len(p.Topics) > 0 {
		values := make([]string, len(p.Topics))
		var args []any
		for i, t := range p.Topics {
			values[i] = "(?, ?, ?, ?)"
			args = append(args, p.ID, t, search.Fold(t), i)
		}
		if _, err := c.exec(ctx, "INSERT INTO post_topics (post_id, topic, topic_key, position) VALUES "+
			strings.Join(values, ", "), args...); err != nil {
			return wrap("insert topics", err)
		}
	}
	return writeMentions(ctx, c, "post_mentions", "post_id", p.ID, p.Mentions)
}

// writeAttachments stores the attachments of a new post in their order.
func writeAttachments(ctx context.Context, c conn, p *biebplein.Post) error {
	if len(p.Attachments) == 0 {
		return nil
	}
	values := make([]string, len(p.Attachments))
	var args []any
	for i, a := range p.Attachments {
		a.PostID, a.Position = p.ID, i
		values[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		args = append(args, a.PostID, a.ID, a.Kind, a.ContentType, a.Name, a.Size, a.Width, a.Height, a.HasThumb, a.Position)
	}
	_, err := c.exec(ctx, `INSERT INTO attachments (post_id, file_id, kind, content_type, name, size, width, height,
			has_thumb, position) VALUES `+strings.Join(values, ", "), args...)
	return wrap("insert attachments", err)
}

// UpdatePost stores a new body of p (Body, HTML, Text, Mentions, Topics) in one transaction.
// When the body changed, the old one is kept as a revision with the time of this edit and
// editorID, and EditedAt is set. Returns not_found for a missing or deleted post.
func (db *DB) UpdatePost(ctx context.Context, p *biebplein.Post, editorID string) error {
	return db.inTx(ctx, func(tx conn) error {
		var old string
		err := tx.queryRow(ctx, "SELECT body FROM posts WHERE id = ? AND deleted_at IS NULL"+tx.d.forUpdate(), p.ID).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		}
		if err != nil {
			return wrap("find post", err)
		}
		if old != p.Body {
			t := dbNow()
			_, err := tx.exec(ctx, `INSERT INTO post_revisions (post_id, version, body, edited_at, edited_by)
				SELECT ?, coalesce(max(version), 0) + 1, ?, ?, ? FROM post_revisions WHERE post_id = ?`,
				p.ID, old, t, editorID, p.ID)
			if isForeignKey(err) {
				return errNotFound() // the editor does not exist
			}
			if err != nil {
				return wrap("insert revision", err)
			}
			if _, err := tx.exec(ctx, "UPDATE posts SET edited_at = ? WHERE id = ?", t, p.ID); err != nil {
				return wrap("update post", err)
			}
			p.EditedAt = &t
		}
		if _, err := tx.exec(ctx, "UPDATE posts SET body = ?, html = ?, text = ?, version = version + 1 WHERE id = ?",
			p.Body, p.HTML, p.Text, p.ID); err != nil {
			return wrap("update post", err)
		}
		for _, table := range []string{"post_topics", "post_mentions"} {
			if _, err := tx.exec(ctx, "DELETE FROM "+table+" WHERE post_id = ?", p.ID); err != nil {
				return wrap("delete "+table, err)
			}
		}
		if err := writePostBody(ctx, tx, p); err != nil {
			return err
		}
		if err := indexPost(ctx, tx, p.ID); err != nil {
			return err
		}
		return bumpFeedEpoch(ctx, tx) // the topics may have changed
	})
}

// FindRevisions returns the earlier bodies of a post, newest first, each with the time and
// the editor of the edit that replaced it.
func (db *DB) FindRevisions(ctx context.Context, postID string) ([]*biebplein.Revision, error) {
	rows, err := db.read().query(ctx, `SELECT r.body, r.edited_at, pe.id, pe.name
		FROM post_revisions r JOIN people pe ON pe.id = r.edited_by
		WHERE r.post_id = ? ORDER BY r.version DESC`, postID)
	if err != nil {
		return nil, wrap("find revisions", err)
	}
	defer rows.Close()
	var out []*biebplein.Revision
	for rows.Next() {
		r := &biebplein.Revision{PostID: postID}
		if err := rows.Scan(&r.Body, utcTime{&r.EditedAt}, &r.EditedBy.ID, &r.EditedBy.Name); err != nil {
			return nil, wrap("scan revision", err)
		}
		out = append(out, r)
	}
	return out, wrap("find revisions", rows.Err())
}

// SetPostDeleted soft-deletes (at non-nil, by whom) or restores (nil) a post. Returns
// not_found.
func (db *DB) SetPostDeleted(ctx context.Context, postID string, at *time.Time, by string) error {
	if at == nil {
		by = ""
	}
	return db.inTx(ctx, func(tx conn) error {
		err := tx.execOne(ctx, "UPDATE posts SET deleted_at = ?, deleted_by = ? WHERE id = ?", at, nullString(by), postID)
		if isForeignKey(err) {
			return errNotFound()
		}
		if err != nil {
			return wrap("set post deleted", err)
		}
		// Deleted, the post and its comments leave the index; restored, they come back.
		if err := indexPostWithComments(ctx, tx, postID); err != nil {
			return err
		}
		return bumpFeedEpoch(ctx, tx)
	})
}

// SetPinned changes until when an announcement stays on top of its feeds (nil: unpinned).
// Only announcements are ever shown pinned. Returns not_found.
func (db *DB) SetPinned(ctx context.Context, postID string, until *time.Time) error {
	return db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "UPDATE posts SET pinned_until = ? WHERE id = ?", until, postID); err != nil {
			return wrap("set pinned", err)
		}
		return bumpFeedEpoch(ctx, tx)
	})
}

// SetAccepted marks a comment of a question as its accepted answer ("" clears it). Returns
// not_found for a missing post, and invalid when the comment is not a comment of this post
// (error.comment_not_on_post).
func (db *DB) SetAccepted(ctx context.Context, postID, commentID string, notices ...biebplein.Notice) error {
	return db.inTx(ctx, func(tx conn) error {
		if commentID != "" {
			var onPost int
			err := tx.queryRow(ctx, "SELECT count(*) FROM comments WHERE id = ? AND post_id = ? AND deleted_at IS NULL",
				commentID, postID).Scan(&onPost)
			if err != nil {
				return wrap("find comment", err)
			}
			if onPost == 0 {
				var posts int
				if err := tx.queryRow(ctx, "SELECT count(*) FROM posts WHERE id = ?", postID).Scan(&posts); err != nil {
					return wrap("find post", err)
				}
				if posts == 0 {
					return errNotFound()
				}
				return biebplein.Errorf(biebplein.CodeInvalid, "error.comment_not_on_post")
			}
		}
		err := tx.execOne(ctx, "UPDATE posts SET accepted_comment_id = ?, version = version + 1 WHERE id = ?", nullString(commentID), postID)
		if err != nil {
			return wrap("set accepted", err)
		}
		return writeNotices(ctx, tx, notices)
	})
}

// MarkRead records that a person confirmed reading a post at the given time and counts it,
// once: confirming again changes nothing. Returns not_found for a missing or deleted post.
func (db *DB) MarkRead(ctx context.Context, postID, personID string, at time.Time) error {
	return db.inTx(ctx, func(tx conn) error {
		changed, err := execCount(ctx, tx, `INSERT INTO post_reads (post_id, person_id, read_at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, postID, personID, at)
		if err != nil {
			return err
		}
		return countChange(ctx, tx, changed, "UPDATE posts SET read_count = read_count + 1, version = version + 1 WHERE id = ? AND deleted_at IS NULL", postID)
	})
}

// SetBookmark saves (on) or unsaves a post for a person; doing it twice changes nothing.
// Returns not_found when saving a post (or for a person) that does not exist.
func (db *DB) SetBookmark(ctx context.Context, postID, personID string, on bool) error {
	if !on {
		_, err := db.write().exec(ctx, "DELETE FROM bookmarks WHERE person_id = ? AND post_id = ?", personID, postID)
		return wrap("delete bookmark", err)
	}
	_, err := execCount(ctx, db.write(), `INSERT INTO bookmarks (person_id, post_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, personID, postID, dbNow())
	return err
}
