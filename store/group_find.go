package store

import (
	"context"
	"database/sql"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// FindGroups returns a page of the groups the filter's scope allows (see groupPredicate),
// ordered by name (case-insensitive) then ID, each with the viewer's own membership filled in
// through the same query, and the cursor of the next page ("" at the end). A scope without a
// viewer finds nothing. Returns invalid for a cursor this store did not hand out
// (error.cursor_invalid).
func (db *DB) FindGroups(ctx context.Context, f biebplein.GroupFilter) ([]*biebplein.Group, string, error) {
	return findGroups(ctx, db.read(), f)
}

func findGroups(ctx context.Context, c conn, f biebplein.GroupFilter) ([]*biebplein.Group, string, error) {
	visible, args := groupPredicate(f.Scope, "g")
	where := []string{visible}
	// The viewer's membership comes with each group through a LEFT JOIN on the primary key:
	// its argument goes first, before those of the WHERE clause.
	args = append([]any{f.Scope.Viewer.PersonID}, args...)
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.ID != "" {
		add("g.id = ?", f.ID)
	}
	if q := nameKey(f.Query); q != "" {
		// name_key is lower case already; lower(description) folds only ASCII on SQLite.
		pattern := "%" + escapeLike(q) + "%"
		add(`(g.name_key LIKE ? ESCAPE '\' OR lower(g.description) LIKE ? ESCAPE '\')`, pattern, pattern)
	}
	if f.Member {
		add("own.status = ?", string(biebplein.StatusMember))
	}
	if f.After != "" {
		cur, err := decodeCursor(f.After)
		if err != nil {
			return nil, "", err
		}
		add("(g.name_key > ? OR (g.name_key = ? AND g.id > ?))", cur.NameKey, cur.NameKey, cur.ID)
	}
	limit := f.Limit
	if limit > 0 {
		limit++ // one more, to learn whether there is a next page
	}
	rows, err := c.query(ctx, `SELECT g.id, g.name, g.name_key, g.description, g.visibility, g.organisation_id,
			g.image_id, g.member_count, g.questions, g.created_by, g.created_at, g.updated_at,
			own.role, own.status, own.invited_by, own.created_at, own.updated_at
		FROM groups g
		LEFT JOIN group_members own ON own.group_id = g.id AND own.person_id = ?`+whereClause(where)+`
		ORDER BY g.name_key, g.id`+limitClause(limit), args...)
	if err != nil {
		return nil, "", wrap("find groups", err)
	}
	defer rows.Close()

	var groups []*biebplein.Group
	var keys []string // name_key of each group, for the next cursor
	for rows.Next() {
		var g biebplein.Group
		var key string
		var org, createdBy, role, status, invitedBy sql.NullString
		var mCreated, mUpdated *time.Time
		if err := rows.Scan(&g.ID, &g.Name, &key, &g.Description, &g.Visibility, &org,
			&g.ImageID, &g.MemberCount, &g.Questions, &createdBy, utcTime{&g.CreatedAt}, utcTime{&g.UpdatedAt},
			&role, &status, &invitedBy, nullTime{&mCreated}, nullTime{&mUpdated}); err != nil {
			return nil, "", wrap("scan group", err)
		}
		g.OrganisationID, g.CreatedBy = org.String, createdBy.String
		if status.Valid {
			g.Membership = &biebplein.Membership{GroupID: g.ID, PersonID: f.Scope.Viewer.PersonID,
				Role: biebplein.Role(role.String), Status: biebplein.MemberStatus(status.String),
				InvitedBy: invitedBy.String, CreatedAt: *mCreated, UpdatedAt: *mUpdated}
		}
		groups = append(groups, &g)
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap("find groups", err)
	}

	next := ""
	if f.Limit > 0 && len(groups) > f.Limit {
		groups = groups[:f.Limit]
		next = cursor{NameKey: keys[f.Limit-1], ID: groups[f.Limit-1].ID}.encode()
	}
	return groups, next, nil
}
