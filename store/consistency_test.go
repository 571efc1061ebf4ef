package store_test

import (
	"strings"
	"testing"

	"github.com/biebplein/biebplein"
)

func TestCheckConsistency(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		g := f.group("Leesbevordering", biebplein.VisNetwork, anna, bert)
		p := f.post(g, anna, "Wie helpt @Bert Jansen?", nil)
		// A mention mails at once: a notification, its actor and an outbox row.
		mustNil(t, f.db.CreateComment(t.Context(), &biebplein.Comment{PostID: p.ID, Author: biebplein.PersonRef{ID: bert.ID},
			Body: "Ik", HTML: "<p>Ik</p>", Text: "Ik", CreatedAt: t0}, biebplein.Notice{Kind: biebplein.NoticeMention,
			ActorID: bert.ID, PostID: p.ID, GroupID: g.ID, To: biebplein.Audience{People: []string{anna.ID}}}))

		t.Run("WrittenTogether", func(t *testing.T) {
			mustNil(t, f.db.CheckConsistency(t.Context()))
		})
		t.Run("FindsHalfWrittenRows", func(t *testing.T) {
			_, writer := f.db.Pools()
			for _, q := range []string{
				// A notification without its actors, and a poll post without its poll.
				`INSERT INTO notifications (person_id, kind, subject_id, post_id, group_id, actor_id, actor_count, created_at, updated_at)
				VALUES ('` + bert.ID + `', 'reply', '` + p.ID + `', '` + p.ID + `', '` + g.ID + `', '` + anna.ID + `', 2,
					CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
				`UPDATE posts SET kind = 'poll' WHERE id = '` + p.ID + `'`,
				// A comment marked deleted behind the index's back: its entry stays.
				`UPDATE comments SET deleted_at = CURRENT_TIMESTAMP WHERE post_id = '` + p.ID + `'`,
			} {
				if _, err := writer.ExecContext(t.Context(), q); err != nil {
					t.Fatal(err)
				}
			}
			err := f.db.CheckConsistency(t.Context())
			for _, want := range []string{"notifications.actor_id on 1 rows", "notifications.actor_count on 1 rows", "posts.poll on 1 rows",
				"search_docs.comment on 1 rows"} {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("CheckConsistency = %v, want %s", err, want)
				}
			}
		})
	})
}
