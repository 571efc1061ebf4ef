package store

import (
	"context"
	"slices"
	"strings"

	biebplein "github.com/biebplein/biebplein"
)

// ResolveMentions finds the people and groups that candidate mention texts name, with one
// query for all candidates. A candidate names an active person whose name equals it, ignoring
// case and spacing ("Anna de Vries", "anna de vries"), or whose handle does ("anna.de.vries":
// the lower-cased name with dots for spaces); or else a group with that name. People go
// before groups, a name before a handle, and among people of the same name the one whose
// account is oldest. The keys of the result are the candidates as given; candidates that name
// nobody are left out.
func (db *DB) ResolveMentions(ctx context.Context, candidates []string) (map[string]biebplein.Mention, error) {
	out := map[string]biebplein.Mention{}
	keys := make([]string, 0, len(candidates))
	for _, cand := range candidates {
		if k := mentionKey(cand); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return out, nil
	}
	in := placeholders(len(keys))
	var args []any
	for range 3 {
		for _, k := range keys {
			args = append(args, k)
		}
	}
	// rank: 0 a person by name, 1 a person by handle, 2 a group by name.
	rows, err := db.read().query(ctx, `SELECT pe.name_key, 0, 'person', pe.id, pe.name FROM people pe
			WHERE pe.deactivated_at IS NULL AND pe.name_key IN (`+in+`)
		UNION ALL SELECT replace(pe.name_key, ' ', '.'), 1, 'person', pe.id, pe.name FROM people pe
			WHERE pe.deactivated_at IS NULL AND replace(pe.name_key, ' ', '.') IN (`+in+`)
		UNION ALL SELECT gr.name_key, 2, 'group', gr.id, gr.name FROM groups gr WHERE gr.name_key IN (`+in+`)
		ORDER BY 2, 4`, args...)
	if err != nil {
		return nil, wrap("resolve mentions", err)
	}
	defer rows.Close()
	found := map[string]biebplein.Mention{}
	for rows.Next() {
		var key string
		var rank int
		var m biebplein.Mention
		if err := rows.Scan(&key, &rank, &m.Kind, &m.ID, &m.Name); err != nil {
			return nil, wrap("scan mention", err)
		}
		if _, seen := found[key]; !seen {
			found[key] = m
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("resolve mentions", err)
	}
	for _, cand := range candidates {
		if m, ok := found[mentionKey(cand)]; ok {
			out[cand] = m
		}
	}
	return out, nil
}

// mentionKey is the form of a mention text compared with name keys: NFC, lower case, single
// spaces, without a leading @.
func mentionKey(s string) string {
	return nameKey(biebplein.NormalizeName(strings.TrimPrefix(strings.TrimSpace(s), "@")))
}

// writeMentions stores the distinct mentions of a post or comment, in their order, in one
// statement. table is post_mentions or comment_mentions, owner its post_id or comment_id.
func writeMentions(ctx context.Context, c conn, table, owner, ownerID string, mentions []biebplein.Mention) error {
	var values []string
	var args []any
	seen := map[biebplein.Mention]bool{}
	for _, m := range mentions {
		key := biebplein.Mention{Kind: m.Kind, ID: m.ID}
		if m.ID == "" || seen[key] {
			continue
		}
		seen[key] = true
		values = append(values, "(?, ?, ?, ?)")
		args = append(args, ownerID, m.Kind, m.ID, len(values)-1)
	}
	if len(values) == 0 {
		return nil
	}
	_, err := c.exec(ctx, "INSERT INTO "+table+" ("+owner+", kind, target_id, position) VALUES "+
		strings.Join(values, ", "), args...)
	return wrap("insert mentions", err)
}

// mentionNameJoins turn a mention row m into the current name of whom it names.
const mentionNameJoins = `LEFT JOIN people pe ON m.kind = 'person' AND pe.id = m.target_id
		LEFT JOIN groups gr ON m.kind = 'group' AND gr.id = m.target_id`

// loadCommentMentions fills in the mentions of comments with one query.
func loadCommentMentions(ctx context.Context, c conn, comments []*biebplein.Comment) error {
	if len(comments) == 0 {
		return nil
	}
	byID := make(map[string]*biebplein.Comment, len(comments))
	for _, cm := range comments {
		byID[cm.ID] = cm
	}
	in, args := idList(comments, func(cm *biebplein.Comment) string { return cm.ID })
	rows, err := c.query(ctx, `SELECT m.comment_id, m.kind, m.target_id, coalesce(pe.name, gr.name, '')
		FROM comment_mentions m `+mentionNameJoins+`
		WHERE m.comment_id IN (`+in+`) ORDER BY m.comment_id, m.position`, args...)
	if err != nil {
		return wrap("load comment mentions", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var m biebplein.Mention
		if err := rows.Scan(&id, &m.Kind, &m.ID, &m.Name); err != nil {
			return wrap("scan comment mention", err)
		}
		cm := byID[id]
		cm.Mentions = append(cm.Mentions, m)
	}
	return wrap("load comment mentions", rows.Err())
}
