package store

import (
	"context"
	"strings"

	biebplein "github.com/biebplein/biebplein"
)

// personSelect reads a person with their organisation's short form through a join.
const personSelect = `SELECT p.id, p.email, p.name, p.name_key, p.kind, p.admin, p.function, p.bio, p.locale, p.simple, p.advisor,
		p.password_hash, p.totp_enabled, p.deactivated_at, p.created_at, p.updated_at, o.id, o.name, o.kind
	FROM people p JOIN organisations o ON o.id = p.organisation_id`

// FindPeople returns a page of people ordered by name (case-insensitive) then ID, with tags
// and organisation filled in, and the cursor of the next page ("" at the end).
// Returns invalid for an unknown status (error.status_invalid) or a cursor that this store
// did not hand out (error.cursor_invalid).
func (db *DB) FindPeople(ctx context.Context, f biebplein.PersonFilter) ([]*biebplein.Person, string, error) {
	return findPeople(ctx, db.read(), f)
}

// findPeople is FindPeople on any connection, so that transactions can read people too.
// It fetches one person more than the limit to learn whether there is a next page, then loads
// the tags of the whole page in one more query.
func findPeople(ctx context.Context, c conn, f biebplein.PersonFilter) ([]*biebplein.Person, string, error) {
	where, args, err := personConditions(f)
	if err != nil {
		return nil, "", err
	}
	limit := f.Limit
	if limit > 0 {
		limit++
	}
	rows, err := c.query(ctx, personSelect+whereClause(where)+"\n\tORDER BY p.name_key, p.id"+limitClause(limit), args...)
	if err != nil {
		return nil, "", wrap("find people", err)
	}
	defer rows.Close()

	var people []*biebplein.Person
	var keys []string // name_key of each person, for the next cursor
	for rows.Next() {
		var p biebplein.Person
		var key string
		if err := rows.Scan(&p.ID, &p.Email, &p.Name, &key, &p.Kind, &p.Admin, &p.Function, &p.Bio, &p.Locale, &p.Simple, &p.Advisor,
			&p.PasswordHash, &p.TOTPEnabled, nullTime{&p.DeactivatedAt}, utcTime{&p.CreatedAt}, utcTime{&p.UpdatedAt},
			&p.Organisation.ID, &p.Organisation.Name, &p.Organisation.Kind); err != nil {
			return nil, "", wrap("scan person", err)
		}
		people = append(people, &p)
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap("find people", err)
	}
	rows.Close() // free the connection before the next query: a transaction has only one

	next := ""
	if f.Limit > 0 && len(people) > f.Limit {
		people = people[:f.Limit]
		next = cursor{NameKey: keys[f.Limit-1], ID: people[f.Limit-1].ID}.encode()
	}
	if err := loadTags(ctx, c, people); err != nil {
		return nil, "", err
	}
	return people, next, nil
}

// personConditions turns a filter into SQL conditions and their arguments.
func personConditions(f biebplein.PersonFilter) ([]string, []any, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.ID != "" {
		add("p.id = ?", f.ID)
	}
	if f.Email != "" {
		add("p.email = ?", biebplein.NormalizeEmail(f.Email))
	}
	if q := nameKey(f.Query); q != "" {
		// name_key and email are lower case already; lower(function) folds only ASCII on SQLite,
		// which is enough for job titles.
		pattern := "%" + escapeLike(q) + "%"
		if f.MatchEmail {
			add(`(p.name_key LIKE ? ESCAPE '\' OR p.email LIKE ? ESCAPE '\' OR lower(p.function) LIKE ? ESCAPE '\')`,
				pattern, pattern, pattern)
		} else {
			add(`(p.name_key LIKE ? ESCAPE '\' OR lower(p.function) LIKE ? ESCAPE '\')`, pattern, pattern)
		}
	}
	if f.OrganisationID != "" {
		add("p.organisation_id = ?", f.OrganisationID)
	}
	if f.Kind != "" {
		add("p.kind = ?", string(f.Kind))
	}
	if f.Expertise != "" {
		add("EXISTS (SELECT 1 FROM person_tags t WHERE t.kind = ? AND t.tag = ? AND t.person_id = p.id)",
			tagExpertise, biebplein.NormalizeTag(f.Expertise))
	}
	if f.Admin != nil {
		add("p.admin = ?", *f.Admin)
	}
	switch f.Status {
	case biebplein.StatusActive:
		add("p.deactivated_at IS NULL")
	case biebplein.StatusDeactivated:
		add("p.deactivated_at IS NOT NULL")
	case biebplein.StatusAll:
	default:
		return nil, nil, &biebplein.Error{
			Code:    biebplein.CodeInvalid,
			Message: "error.invalid_input",
			Fields:  map[string]string{"status": "error.status_invalid"},
		}
	}
	if f.After != "" {
		c, err := decodeCursor(f.After)
		if err != nil {
			return nil, nil, err
		}
		add("(p.name_key > ? OR (p.name_key = ? AND p.id > ?))", c.NameKey, c.NameKey, c.ID)
	}
	return where, args, nil
}

// loadTags fills in the expertise and interests of people, in their stored order, with one
// query per batch of people (one for any normal page) instead of one per person.
func loadTags(ctx context.Context, c conn, people []*biebplein.Person) error {
	for start := 0; start < len(people); start += tagBatch {
		batch := people[start:min(start+tagBatch, len(people))]
		byID := make(map[string]*biebplein.Person, len(batch))
		args := make([]any, 0, len(batch))
		for _, p := range batch {
			byID[p.ID] = p
			args = append(args, p.ID)
		}
		rows, err := c.query(ctx, `SELECT person_id, kind, tag FROM person_tags
			WHERE person_id IN (`+placeholders(len(batch))+`)
			ORDER BY person_id, kind, position`, args...)
		if err != nil {
			return wrap("load tags", err)
		}
		for rows.Next() {
			var id, kind, tag string
			if err := rows.Scan(&id, &kind, &tag); err != nil {
				rows.Close()
				return wrap("scan tag", err)
			}
			p := byID[id]
			switch kind {
			case tagExpertise:
				p.Expertise = append(p.Expertise, tag)
			case tagInterest:
				p.Interests = append(p.Interests, tag)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return wrap("load tags", err)
		}
	}
	return nil
}

// placeholders returns n comma-separated placeholders.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
