package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/search"
)

// Tag kinds as stored in person_tags.kind.
const (
	tagExpertise = "expertise"
	tagInterest  = "interest"
)

// tagBatch is how many people's tags one query loads; a page is normally one batch.
const tagBatch = 500

func errEmailTaken() error {
	return &biebplein.Error{
		Code:    biebplein.CodeConflict,
		Message: "error.email_taken",
		Fields:  map[string]string{"email": "error.email_taken"},
	}
}

func errOrganisationInvalid() error {
	return &biebplein.Error{
		Code:    biebplein.CodeInvalid,
		Message: "error.invalid_input",
		Fields:  map[string]string{"organisation_id": "error.organisation_invalid"},
	}
}

// personWriteError turns constraint violations into the domain's errors.
func personWriteError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case isUnique(err):
		return errEmailTaken()
	case isForeignKey(err):
		return errOrganisationInvalid()
	}
	return wrap(op, err)
}

// CreatePerson stores a new person with their tags, setting ID (when empty) and times and
// filling in the organisation's name and kind. The e-mail address is stored lower case, tags
// normalised and an empty locale as Dutch. Returns conflict (error.email_taken) when the
// e-mail address is in use and invalid when the organisation does not exist.
func (db *DB) CreatePerson(ctx context.Context, p *biebplein.Person) error {
	return db.inTx(ctx, func(tx conn) error { return createPerson(ctx, tx, p) })
}

func createPerson(ctx context.Context, c conn, p *biebplein.Person) error {
	t := dbNow()
	if p.ID == "" {
		p.ID = biebplein.NewID(t)
	}
	p.Email = biebplein.NormalizeEmail(p.Email)
	if p.Locale == "" {
		p.Locale = biebplein.LocaleNL
	}
	if p.DeactivatedAt != nil {
		at := dbTime(*p.DeactivatedAt)
		p.DeactivatedAt = &at
	}
	p.CreatedAt, p.UpdatedAt = t, t
	_, err := c.exec(ctx, `INSERT INTO people (id, email, name, name_key, kind, admin, organisation_id,
			function, function_key, bio, locale, simple, advisor, password_hash, deactivated_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Email, p.Name, nameKey(p.Name), string(p.Kind), p.Admin, p.Organisation.ID,
		p.Function, search.Fold(p.Function), p.Bio, p.Locale, p.Simple, p.Advisor, p.PasswordHash, p.DeactivatedAt, p.CreatedAt, p.UpdatedAt)
	if err != nil {
		return personWriteError("create person", err)
	}
	if err := writeTags(ctx, c, p); err != nil {
		return err
	}
	if err := indexPerson(ctx, c, p.ID); err != nil {
		return err
	}
	if err := fillOrganisationRef(ctx, c, &p.Organisation); err != nil {
		return err
	}
	return bumpProfiles(ctx, c)
}

// UpdatePerson stores every field of p but the e-mail address, password hash, deactivation
// (see SetDeactivated) and creation time, replaces its tags and sets UpdatedAt.
// Returns not_found, and invalid when the organisation does not exist.
func (db *DB) UpdatePerson(ctx context.Context, p *biebplein.Person) error {
	return db.inTx(ctx, func(tx conn) error {
		if p.Locale == "" {
			p.Locale = biebplein.LocaleNL
		}
		t := dbNow()
		err := tx.execOne(ctx, `UPDATE people
			SET name = ?, name_key = ?, kind = ?, admin = ?, organisation_id = ?, function = ?, function_key = ?,
				bio = ?, locale = ?, simple = ?, advisor = ?, updated_at = ?
			WHERE id = ?`,
			p.Name, nameKey(p.Name), string(p.Kind), p.Admin, p.Organisation.ID, p.Function, search.Fold(p.Function), p.Bio,
			p.Locale, p.Simple, p.Advisor, t, p.ID)
		if err != nil {
			return personWriteError("update person", err)
		}
		p.UpdatedAt = t
		if _, err := tx.exec(ctx, "DELETE FROM person_tags WHERE person_id = ?", p.ID); err != nil {
			return wrap("delete tags", err)
		}
		if err := writeTags(ctx, tx, p); err != nil {
			return err
		}
		if err := indexPerson(ctx, tx, p.ID); err != nil {
			return err
		}
		if err := fillOrganisationRef(ctx, tx, &p.Organisation); err != nil {
			return err
		}
		if err := bumpProfiles(ctx, tx); err != nil {
			return err
		}
		return bumpFeedEpoch(ctx, tx) // feeds kept in memory show the name
	})
}

// writeTags inserts the tags of p, in their order, in one statement.
func writeTags(ctx context.Context, c conn, p *biebplein.Person) error {
	p.Expertise = biebplein.NormalizeTags(p.Expertise)
	p.Interests = biebplein.NormalizeTags(p.Interests)
	var values []string
	var args []any
	for kind, tags := range map[string][]string{tagExpertise: p.Expertise, tagInterest: p.Interests} {
		for i, tag := range tags {
			values = append(values, "(?, ?, ?, ?, ?)")
			args = append(args, p.ID, kind, tag, search.Fold(tag), i)
		}
	}
	if len(values) == 0 {
		return nil
	}
	_, err := c.exec(ctx, "INSERT INTO person_tags (person_id, kind, tag, tag_key, position) VALUES "+
		strings.Join(values, ", "), args...)
	return wrap("insert tags", err)
}

// fillOrganisationRef sets the name and kind of ref from its ID.
func fillOrganisationRef(ctx context.Context, c conn, ref *biebplein.OrganisationRef) error {
	err := c.queryRow(ctx, "SELECT name, kind FROM organisations WHERE id = ?", ref.ID).Scan(&ref.Name, &ref.Kind)
	return wrap("find organisation", err)
}

// SetPassword replaces the password hash of a person. Returns not_found.
func (db *DB) SetPassword(ctx context.Context, personID, hash string) error {
	return db.change(ctx, func(c conn) error {
		return wrap("set password", c.execOne(ctx, "UPDATE people SET password_hash = ?, updated_at = ? WHERE id = ?",
			hash, dbNow(), personID))
	})
}

// SetDeactivated deactivates (at non-nil) or reactivates (nil) a person and, when
// deactivating, deletes their sessions and API tokens in the same transaction, so that
// nobody stays signed in as them. Returns not_found.
func (db *DB) SetDeactivated(ctx context.Context, personID string, at *time.Time) error {
	return db.inTx(ctx, func(tx conn) error {
		err := tx.execOne(ctx, "UPDATE people SET deactivated_at = ?, updated_at = ? WHERE id = ?",
			at, dbNow(), personID)
		if err != nil {
			return wrap("set deactivated", err)
		}
		// Deactivated, a person leaves the directory's search; reactivated, they come back.
		if err := indexPerson(ctx, tx, personID); err != nil {
			return err
		}
		if err := bumpProfiles(ctx, tx); err != nil || at == nil { // the finder's functions are of active people
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE person_id = ?", personID); err != nil {
			return wrap("delete sessions", err)
		}
		_, err = tx.exec(ctx, "DELETE FROM api_tokens WHERE person_id = ?", personID)
		return wrap("delete api tokens", err)
	})
}

// FindPersonByID returns the person, whatever their status, or not_found.
func (db *DB) FindPersonByID(ctx context.Context, id string) (*biebplein.Person, error) {
	if id == "" {
		return nil, errNotFound()
	}
	return findPerson(ctx, db.read(), biebplein.PersonFilter{ID: id, Status: biebplein.StatusAll})
}

// FindPersonByEmail returns the person with this address (compared case-insensitively),
// whatever their status, or not_found.
func (db *DB) FindPersonByEmail(ctx context.Context, email string) (*biebplein.Person, error) {
	email = biebplein.NormalizeEmail(email)
	if email == "" {
		return nil, errNotFound()
	}
	return findPerson(ctx, db.read(), biebplein.PersonFilter{Email: email, Status: biebplein.StatusAll})
}

func findPerson(ctx context.Context, c conn, f biebplein.PersonFilter) (*biebplein.Person, error) {
	f.Limit = 1
	people, _, err := findPeople(ctx, c, f)
	if err != nil {
		return nil, err
	}
	if len(people) == 0 {
		return nil, errNotFound()
	}
	return people[0], nil
}

// CountPeople returns how many people exist at all (invited and deactivated included).
func (db *DB) CountPeople(ctx context.Context) (int, error) {
	var n int
	err := db.read().queryRow(ctx, "SELECT count(*) FROM people").Scan(&n)
	return n, wrap("count people", err)
}

// FindTags returns tags of the given kind ("expertise" or "interest") that active people
// use, most used first, then alphabetically; only those starting with prefix when it is
// given. A limit of 0 returns all.
func (db *DB) FindTags(ctx context.Context, kind, prefix string, limit int) ([]string, error) {
	where := []string{"t.kind = ?", "p.deactivated_at IS NULL"}
	args := []any{kind}
	if prefix = biebplein.NormalizeTag(prefix); prefix != "" {
		where, args = append(where, `t.tag LIKE ? ESCAPE '\'`), append(args, escapeLike(prefix)+"%")
	}
	rows, err := db.read().query(ctx, `SELECT t.tag FROM person_tags t JOIN people p ON p.id = t.person_id`+
		whereClause(where)+`
		GROUP BY t.tag ORDER BY count(*) DESC, t.tag`+limitClause(limit), args...)
	if err != nil {
		return nil, wrap("find tags", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var tag string
		if err := rows.Scan(&tag); err != nil {
			return nil, wrap("scan tag", err)
		}
		out = append(out, tag)
	}
	return out, wrap("find tags", rows.Err())
}

// escapeLike escapes the LIKE wildcards in user input; queries declare ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// cursor is the position after which the next page of people starts. It is handed out as
// opaque text; its content is the keyset of the last person on the previous page.
type cursor struct {
	NameKey string `json:"n"`
	ID      string `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c) // two strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID == "" || storableText(c.NameKey+c.ID) != c.NameKey+c.ID {
		return c, biebplein.Errorf(biebplein.CodeInvalid, "error.cursor_invalid")
	}
	return c, nil
}
