package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// CreatePasswordReset stores r, setting its ID when empty and its CreatedAt when zero, drops
// the person's earlier unused links and any mail with one that still waits, and queues the
// mail with r.Link, all in one transaction.
func (db *DB) CreatePasswordReset(ctx context.Context, r *biebplein.PasswordReset) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = dbNow()
	}
	r.CreatedAt, r.ExpiresAt = dbTime(r.CreatedAt), dbTime(r.ExpiresAt)
	if r.ID == "" {
		r.ID = biebplein.NewID(r.CreatedAt)
	}
	return db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, "DELETE FROM password_resets WHERE person_id = ? AND used_at IS NULL", r.PersonID); err != nil {
			return wrap("invalidate password resets", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO password_resets (id, person_id, token_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?)`, r.ID, r.PersonID, r.TokenHash, r.CreatedAt, r.ExpiresAt); err != nil {
			return wrap("create password reset", err)
		}
		return writeLinkMail(ctx, tx, "password_reset", r.PersonID, r.ID, r.Link, r.CreatedAt)
	})
}

// FindPasswordReset returns the unused, unexpired link with this token hash, or not_found.
func (db *DB) FindPasswordReset(ctx context.Context, hash string, now time.Time) (*biebplein.PasswordReset, error) {
	var r biebplein.PasswordReset
	err := db.read().queryRow(ctx, `SELECT id, person_id, token_hash, created_at, expires_at FROM password_resets
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, hash, dbTime(now)).
		Scan(&r.ID, &r.PersonID, &r.TokenHash, utcTime{&r.CreatedAt}, utcTime{&r.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	return &r, wrap("find password reset", err)
}

// UsePasswordReset, in one transaction, marks the link used (not_found when it is used,
// expired or unknown: checking and marking are one statement, so of two uses at once only one
// succeeds), sets the password hash and deletes every session and API token of the person.
func (db *DB) UsePasswordReset(ctx context.Context, hash, passwordHash string, now time.Time) (*biebplein.Person, error) {
	now = dbTime(now)
	var p *biebplein.Person
	err := db.inTx(ctx, func(tx conn) error {
		var personID string
		err := tx.queryRow(ctx, `UPDATE password_resets SET used_at = ?
			WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING person_id`, now, hash, now).Scan(&personID)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotFound()
		}
		if err != nil {
			return wrap("use password reset", err)
		}
		if err := tx.execOne(ctx, "UPDATE people SET password_hash = ?, updated_at = ? WHERE id = ?",
			passwordHash, now, personID); err != nil {
			return wrap("set password", err)
		}
		for _, table := range []string{"sessions", "api_tokens"} {
			if _, err := tx.exec(ctx, "DELETE FROM "+table+" WHERE person_id = ?", personID); err != nil {
				return wrap("end sessions", err)
			}
		}
		p, err = findPerson(ctx, tx, biebplein.PersonFilter{ID: personID, Status: biebplein.StatusAll})
		return err
	})
	return p, err
}
