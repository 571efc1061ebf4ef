package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"hash"
	"net/url"
	"strings"
	"time"
)

// TOTP (RFC 6238) with the parameters every authenticator app understands: HMAC-SHA-1,
// six digits, a 30-second step. Written here because it is a few dozen lines of the
// standard library.
const (
	TOTPStep   = 30 * time.Second
	TOTPDigits = 6
	// TOTPSkew is how many steps before and after now a code is accepted, for clocks
	// that drift and people who type slowly.
	TOTPSkew = 1
)

// NewTOTPSecret returns a random 20-byte secret (RFC 4226's recommended length) in
// unpadded base32, the form apps ask for.
func NewTOTPSecret() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// decodeTOTPSecret reads a base32 secret, leniently: lower case, spaces and padding.
func decodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(secret))
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
}

// TOTPStepAt is the number of the time step that t falls in.
func TOTPStepAt(t time.Time) int64 { return t.Unix() / int64(TOTPStep/time.Second) }

// HOTP is RFC 4226's one-time password of key for counter, with digits digits, computed
// with hash (sha1.New for ordinary TOTP; the RFC 6238 test vectors also use SHA-256/512).
func HOTP(key []byte, counter int64, digits int, hash func() hash.Hash) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(hash, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, v%mod)
}

// TOTPCode is the code of secret (base32) at time t; "" for a secret that is not base32.
func TOTPCode(secret string, t time.Time) string {
	key, err := decodeTOTPSecret(secret)
	if err != nil || len(key) == 0 {
		return ""
	}
	return HOTP(key, TOTPStepAt(t), TOTPDigits, sha1Hash)
}

// CheckTOTP reports whether code is the code of secret at a step within TOTPSkew of now
// and after lastStep (a code, once used, never works again, not even within its window);
// it returns the step it matched, to be stored as the new lastStep.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	key, err := decodeTOTPSecret(secret)
	if err != nil || len(key) == 0 || len(code) != TOTPDigits {
		return 0, false
	}
	step := TOTPStepAt(now)
	for s := step - TOTPSkew; s <= step+TOTPSkew; s++ {
		if s <= lastStep {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(HOTP(key, s, TOTPDigits, sha1Hash)), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// TOTPURI is the otpauth:// URI that authenticator apps read (as text or from a QR code),
// labelled "issuer:account".
func TOTPURI(secret, issuer, account string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", fmt.Sprint(TOTPDigits))
	v.Set("period", fmt.Sprint(int(TOTPStep/time.Second)))
	label := url.PathEscape(issuer + ":" + account)
	return "otpauth://totp/" + label + "?" + v.Encode()
}

func sha1Hash() hash.Hash { return sha1.New() }
