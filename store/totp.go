package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

// StartTOTP stores a new unconfirmed secret, replacing an unconfirmed one; conflict when
// two-factor is on.
func (db *DB) StartTOTP(ctx context.Context, personID, secret string, at time.Time) error {
	return db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `INSERT INTO totp_secrets (person_id, secret, created_at) VALUES (?, ?, ?)
			ON CONFLICT (person_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = 0
			WHERE totp_secrets.confirmed_at IS NULL`, personID, secret, dbTime(at))
		if err != nil {
			if isForeignKey(err) {
				return errNotFound()
			}
			return wrap("start totp", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return biebplein.Errorf(biebplein.CodeConflict, "error.totp_on_already")
		}
		return nil
	})
}

// FindTOTP returns the person's secret, or not_found.
func (db *DB) FindTOTP(ctx context.Context, personID string) (*biebplein.TOTP, error) {
	t := biebplein.TOTP{PersonID: personID}
	err := db.read().queryRow(ctx, `SELECT secret, confirmed_at, last_step, created_at FROM totp_secrets WHERE person_id = ?`,
		personID).Scan(&t.Secret, nullTime{&t.ConfirmedAt}, &t.LastStep, utcTime{&t.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNotFound()
	}
	return &t, wrap("find totp", err)
}

// ConfirmTOTP turns two-factor on with its recovery codes, in one transaction.
func (db *DB) ConfirmTOTP(ctx context.Context, personID string, step int64, recoveryHashes []string, at time.Time) error {
	return db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, `UPDATE totp_secrets SET confirmed_at = ?, last_step = ?
			WHERE person_id = ? AND confirmed_at IS NULL`, dbTime(at), step, personID); err != nil {
			return wrap("confirm totp", err)
		}
		if err := writeRecoveryCodes(ctx, tx, personID, recoveryHashes); err != nil {
			return err
		}
		_, err := tx.exec(ctx, "UPDATE people SET totp_enabled = TRUE, updated_at = ? WHERE id = ?", dbTime(at), personID)
		return wrap("enable totp", err)
	})
}

func writeRecoveryCodes(ctx context.Context, tx conn, personID string, hashes []string) error {
	if _, err := tx.exec(ctx, "DELETE FROM recovery_codes WHERE person_id = ?", personID); err != nil {
		return wrap("delete recovery codes", err)
	}
	if len(hashes) == 0 {
		return nil
	}
	values := make([]string, 0, len(hashes))
	args := make([]any, 0, 2*len(hashes))
	for _, h := range hashes {
		values = append(values, "(?, ?)")
		args = append(args, personID, h)
	}
	_, err := tx.exec(ctx, "INSERT INTO recovery_codes (person_id, code_hash) VALUES "+strings.Join(values, ", "), args...)
	return wrap("write recovery codes", err)
}

// UseTOTPStep records the use of step; not_found when step or a later one was used.
func (db *DB) UseTOTPStep(ctx context.Context, personID string, step int64) error {
	return db.change(ctx, func(c conn) error {
		return wrap("use totp step", c.execOne(ctx, `UPDATE totp_secrets SET last_step = ?
			WHERE person_id = ? AND confirmed_at IS NOT NULL AND last_step < ?`, step, personID, step))
	})
}

// UseRecoveryCode marks a recovery code used; not_found when unknown or used.
func (db *DB) UseRecoveryCode(ctx context.Context, personID, hash string, at time.Time) error {
	return db.change(ctx, func(c conn) error {
		return wrap("use recovery code", c.execOne(ctx, `UPDATE recovery_codes SET used_at = ?
			WHERE person_id = ? AND code_hash = ? AND used_at IS NULL`, dbTime(at), personID, hash))
	})
}

// DisableTOTP removes the secret and recovery codes and clears the flag, in one transaction.
func (db *DB) DisableTOTP(ctx context.Context, personID string) error {
	return db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, "DELETE FROM totp_secrets WHERE person_id = ?", personID); err != nil {
			return wrap("delete totp", err)
		}
		if err := writeRecoveryCodes(ctx, tx, personID, nil); err != nil {
			return err
		}
		return wrap("disable totp", tx.execOne(ctx, "UPDATE people SET totp_enabled = FALSE, updated_at = ? WHERE id = ?", dbNow(), personID))
	})
}
