package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// setupLock is the PostgreSQL advisory lock key under which first-time setup runs, so that
// two setup links used at once cannot both create an administrator.
const setupLock = 0x62696562_706c6e02

// CreateInvitation stores inv, setting its ID when empty and its CreatedAt when zero.
// Earlier unused invitations with the same purpose for the same person (for setup: all
// earlier unused setup links) are deleted in the same transaction, so only the newest link
// works.
func (db *DB) CreateInvitation(ctx context.Context, inv *biebplein.Invitation) error {
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = dbNow()
	}
	inv.CreatedAt, inv.ExpiresAt = dbTime(inv.CreatedAt), dbTime(inv.ExpiresAt)
	if inv.UsedAt != nil {
		at := dbTime(*inv.UsedAt)
		inv.UsedAt = &at
	}
	if inv.ID == "" {
		inv.ID = biebplein.NewID(inv.CreatedAt)
	}
	return db.inTx(ctx, func(tx conn) error {
		var err error
		if inv.Purpose == biebplein.InviteSetup {
			_, err = tx.exec(ctx, "DELETE FROM invitations WHERE purpose = ? AND used_at IS NULL",
				string(inv.Purpose))
		} else {
			_, err = tx.exec(ctx, "DELETE FROM invitations WHERE purpose = ? AND person_id = ? AND used_at IS NULL",
				string(inv.Purpose), inv.PersonID)
		}
		if err != nil {
			return wrap("invalidate invitations", err)
		}
		_, err = tx.exec(ctx, `INSERT INTO invitations
			(id, purpose, person_id, created_by, token_hash, created_at, expires_at, used_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			inv.ID, string(inv.Purpose), nullString(inv.PersonID), nullString(inv.CreatedBy), inv.TokenHash,
			inv.CreatedAt, inv.ExpiresAt, inv.UsedAt)
		if err != nil || inv.Link == "" || inv.PersonID == "" {
			return wrap("create invitation", err)
		}
		return writeInvitationMail(ctx, tx, inv)
	})
}

// FindInvitation returns the unused, unexpired invitation with this token hash, or not_found.
func (db *DB) FindInvitation(ctx context.Context, hash string, now time.Time) (*biebplein.Invitation, error) {
	var inv biebplein.Invitation
	var personID, createdBy sql.NullString
	err := db.read().queryRow(ctx, `SELECT id, purpose, person_id, created_by, token_hash, created_at, expires_at, used_at
		FROM invitations WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, hash, now).
		Scan(&inv.ID, &inv.Purpose, &personID, &createdBy, &inv.TokenHash, utcTime{&inv.CreatedAt},
			utcTime{&inv.ExpiresAt}, nullTime{&inv.UsedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, wrap("find invitation", err)
	}
	inv.PersonID, inv.CreatedBy = personID.String, createdBy.String
	return &inv, nil
}

// useInvitation marks the unused, unexpired invitation with this hash and purpose used and
// returns its person's ID; not_found when there is none. Marking and checking are one
// statement, so of two concurrent uses of one link only one succeeds.
func useInvitation(ctx context.Context, tx conn, hash string, purpose biebplein.InvitationPurpose, now time.Time) (string, error) {
	var personID sql.NullString
	err := tx.queryRow(ctx, `UPDATE invitations SET used_at = ?
		WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
		RETURNING person_id`, now, hash, string(purpose), now).Scan(&personID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errNotFound()
	}
	return personID.String, wrap("use invitation", err)
}

// AcceptInvitation, in one transaction, marks the join invitation used (not_found if it is
// used, expired or unknown) and sets the password hash of its person, whom it returns.
func (db *DB) AcceptInvitation(ctx context.Context, hash, passwordHash string, now time.Time) (*biebplein.Person, error) {
	var p *biebplein.Person
	err := db.inTx(ctx, func(tx conn) error {
		personID, err := useInvitation(ctx, tx, hash, biebplein.InviteJoin, now)
		if err != nil {
			return err
		}
		if err := tx.execOne(ctx, "UPDATE people SET password_hash = ?, updated_at = ? WHERE id = ?",
			passwordHash, dbTime(now), personID); err != nil {
			return wrap("set password", err)
		}
		p, err = findPerson(ctx, tx, biebplein.PersonFilter{ID: personID, Status: biebplein.StatusAll})
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// CompleteSetup, in one transaction, marks the setup invitation used (not_found if it is
// used, expired or unknown; conflict with error.setup_done if anyone has an account
// already), creates the root support organisation org when it has no ID, and creates the
// administrator p in it (p.Admin is set).
func (db *DB) CompleteSetup(ctx context.Context, hash string, org *biebplein.Organisation, p *biebplein.Person, now time.Time) error {
	newOrg := org.ID == ""
	err := db.inTx(ctx, func(tx conn) error {
		if err := db.dialect.lock(ctx, tx, setupLock); err != nil {
			return err
		}
		if _, err := useInvitation(ctx, tx, hash, biebplein.InviteSetup, now); err != nil {
			return err
		}
		var people int
		if err := tx.queryRow(ctx, "SELECT count(*) FROM people").Scan(&people); err != nil {
			return wrap("count people", err)
		}
		if people > 0 {
			return biebplein.Errorf(biebplein.CodeConflict, "error.setup_done")
		}
		if newOrg {
			if err := createOrganisation(ctx, tx, org); err != nil {
				return err
			}
		}
		p.Organisation.ID = org.ID
		p.Admin = true
		return createPerson(ctx, tx, p)
	})
	if err != nil && newOrg {
		org.ID = "" // rolled back: a retry with the same org must create it again
	}
	return err
}
