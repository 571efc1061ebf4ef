package store

import (
	"context"
	"slices"

	biebplein "github.com/biebplein/biebplein"
)

// reactionColumns are the columns of posts counting each reaction.
var reactionColumns = map[biebplein.ReactionKind]string{
	biebplein.ReactLike:       "like_count",
	biebplein.ReactThanks:     "thanks_count",
	biebplein.ReactInsightful: "insightful_count",
	biebplein.ReactCelebrate:  "celebrate_count",
}

// React adds (on) or removes a person's reaction of one kind to a post, and changes the
// post's count for it in the same transaction, only when the reaction was added or removed:
// reacting twice counts once. Returns not_found when the post (or person) does not exist or
// the post is deleted, and invalid for an unknown kind (error.reaction_invalid).
func (db *DB) React(ctx context.Context, postID, personID string, kind biebplein.ReactionKind, on bool, notices ...biebplein.Notice) error {
	column, ok := reactionColumns[kind]
	if !ok {
		return biebplein.Errorf(biebplein.CodeInvalid, "error.reaction_invalid")
	}
	return db.inTx(ctx, func(tx conn) error {
		var changed bool
		var err error
		change := " + 1"
		if on {
			changed, err = execCount(ctx, tx, `INSERT INTO reactions (post_id, person_id, kind, created_at)
				VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, postID, personID, string(kind), dbNow())
		} else {
			change = " - 1"
			changed, err = execCount(ctx, tx, "DELETE FROM reactions WHERE post_id = ? AND person_id = ? AND kind = ?",
				postID, personID, string(kind))
		}
		if err != nil {
			return err
		}
		// The counter moves in the database (col = col + 1), never from a value read before,
		// so that concurrent reactions add up exactly.
		if err := countChange(ctx, tx, changed, "UPDATE posts SET "+column+" = "+column+change+
			", version = version + 1 WHERE id = ? AND deleted_at IS NULL", postID); err != nil {
			return err
		}
		if !changed || !on {
			return nil
		}
		return writeNotices(ctx, tx, notices)
	})
}

// execCount runs a statement that inserts or deletes at most one row and reports whether it
// did. A reference to a post or person that does not exist is not_found.
func execCount(ctx context.Context, c conn, query string, args ...any) (bool, error) {
	res, err := c.exec(ctx, query, args...)
	if isForeignKey(err) {
		return false, errNotFound()
	}
	if err != nil {
		return false, wrap("write", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrap("write", err)
}

// countChange runs the counter update when changed, and otherwise checks that the post is
// there, so that a repeated call on a missing or deleted post is not_found too.
func countChange(ctx context.Context, c conn, changed bool, update, postID string) error {
	if changed {
		return wrap("count", c.execOne(ctx, update, postID))
	}
	var n int
	if err := c.queryRow(ctx, "SELECT count(*) FROM posts WHERE id = ? AND deleted_at IS NULL", postID).Scan(&n); err != nil {
		return wrap("find post", err)
	}
	if n == 0 {
		return errNotFound()
	}
	return nil
}

// FindReactors lists the people who reacted to a post with kind, in the order they reacted.
func (db *DB) FindReactors(ctx context.Context, postID string, kind biebplein.ReactionKind) ([]biebplein.PersonRef, error) {
	rows, err := db.read().query(ctx, `SELECT pe.id, pe.name FROM reactions r JOIN people pe ON pe.id = r.person_id
		WHERE r.post_id = ? AND r.kind = ? ORDER BY r.created_at, r.person_id`, postID, string(kind))
	if err != nil {
		return nil, wrap("find reactors", err)
	}
	defer rows.Close()
	var out []biebplein.PersonRef
	for rows.Next() {
		var p biebplein.PersonRef
		if err := rows.Scan(&p.ID, &p.Name); err != nil {
			return nil, wrap("scan reactor", err)
		}
		out = append(out, p)
	}
	return out, wrap("find reactors", rows.Err())
}

// sortReactions puts reactions in display order.
func sortReactions(kinds []biebplein.ReactionKind) {
	order := biebplein.ReactionKinds()
	slices.SortFunc(kinds, func(a, b biebplein.ReactionKind) int {
		return slices.Index(order, a) - slices.Index(order, b)
	})
}
