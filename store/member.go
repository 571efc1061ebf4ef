package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"

	biebplein "github.com/biebplein/biebplein"
)

func errLastGroupAdmin() error {
	return biebplein.Errorf(biebplein.CodeConflict, "error.last_group_admin")
}

// membershipColumns are the columns of group_members as scanMembership reads them.
const membershipColumns = "m.group_id, m.person_id, m.role, m.status, m.invited_by, m.created_at, m.updated_at"

// membershipDest returns the scan destinations of membershipColumns for m; call the returned
// function after Scan to finish m.
func membershipDest(m *biebplein.Membership) ([]any, func()) {
	var invitedBy sql.NullString
	return []any{&m.GroupID, &m.PersonID, &m.Role, &m.Status, &invitedBy, utcTime{&m.CreatedAt}, utcTime{&m.UpdatedAt}},
		func() { m.InvitedBy = invitedBy.String }
}

func insertMembership(ctx context.Context, c conn, m *biebplein.Membership) error {
	_, err := c.exec(ctx, `INSERT INTO group_members (group_id, person_id, role, status, invited_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.GroupID, m.PersonID, string(m.Role), string(m.Status), nullString(m.InvitedBy), m.CreatedAt, m.UpdatedAt)
	return err
}

// FindMembership returns a person's membership of a group, or not_found.
func (db *DB) FindMembership(ctx context.Context, groupID, personID string) (*biebplein.Membership, error) {
	return findMembership(ctx, db.read(), groupID, personID)
}

func findMembership(ctx context.Context, c conn, groupID, personID string) (*biebplein.Membership, error) {
	var m biebplein.Membership
	dest, finish := membershipDest(&m)
	err := c.queryRow(ctx, "SELECT "+membershipColumns+" FROM group_members m WHERE m.group_id = ? AND m.person_id = ?",
		groupID, personID).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, wrap("find membership", err)
	}
	finish()
	return &m, nil
}

// SaveMembership creates the membership of m.PersonID in m.GroupID or replaces its role,
// status and inviter, setting the times of m (CreatedAt is kept on a replace). In the same
// transaction it recounts the group's MemberCount (rows with status member, deactivated people
// included) and returns conflict (error.last_group_admin) when the group would be left with
// members but no admin. An empty Role is stored as member. Returns not_found for an unknown
// group, and invalid for an unknown person or inviter (error.person_invalid).
func (db *DB) SaveMembership(ctx context.Context, m *biebplein.Membership, notices ...biebplein.Notice) error {
	if m.Role == "" {
		m.Role = biebplein.RoleMember
	}
	t := dbNow()
	created := t
	err := db.inTx(ctx, func(tx conn) error {
		if err := lockGroup(ctx, tx, m.GroupID); err != nil {
			return err
		}
		old, err := findMembership(ctx, tx, m.GroupID, m.PersonID)
		switch {
		case biebplein.ErrorCode(err) == biebplein.CodeNotFound:
			err = insertMembership(ctx, tx, &biebplein.Membership{GroupID: m.GroupID, PersonID: m.PersonID,
				Role: m.Role, Status: m.Status, InvitedBy: m.InvitedBy, CreatedAt: t, UpdatedAt: t})
		case err != nil:
			return err
		default:
			created = old.CreatedAt
			_, err = tx.exec(ctx, `UPDATE group_members SET role = ?, status = ?, invited_by = ?, updated_at = ?
				WHERE group_id = ? AND person_id = ?`,
				string(m.Role), string(m.Status), nullString(m.InvitedBy), t, m.GroupID, m.PersonID)
		}
		if isForeignKey(err) {
			return errPersonInvalid("person_id") // the group is there: it is locked
		}
		if err != nil {
			return wrap("save membership", err)
		}
		if err := settleGroup(ctx, tx, m.GroupID); err != nil {
			return err
		}
		return writeNotices(ctx, tx, notices)
	})
	if err != nil {
		return err
	}
	m.CreatedAt, m.UpdatedAt = created, t
	return nil
}

// DeleteMembership removes a membership (leave, refuse, decline, remove) and recounts the
// group's MemberCount, with the same last-admin guard as SaveMembership. Returns not_found
// when there is no such membership, conflict (error.last_group_admin).
func (db *DB) DeleteMembership(ctx context.Context, groupID, personID string) error {
	return db.inTx(ctx, func(tx conn) error {
		if err := lockGroup(ctx, tx, groupID); err != nil {
			return err
		}
		err := tx.execOne(ctx, "DELETE FROM group_members WHERE group_id = ? AND person_id = ?", groupID, personID)
		if err != nil {
			return wrap("delete membership", err)
		}
		return settleGroup(ctx, tx, groupID)
	})
}

// lockGroup takes the write lock on a group's row for the rest of the transaction, so that
// two membership changes of one group run one after the other and the last-admin guard of
// each sees the other's result. (A no-op UPDATE locks a row in both databases; on SQLite the
// transaction holds the database's write lock anyway.) Returns not_found for an unknown group.
func lockGroup(ctx context.Context, tx conn, groupID string) error {
	err := tx.execOne(ctx, "UPDATE groups SET member_count = member_count WHERE id = ?", groupID)
	return wrap("lock group", err)
}

// settleGroup recounts a group's members after a change of its memberships and fails with
// error.last_group_admin when the group has no admin left, also when that admin was its last
// member: a group always keeps an admin, who can hand it over first.
func settleGroup(ctx context.Context, tx conn, groupID string) error {
	var members, admins int
	err := tx.queryRow(ctx, `SELECT count(*), coalesce(sum(CASE WHEN role = ? THEN 1 ELSE 0 END), 0)
		FROM group_members WHERE group_id = ? AND status = ?`,
		string(biebplein.RoleAdmin), groupID, string(biebplein.StatusMember)).Scan(&members, &admins)
	if err != nil {
		return wrap("count members", err)
	}
	if admins == 0 {
		return errLastGroupAdmin()
	}
	_, err = tx.exec(ctx, "UPDATE groups SET member_count = ? WHERE id = ?", members, groupID)
	return wrap("count members", err)
}

// memberOrder puts admins first; memberCursor holds its value for the last member of a page.
const memberOrder = "CASE WHEN m.role = 'admin' THEN 0 ELSE 1 END"

// FindMembers returns a page of the memberships of a group with the given status (default
// member), admins first then by name (case-insensitive) and ID, each with its person and the
// person's organisation filled in (deactivated people included: their memberships stay), and
// the cursor of the next page ("" at the end). Returns invalid for an unknown status
// (error.status_invalid) or a cursor this store did not hand out (error.cursor_invalid).
func (db *DB) FindMembers(ctx context.Context, f biebplein.MemberFilter) ([]*biebplein.Member, string, error) {
	status := f.Status
	switch status {
	case "":
		status = biebplein.StatusMember
	case biebplein.StatusMember, biebplein.StatusPending, biebplein.StatusInvited:
	default:
		return nil, "", &biebplein.Error{
			Code:    biebplein.CodeInvalid,
			Message: "error.invalid_input",
			Fields:  map[string]string{"status": "error.status_invalid"},
		}
	}
	where := []string{"m.group_id = ?", "m.status = ?"}
	args := []any{f.GroupID, string(status)}
	if f.After != "" {
		c, err := decodeMemberCursor(f.After)
		if err != nil {
			return nil, "", err
		}
		where = append(where, "("+memberOrder+" > ? OR ("+memberOrder+" = ? AND (p.name_key > ? OR (p.name_key = ? AND p.id > ?))))")
		args = append(args, c.Rank, c.Rank, c.NameKey, c.NameKey, c.ID)
	}
	limit := f.Limit
	if limit > 0 {
		limit++ // one more, to learn whether there is a next page
	}
	c := db.read()
	rows, err := c.query(ctx, "SELECT "+membershipColumns+`, `+memberOrder+`,
			p.id, p.email, p.name, p.name_key, p.kind, p.admin, p.function, p.bio, p.locale, p.simple,
			p.password_hash, p.deactivated_at, p.created_at, p.updated_at, o.id, o.name, o.kind
		FROM group_members m
		JOIN people p ON p.id = m.person_id
		JOIN organisations o ON o.id = p.organisation_id`+whereClause(where)+`
		ORDER BY `+memberOrder+`, p.name_key, p.id`+limitClause(limit), args...)
	if err != nil {
		return nil, "", wrap("find members", err)
	}
	defer rows.Close()

	var members []*biebplein.Member
	var keys []memberCursor
	for rows.Next() {
		var mb biebplein.Member
		var p biebplein.Person
		var key memberCursor
		dest, finish := membershipDest(&mb.Membership)
		dest = append(dest, &key.Rank,
			&p.ID, &p.Email, &p.Name, &key.NameKey, &p.Kind, &p.Admin, &p.Function, &p.Bio, &p.Locale, &p.Simple,
			&p.PasswordHash, nullTime{&p.DeactivatedAt}, utcTime{&p.CreatedAt}, utcTime{&p.UpdatedAt},
			&p.Organisation.ID, &p.Organisation.Name, &p.Organisation.Kind)
		if err := rows.Scan(dest...); err != nil {
			return nil, "", wrap("scan member", err)
		}
		finish()
		key.ID = p.ID
		mb.Person = &p
		members = append(members, &mb)
		keys = append(keys, key)
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap("find members", err)
	}
	rows.Close()

	next := ""
	if f.Limit > 0 && len(members) > f.Limit {
		members = members[:f.Limit]
		next = keys[f.Limit-1].encode()
	}
	people := make([]*biebplein.Person, len(members))
	for i, mb := range members {
		people[i] = mb.Person
	}
	if err := loadTags(ctx, c, people); err != nil {
		return nil, "", err
	}
	return members, next, nil
}

// memberCursor is the position after which the next page of members starts: the keyset of
// the last member on the previous page, as opaque text.
type memberCursor struct {
	Rank    int    `json:"r"` // memberOrder: 0 for admins
	NameKey string `json:"n"`
	ID      string `json:"i"`
}

func (c memberCursor) encode() string {
	b, _ := json.Marshal(c) // an int and two strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeMemberCursor(s string) (memberCursor, error) {
	var c memberCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID == "" || (c.Rank != 0 && c.Rank != 1) ||
		storableText(c.NameKey+c.ID) != c.NameKey+c.ID {
		return c, biebplein.Errorf(biebplein.CodeInvalid, "error.cursor_invalid")
	}
	return c, nil
}
