package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// writePoll stores the poll of a new post with its options, setting their ids and positions.
func writePoll(ctx context.Context, c conn, postID string, poll *biebplein.Poll, now time.Time) error {
	if poll.ClosesAt != nil {
		at := dbTime(*poll.ClosesAt)
		poll.ClosesAt = &at
	}
	if _, err := c.exec(ctx, "INSERT INTO polls (post_id, multiple, closes_at) VALUES (?, ?, ?)",
		postID, poll.Multiple, poll.ClosesAt); err != nil {
		return wrap("insert poll", err)
	}
	if len(poll.Options) == 0 {
		return nil
	}
	values := make([]string, len(poll.Options))
	var args []any
	for i, o := range poll.Options {
		if o.ID == "" {
			o.ID = biebplein.NewID(now)
		}
		o.Position, o.Votes = i, 0
		values[i] = "(?, ?, ?, ?)"
		args = append(args, o.ID, postID, o.Label, o.Position)
	}
	_, err := c.exec(ctx, "INSERT INTO poll_options (id, post_id, label, position) VALUES "+
		strings.Join(values, ", "), args...)
	return wrap("insert poll options", err)
}

// loadPolls reads the polls of the poll posts among posts, with their options, in one query.
func loadPolls(ctx context.Context, c conn, posts []*biebplein.Post, byID map[string]*biebplein.Post) error {
	var polls []*biebplein.Post
	for _, p := range posts {
		if p.Kind == biebplein.KindPoll {
			polls = append(polls, p)
		}
	}
	if len(polls) == 0 {
		return nil
	}
	in, args := idList(polls, postID)
	rows, err := c.query(ctx, `SELECT po.post_id, po.multiple, po.closes_at, po.voters,
			coalesce(o.id, ''), coalesce(o.label, ''), coalesce(o.position, 0), coalesce(o.votes, 0)
		FROM polls po LEFT JOIN poll_options o ON o.post_id = po.post_id
		WHERE po.post_id IN (`+in+`) ORDER BY po.post_id, o.position`, args...)
	if err != nil {
		return wrap("load polls", err)
	}
	defer rows.Close()
	for rows.Next() {
		var postID string
		var poll biebplein.Poll
		var o biebplein.PollOption
		if err := rows.Scan(&postID, &poll.Multiple, nullTime{&poll.ClosesAt}, &poll.Voters,
			&o.ID, &o.Label, &o.Position, &o.Votes); err != nil {
			return wrap("scan poll", err)
		}
		p := byID[postID]
		if p.Poll == nil {
			p.Poll = &poll
		}
		if o.ID != "" {
			p.Poll.Options = append(p.Poll.Options, &o)
		}
	}
	return wrap("load polls", rows.Err())
}

// sortVotes puts the viewer's votes in the order of the options.
func sortVotes(poll *biebplein.Poll) {
	position := make(map[string]int, len(poll.Options))
	for _, o := range poll.Options {
		position[o.ID] = o.Position
	}
	slices.SortFunc(poll.MyVotes, func(a, b string) int { return position[a] - position[b] })
}

func errPollClosed() error { return biebplein.Errorf(biebplein.CodeConflict, "error.poll_closed") }

func errPollOptionInvalid() error {
	return biebplein.Errorf(biebplein.CodeInvalid, "error.poll_option_invalid")
}

// Vote replaces a person's votes on the poll of a post with the options optionIDs (none
// withdraws them), keeping the votes of each option and the number of voters exact. The poll
// closes at its ClosesAt, compared with now. Returns not_found when the post has no poll,
// conflict (error.poll_closed), and invalid for an option of another poll
// (error.poll_option_invalid) or several options on a single-choice poll
// (error.poll_single_choice).
func (db *DB) Vote(ctx context.Context, postID, personID string, optionIDs []string, now time.Time) error {
	var ids []string
	for _, id := range optionIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return db.inTx(ctx, func(tx conn) error {
		// The lock makes concurrent votes on one poll take turns, so that each sees the
		// other's votes when it counts its own.
		var multiple bool
		var closesAt *time.Time
		err := tx.queryRow(ctx, "SELECT multiple, closes_at FROM polls WHERE post_id = ?"+tx.d.forUpdate(), postID).
			Scan(&multiple, nullTime{&closesAt})
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		}
		if err != nil {
			return wrap("find poll", err)
		}
		if closesAt != nil && !closesAt.After(now) {
			return errPollClosed()
		}
		if len(ids) > 1 && !multiple {
			return biebplein.Errorf(biebplein.CodeInvalid, "error.poll_single_choice")
		}
		in, idArgs := idList(ids, func(s string) string { return s })
		if len(ids) > 0 {
			var n int
			if err := tx.queryRow(ctx, "SELECT count(*) FROM poll_options WHERE post_id = ? AND id IN ("+in+")",
				append([]any{postID}, idArgs...)...).Scan(&n); err != nil {
				return wrap("check poll options", err)
			}
			if n != len(ids) {
				return errPollOptionInvalid()
			}
		}

		var had int
		if err := tx.queryRow(ctx, "SELECT count(*) FROM poll_votes WHERE post_id = ? AND person_id = ?",
			postID, personID).Scan(&had); err != nil {
			return wrap("count votes", err)
		}
		if had > 0 {
			if _, err := tx.exec(ctx, `UPDATE poll_options SET votes = votes - 1
				WHERE id IN (SELECT option_id FROM poll_votes WHERE post_id = ? AND person_id = ?)`,
				postID, personID); err != nil {
				return wrap("uncount votes", err)
			}
			if _, err := tx.exec(ctx, "DELETE FROM poll_votes WHERE post_id = ? AND person_id = ?",
				postID, personID); err != nil {
				return wrap("delete votes", err)
			}
		}
		if len(ids) > 0 {
			values := make([]string, len(ids))
			var args []any
			for i, id := range ids {
				values[i] = "(?, ?, ?)"
				args = append(args, postID, id, personID)
			}
			if _, err := tx.exec(ctx, "INSERT INTO poll_votes (post_id, option_id, person_id) VALUES "+
				strings.Join(values, ", "), args...); err != nil {
				if isForeignKey(err) {
					return errNotFound() // the person does not exist
				}
				return wrap("insert votes", err)
			}
			if _, err := tx.exec(ctx, "UPDATE poll_options SET votes = votes + 1 WHERE post_id = ? AND id IN ("+in+")",
				append([]any{postID}, idArgs...)...); err != nil {
				return wrap("count votes", err)
			}
		}
		if delta := boolInt(len(ids) > 0) - boolInt(had > 0); delta != 0 {
			if _, err := tx.exec(ctx, "UPDATE polls SET voters = voters + ? WHERE post_id = ?", delta, postID); err != nil {
				return wrap("count voters", err)
			}
		}
		_, err = tx.exec(ctx, "UPDATE posts SET version = version + 1 WHERE id = ?", postID)
		return wrap("count votes", err)
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
