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

var _ biebplein.QuestionStore = (*DB)(nil)

// EnsureQuestionSpace returns the id of the "Vraag en antwoord" space, making it the first
// time: a network group without members (site administrators manage it). Two instances
// making it at once both insert with ON CONFLICT DO NOTHING on the partial unique index, so
// one row wins and both return it. When another group already has the name, the space is
// made with the name and " (netwerk)".
func (db *DB) EnsureQuestionSpace(ctx context.Context, name, description string) (string, error) {
	id, err := findQuestionSpace(ctx, db.read())
	if err != nil || id != "" {
		return id, err
	}
	err = db.inTx(ctx, func(tx conn) error {
		for _, n := range []string{name, name + " (netwerk)"} {
			t := dbNow()
			fresh := biebplein.NewID(t)
			res, err := tx.exec(ctx, `INSERT INTO groups (id, name, name_key, description, visibility, image_id,
					member_count, questions, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, '', 0, TRUE, ?, ?) ON CONFLICT DO NOTHING`,
				fresh, n, nameKey(n), description, string(biebplein.VisNetwork), t, t)
			if err != nil {
				return wrap("make question space", err)
			}
			if made, _ := res.RowsAffected(); made == 1 {
				id = fresh
				if err := indexGroup(ctx, tx, fresh); err != nil {
					return err
				}
				return bumpProfiles(ctx, tx)
			}
			// Another instance made it meanwhile, or the name is taken.
			if id, err = findQuestionSpace(ctx, tx); err != nil || id != "" {
				return err
			}
		}
		return errors.New("store: cannot make the question space: both names are taken")
	})
	return id, err
}

func findQuestionSpace(ctx context.Context, c conn) (string, error) {
	var id string
	err := c.queryRow(ctx, "SELECT id FROM groups WHERE questions").Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, wrap("find question space", err)
}

// writeAsked stores the people a new question asks, in their order.
func writeAsked(ctx context.Context, c conn, p *biebplein.Post) error {
	if len(p.Asked) == 0 {
		return nil
	}
	values := make([]string, len(p.Asked))
	var args, ids []any
	for i, a := range p.Asked {
		values[i] = "(?, ?, ?)"
		args = append(args, p.ID, a.ID, i)
		ids = append(ids, a.ID)
	}
	_, err := c.exec(ctx, "INSERT INTO question_asks (post_id, person_id, position) VALUES "+strings.Join(values, ", "), args...)
	if isForeignKey(err) {
		return errPersonInvalid("ask")
	}
	if err != nil {
		return wrap("insert asked", err)
	}
	rows, err := c.query(ctx, "SELECT id, name FROM people WHERE id IN ("+placeholders(len(ids))+")", ids...)
	if err != nil {
		return wrap("find asked", err)
	}
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return wrap("scan asked", err)
		}
		names[id] = name
	}
	for i := range p.Asked {
		p.Asked[i].Name = names[p.Asked[i].ID]
	}
	return wrap("find asked", rows.Err())
}

// FindReaders returns those of personIDs who are active and may read the group. The rule is
// Viewer.CanReadGroup itself, applied to each person with their kind, administrator flag,
// organisations and membership, read in three queries whatever the number of people.
func (db *DB) FindReaders(ctx context.Context, groupID string, personIDs []string) ([]string, error) {
	c := db.read()
	var g biebplein.Group
	var org sql.NullString
	err := c.queryRow(ctx, "SELECT id, visibility, organisation_id, questions FROM groups WHERE id = ?", groupID).
		Scan(&g.ID, &g.Visibility, &org, &g.Questions)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, wrap("find readers", err)
	}
	g.OrganisationID = org.String
	if len(personIDs) == 0 {
		return nil, nil
	}
	args := []any{groupID}
	for _, id := range personIDs {
		args = append(args, id)
	}
	rows, err := c.query(ctx, `SELECT p.id, p.kind, p.admin, p.organisation_id, coalesce(m.role, ''), coalesce(m.status, '')
		FROM people p LEFT JOIN group_members m ON m.group_id = ? AND m.person_id = p.id
		WHERE p.deactivated_at IS NULL AND p.id IN (`+placeholders(len(personIDs))+`)`, args...)
	if err != nil {
		return nil, wrap("find readers", err)
	}
	type candidate struct {
		person *biebplein.Person
		m      *biebplein.Membership
	}
	found := map[string]candidate{}
	for rows.Next() {
		p := &biebplein.Person{}
		var role, status string
		if err := rows.Scan(&p.ID, &p.Kind, &p.Admin, &p.Organisation.ID, &role, &status); err != nil {
			rows.Close()
			return nil, wrap("scan reader", err)
		}
		cand := candidate{person: p}
		if status != "" {
			cand.m = &biebplein.Membership{GroupID: g.ID, PersonID: p.ID, Role: biebplein.Role(role), Status: biebplein.MemberStatus(status)}
		}
		found[p.ID] = cand
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, wrap("find readers", err)
	}
	rows.Close()
	parents, err := organisationParents(ctx, c)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range personIDs {
		cand, ok := found[id]
		if !ok {
			continue
		}
		v := biebplein.ViewerFor(cand.person, chainOf(parents, cand.person.Organisation.ID))
		if v.CanReadGroup(&g, cand.m) {
			out = append(out, id)
		}
	}
	return out, nil
}

// organisationParents maps every organisation to its parent ("" for a root): the tree is
// small (a province has hundreds of organisations, not millions).
func organisationParents(ctx context.Context, c conn) (map[string]string, error) {
	rows, err := c.query(ctx, "SELECT id, coalesce(parent_id, '') FROM organisations")
	if err != nil {
		return nil, wrap("organisation tree", err)
	}
	defer rows.Close()
	parents := map[string]string{}
	for rows.Next() {
		var id, parent string
		if err := rows.Scan(&id, &parent); err != nil {
			return nil, wrap("organisation tree", err)
		}
		parents[id] = parent
	}
	return parents, wrap("organisation tree", rows.Err())
}

// chainOf is OrganisationChain from the parents map: id and the ids above it, nearest first,
// with the same depth guard.
func chainOf(parents map[string]string, id string) []string {
	var chain []string
	for depth := 0; id != "" && depth <= 32; depth++ {
		if _, ok := parents[id]; !ok {
			break
		}
		chain = append(chain, id)
		id = parents[id]
	}
	return chain
}

// FindQuestionState returns whom a question asked, in the order they were asked, and when it
// went to the advisors. Returns not_found for an unknown post.
func (db *DB) FindQuestionState(ctx context.Context, postID string) (*biebplein.QuestionState, error) {
	c := db.read()
	st := &biebplein.QuestionState{}
	err := c.queryRow(ctx, "SELECT escalated_at FROM posts WHERE id = ?", postID).Scan(nullTime{&st.EscalatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, wrap("find question", err)
	}
	rows, err := c.query(ctx, `SELECT p.id, p.name FROM question_asks a JOIN people p ON p.id = a.person_id
		WHERE a.post_id = ? ORDER BY a.position`, postID)
	if err != nil {
		return nil, wrap("find asked", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r biebplein.PersonRef
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			return nil, wrap("scan asked", err)
		}
		st.Asked = append(st.Asked, r)
	}
	return st, wrap("find asked", rows.Err())
}

// unanswered is true for a question (posts aliased alias) that is open: not deleted, no
// accepted answer, not escalated, and no comment by anyone but its author.
func unanswered(alias string) string {
	return alias + `.kind = 'question' AND ` + alias + `.escalated_at IS NULL AND ` + alias + `.accepted_comment_id IS NULL
	AND ` + alias + `.deleted_at IS NULL
	AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.post_id = ` + alias + `.id AND c.author_id <> ` + alias + `.author_id
		AND c.deleted_at IS NULL)`
}

// FindEscalations returns a page (f.Limit, default 100) of the open, unanswered questions
// created in [f.After, f.Before), oldest first, after f.Next, with their topics, walking the
// partial index posts_open_questions.
func (db *DB) FindEscalations(ctx context.Context, f biebplein.EscalationFilter) ([]*biebplein.Escalation, error) {
	c := db.read()
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args := []any{dbTime(f.Before), dbTime(f.After)}
	next := ""
	if f.Next != nil {
		next = " AND (p.created_at > ? OR (p.created_at = ? AND p.id > ?))"
		at := dbTime(f.Next.CreatedAt)
		args = append(args, at, at, f.Next.PostID)
	}
	rows, err := c.query(ctx, `SELECT p.id, p.group_id, p.author_id, a.organisation_id, p.created_at
		FROM posts p JOIN people a ON a.id = p.author_id
		WHERE `+unanswered("p")+` AND p.created_at < ? AND p.created_at >= ?`+next+`
		ORDER BY p.created_at, p.id`+limitClause(limit), args...)
	if err != nil {
		return nil, wrap("find escalations", err)
	}
	var out []*biebplein.Escalation
	byID := map[string]*biebplein.Escalation{}
	for rows.Next() {
		e := &biebplein.Escalation{}
		if err := rows.Scan(&e.PostID, &e.GroupID, &e.AuthorID, &e.OrganisationID, utcTime{&e.CreatedAt}); err != nil {
			rows.Close()
			return nil, wrap("scan escalation", err)
		}
		out = append(out, e)
		byID[e.PostID] = e
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, wrap("find escalations", err)
	}
	rows.Close()
	if len(out) == 0 {
		return nil, nil
	}
	ids := make([]any, len(out))
	for i, e := range out {
		ids[i] = e.PostID
	}
	trows, err := c.query(ctx, "SELECT post_id, topic FROM post_topics WHERE post_id IN ("+placeholders(len(ids))+") ORDER BY post_id, position", ids...)
	if err != nil {
		return nil, wrap("find escalation topics", err)
	}
	defer trows.Close()
	for trows.Next() {
		var id, topic string
		if err := trows.Scan(&id, &topic); err != nil {
			return nil, wrap("scan escalation topic", err)
		}
		byID[id].Topics = append(byID[id].Topics, topic)
	}
	return out, wrap("find escalation topics", trows.Err())
}

// FindAdvisors returns the active advisors of f.OrganisationID by name; with Topics, only
// those with one of them (folded) as expertise or interest.
func (db *DB) FindAdvisors(ctx context.Context, f biebplein.AdvisorFilter) ([]string, error) {
	q := "SELECT p.id FROM people p WHERE p.advisor AND p.deactivated_at IS NULL AND p.organisation_id = ?"
	args := []any{f.OrganisationID}
	if len(f.Topics) > 0 {
		q += " AND EXISTS (SELECT 1 FROM person_tags t WHERE t.person_id = p.id AND t.tag_key IN (" + placeholders(len(f.Topics)) + "))"
		for _, t := range f.Topics {
			args = append(args, search.Fold(biebplein.NormalizeTag(t)))
		}
	}
	return queryIDs(ctx, db.read(), q+" ORDER BY p.name_key, p.id", args...)
}

func queryIDs(ctx context.Context, c conn, q string, args ...any) ([]string, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, wrap("find ids", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("scan id", err)
		}
		ids = append(ids, id)
	}
	return ids, wrap("find ids", rows.Err())
}

// EscalateQuestion marks the question escalated and writes the notices in one transaction,
// if it is still open and unanswered. The conditional UPDATE is the guard: on PostgreSQL a
// second instance's UPDATE waits for the first one's row lock and then finds escalated_at
// set, on SQLite the writer runs one transaction at a time; either way one of them changes
// the row and only that one writes the notices.
func (db *DB) EscalateQuestion(ctx context.Context, postID string, at time.Time, notices ...biebplein.Notice) (bool, error) {
	done := false
	err := db.inTx(ctx, func(tx conn) error {
		// The conditions are on the row updated itself, so PostgreSQL checks them again on
		// the row's newest version after waiting for another transaction's lock.
		res, err := tx.exec(ctx, "UPDATE posts SET escalated_at = ? WHERE id = ? AND "+unanswered("posts"), dbTime(at), postID)
		if err != nil {
			return wrap("escalate question", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return wrap("escalate question", err)
		}
		done = true
		return writeNotices(ctx, tx, withSubject(notices, postID, ""))
	})
	return done && err == nil, err
}
