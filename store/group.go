package store

import (
	"context"

	biebplein "github.com/biebplein/biebplein"
)

func errGroupNameTaken() error {
	return &biebplein.Error{
		Code:    biebplein.CodeConflict,
		Message: "error.group_name_taken",
		Fields:  map[string]string{"name": "error.group_name_taken"},
	}
}

func errPersonInvalid(field string) error {
	return &biebplein.Error{
		Code:    biebplein.CodeInvalid,
		Message: "error.invalid_input",
		Fields:  map[string]string{field: "error.person_invalid"},
	}
}

// groupWriteError turns constraint violations of a groups row into the domain's errors: the
// name is the only unique column and the organisation the only reference a caller chooses
// (the creator is checked before the insert).
func groupWriteError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case isUnique(err):
		return errGroupNameTaken()
	case isForeignKey(err):
		return errOrganisationInvalid()
	}
	return wrap(op, err)
}

// CreateGroup stores g, setting its ID (when empty), times and CreatedBy, and makes creatorID
// its admin, in one transaction; g.MemberCount becomes 1 and g.Membership the creator's.
// Returns conflict (error.group_name_taken), and invalid for an unknown organisation
// (error.organisation_invalid) or creator (error.person_invalid).
func (db *DB) CreateGroup(ctx context.Context, g *biebplein.Group, creatorID string) error {
	t := dbNow()
	id := g.ID
	if id == "" {
		id = biebplein.NewID(t)
	}
	m := &biebplein.Membership{GroupID: id, PersonID: creatorID, Role: biebplein.RoleAdmin,
		Status: biebplein.StatusMember, CreatedAt: t, UpdatedAt: t}
	err := db.inTx(ctx, func(tx conn) error {
		var n int
		if err := tx.queryRow(ctx, "SELECT count(*) FROM people WHERE id = ?", creatorID).Scan(&n); err != nil {
			return wrap("create group", err)
		}
		if n == 0 {
			return errPersonInvalid("created_by")
		}
		_, err := tx.exec(ctx, `INSERT INTO groups (id, name, name_key, description, visibility, organisation_id,
				image_id, member_count, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
			id, g.Name, nameKey(g.Name), g.Description, string(g.Visibility), nullString(g.OrganisationID),
			g.ImageID, creatorID, t, t)
		if err != nil {
			return groupWriteError("create group", err)
		}
		if err := insertMembership(ctx, tx, m); err != nil {
			return wrap("create group", err)
		}
		if err := indexGroup(ctx, tx, id); err != nil {
			return err
		}
		return bumpProfiles(ctx, tx) // the expertise finder matches group names in memory
	})
	if err != nil {
		return err
	}
	g.ID, g.CreatedBy, g.CreatedAt, g.UpdatedAt = id, creatorID, t, t
	g.MemberCount, g.Membership = 1, m
	return nil
}

// UpdateGroup stores the name, description, visibility, organisation and image of g and sets
// its UpdatedAt. Returns not_found, conflict (error.group_name_taken), and invalid for an
// unknown organisation (error.organisation_invalid).
func (db *DB) UpdateGroup(ctx context.Context, g *biebplein.Group) error {
	t := dbNow()
	err := db.inTx(ctx, func(tx conn) error {
		err := tx.execOne(ctx, `UPDATE groups
			SET name = ?, name_key = ?, description = ?, visibility = ?, organisation_id = ?, image_id = ?, updated_at = ?
			WHERE id = ?`,
			g.Name, nameKey(g.Name), g.Description, string(g.Visibility), nullString(g.OrganisationID), g.ImageID, t, g.ID)
		if err != nil {
			return err
		}
		if err := indexGroup(ctx, tx, g.ID); err != nil {
			return err
		}
		if err := bumpProfiles(ctx, tx); err != nil {
			return err
		}
		return bumpFeedEpoch(ctx, tx) // who reads its posts may have changed
	})
	if err != nil {
		return groupWriteError("update group", err)
	}
	g.UpdatedAt = t
	return nil
}
