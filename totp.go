package biebplein

import (
	"context"
	"time"
)

// TOTP is a person's second factor: a secret shared with their authenticator app. It is
// on once confirmed with a code.
type TOTP struct {
	PersonID    string
	Secret      string // base32; never leaves the process after enrolment, never audited
	ConfirmedAt *time.Time
	LastStep    int64 // the newest time step whose code was used
	CreatedAt   time.Time
}

// RecoveryCodeCount is how many single-use recovery codes a person gets.
const RecoveryCodeCount = 10

// TOTPStore keeps second factors and recovery codes.
type TOTPStore interface {
	// StartTOTP stores a new unconfirmed secret for a person, replacing an unconfirmed one.
	// Returns conflict (error.totp_on_already) when two-factor is on.
	StartTOTP(ctx context.Context, personID, secret string, at time.Time) error
	// FindTOTP returns the person's secret, confirmed or not, or not_found.
	FindTOTP(ctx context.Context, personID string) (*TOTP, error)
	// ConfirmTOTP turns two-factor on in one transaction: the secret is confirmed with the
	// step used, the recovery codes are replaced by these hashes, Person.TOTPEnabled is set.
	// Returns not_found when there is no unconfirmed secret.
	ConfirmTOTP(ctx context.Context, personID string, step int64, recoveryHashes []string, at time.Time) error
	// UseTOTPStep records the use of step; not_found when step or a later one was used
	// already, so that of two uses of one code, even at the same moment, one fails.
	UseTOTPStep(ctx context.Context, personID string, step int64) error
	// UseRecoveryCode marks a recovery code used; not_found when unknown or used.
	UseRecoveryCode(ctx context.Context, personID, hash string, at time.Time) error
	// DisableTOTP removes the secret and recovery codes and clears Person.TOTPEnabled.
	DisableTOTP(ctx context.Context, personID string) error
}
