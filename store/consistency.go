package store

import (
	"context"
	"fmt"
	"strings"
)

// linkChecks each count the rows that lack a row written in the same transaction: what a
// write cut off half-way (a crash, a lost connection) would leave behind, if a transaction
// were not one.
var linkChecks = []struct{ name, query string }{
	// The outbox row of an immediate e-mail is written with its notification.
	{"outbox.notification_id", `SELECT count(*) FROM outbox o WHERE o.notification_id IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.id = o.notification_id)`},
	// A notification's newest actor is one of its actors, and actor_count counts them.
	{"notifications.actor_id", `SELECT count(*) FROM notifications n WHERE NOT EXISTS
		(SELECT 1 FROM notification_actors a WHERE a.notification_id = n.id AND a.actor_id = n.actor_id)`},
	{"notifications.actor_count", `SELECT count(*) FROM notifications n
		WHERE n.actor_count <> (SELECT count(*) FROM notification_actors a WHERE a.notification_id = n.id)`},
	// Comments are never removed, only marked deleted, so the comment a notice names is there.
	{"notifications.comment_id", `SELECT count(*) FROM notifications n WHERE n.comment_id IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.id = n.comment_id)`},
	// A poll is written with its post, and its options with it.
	{"posts.poll", `SELECT count(*) FROM posts p WHERE p.kind = 'poll'
		AND NOT EXISTS (SELECT 1 FROM polls po WHERE po.post_id = p.id)`},
	{"polls.options", `SELECT count(*) FROM polls po
		WHERE (SELECT count(*) FROM poll_options o WHERE o.post_id = po.post_id) < 2`},
	// The search index is written with what it finds: a post or comment that can be read has
	// its entry, one deleted has none.
	{"search_docs.post", `SELECT count(*) FROM posts p WHERE (p.deleted_at IS NULL) <>
		EXISTS (SELECT 1 FROM search_docs d WHERE d.kind = 'post' AND d.ref_id = p.id)`},
	{"search_docs.comment", `SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id
		WHERE (c.deleted_at IS NULL AND p.deleted_at IS NULL) <>
		EXISTS (SELECT 1 FROM search_docs d WHERE d.kind = 'comment' AND d.ref_id = c.id)`},
	{"search_docs.ref", `SELECT count(*) FROM search_docs d WHERE d.kind IN ('post', 'comment')
		AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.id = d.post_id)`},
}

// CheckConsistency verifies what no crash may leave half-written: every counter against its
// rows (CheckCounters), and every row against the rows written in its transaction (an outbox
// row's notification, a notification's actors and comment, a poll's post and options, the
// search entry of a post or comment).
// Like CheckCounters it reads every row: for tests and checks, not for a live site. The error
// names the checks that fail and on how many rows.
func (db *DB) CheckConsistency(ctx context.Context) error {
	var wrong []string
	if err := db.CheckCounters(ctx); err != nil {
		wrong = append(wrong, err.Error())
	}
	links, err := db.failingChecks(ctx, linkChecks)
	if err != nil {
		return err
	}
	wrong = append(wrong, links...)
	if len(wrong) > 0 {
		return fmt.Errorf("store: half-written rows: %s", strings.Join(wrong, "; "))
	}
	return nil
}
