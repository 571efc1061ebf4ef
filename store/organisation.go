package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	biebplein "github.com/biebplein/biebplein"
)

// nameKey is the form of a name that is unique and sorted on: lower case, single spaces.
// It is computed here rather than with SQL's lower(), which in SQLite folds only ASCII.
func nameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

func errOrgNameTaken() error {
	return &biebplein.Error{
		Code:    biebplein.CodeConflict,
		Message: "error.org_name_taken",
		Fields:  map[string]string{"name": "error.org_name_taken"},
	}
}

func errParentInvalid() error {
	return &biebplein.Error{
		Code:    biebplein.CodeInvalid,
		Message: "error.invalid_input",
		Fields:  map[string]string{"parent_id": "error.parent_invalid"},
	}
}

// CreateOrganisation stores a new organisation, setting its ID (when empty) and times.
// Returns conflict (error.org_name_taken) when the name is taken, and invalid when the parent
// does not exist.
func (db *DB) CreateOrganisation(ctx context.Context, o *biebplein.Organisation) error {
	return db.change(ctx, func(c conn) error { return createOrganisation(ctx, c, o) })
}

func createOrganisation(ctx context.Context, c conn, o *biebplein.Organisation) error {
	t := dbNow()
	if o.ID == "" {
		o.ID = biebplein.NewID(t)
	}
	o.CreatedAt, o.UpdatedAt = t, t
	_, err := c.exec(ctx, `INSERT INTO organisations (id, name, name_key, kind, parent_id, mail_hide_text, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ID, o.Name, nameKey(o.Name), string(o.Kind), nullString(o.ParentID), o.MailHideText, o.CreatedAt, o.UpdatedAt)
	return orgWriteError("create organisation", err)
}

// orgWriteError turns constraint violations into the domain's errors.
func orgWriteError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case isUnique(err):
		return errOrgNameTaken()
	case isForeignKey(err):
		return errParentInvalid()
	}
	return wrap(op, err)
}

// UpdateOrganisation stores the name, kind, parent and e-mail privacy of o and sets its
// UpdatedAt.
// Returns not_found, conflict (error.org_name_taken), and invalid for an unknown parent.
// Whether the new parent makes a cycle is the caller's concern (see biebplein.ValidParent).
func (db *DB) UpdateOrganisation(ctx context.Context, o *biebplein.Organisation) error {
	t := dbNow()
	err := db.change(ctx, func(c conn) error {
		return c.execOne(ctx, `UPDATE organisations
		SET name = ?, name_key = ?, kind = ?, parent_id = ?, mail_hide_text = ?, updated_at = ?
		WHERE id = ?`,
			o.Name, nameKey(o.Name), string(o.Kind), nullString(o.ParentID), o.MailHideText, t, o.ID)
	})
	if err != nil {
		return orgWriteError("update organisation", err)
	}
	o.UpdatedAt = t
	return nil
}

// FindOrganisationByID returns the organisation with its member count, or not_found.
func (db *DB) FindOrganisationByID(ctx context.Context, id string) (*biebplein.Organisation, error) {
	if id == "" {
		return nil, errNotFound()
	}
	orgs, err := db.FindOrganisations(ctx, biebplein.OrganisationFilter{ID: id, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(orgs) == 0 {
		return nil, errNotFound()
	}
	return orgs[0], nil
}

// OrganisationChain returns id and the ids above it, nearest first, with one recursive query.
// The depth guard stops a cycle (which the service prevents) from looping forever.
func (db *DB) OrganisationChain(ctx context.Context, id string) ([]string, error) {
	rows, err := db.read().query(ctx, `WITH RECURSIVE chain(id, parent_id, depth) AS (
		SELECT id, parent_id, 0 FROM organisations WHERE id = ?
		UNION ALL
		SELECT o.id, o.parent_id, c.depth + 1 FROM organisations o JOIN chain c ON o.id = c.parent_id WHERE c.depth < 32
	) SELECT id FROM chain ORDER BY depth`, id)
	if err != nil {
		return nil, wrap("organisation chain", err)
	}
	defer rows.Close()
	var chain []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, wrap("organisation chain", err)
		}
		chain = append(chain, s)
	}
	return chain, wrap("organisation chain", rows.Err())
}

// FindOrganisations returns organisations ordered by name, each with its MemberCount counted
// in the same query.
func (db *DB) FindOrganisations(ctx context.Context, f biebplein.OrganisationFilter) ([]*biebplein.Organisation, error) {
	var where []string
	var args []any
	if f.ID != "" {
		where, args = append(where, "o.id = ?"), append(args, f.ID)
	}
	if f.Kind != "" {
		where, args = append(where, "o.kind = ?"), append(args, string(f.Kind))
	}
	if f.ParentID != "" {
		where, args = append(where, "o.parent_id = ?"), append(args, f.ParentID)
	}
	if f.Name != "" {
		where, args = append(where, "o.name_key = ?"), append(args, nameKey(f.Name))
	}
	q := `SELECT o.id, o.name, o.kind, o.parent_id, o.mail_hide_text, o.created_at, o.updated_at,
			(SELECT count(*) FROM people p WHERE p.organisation_id = o.id AND p.deactivated_at IS NULL)
		FROM organisations o` + whereClause(where) + `
		ORDER BY o.name_key, o.id` + limitClause(f.Limit)

	rows, err := db.read().query(ctx, q, args...)
	if err != nil {
		return nil, wrap("find organisations", err)
	}
	defer rows.Close()
	var out []*biebplein.Organisation
	for rows.Next() {
		var o biebplein.Organisation
		var parent sql.NullString
		if err := rows.Scan(&o.ID, &o.Name, &o.Kind, &parent, &o.MailHideText, utcTime{&o.CreatedAt}, utcTime{&o.UpdatedAt},
			&o.MemberCount); err != nil {
			return nil, wrap("scan organisation", err)
		}
		o.ParentID = parent.String
		out = append(out, &o)
	}
	return out, wrap("find organisations", rows.Err())
}

// whereClause joins conditions with AND; "" when there are none.
func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return "\n\t\tWHERE " + strings.Join(conds, " AND ")
}

// limitClause returns a LIMIT for n > 0; zero or less means all rows. The number is formatted
// into the query rather than bound so that both databases plan it the same.
func limitClause(n int) string {
	if n <= 0 {
		return ""
	}
	return " LIMIT " + strconv.Itoa(n)
}
