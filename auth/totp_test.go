package auth

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"strings"
	"testing"
	"time"
)

// The test vectors of RFC 6238, appendix B: eight digits, the seeds for SHA-1, SHA-256 and
// SHA-512 (20, 32 and 64 bytes of "1234567890" repeated).
func TestHOTPRFC6238Vectors(t *testing.T) {
	seed := func(n int) []byte { return []byte(strings.Repeat("1234567890", 7)[:n]) }
	vectors := []struct {
		unix                 int64
		sha1, sha256, sha512 string
	}{
		{59, "94287082", "46119246", "90693936"},
		{1111111109, "07081804", "68084774", "25091201"},
		{1111111111, "14050471", "67062674", "99943326"},
		{1234567890, "89005924", "91819424", "93441116"},
		{2000000000, "69279037", "90698825", "38618901"},
		{20000000000, "65353130", "77737706", "47863826"},
	}
	for _, v := range vectors {
		step := TOTPStepAt(time.Unix(v.unix, 0))
		for _, h := range []struct {
			name string
			fn   func() hash.Hash
			key  []byte
			want string
		}{
			{"SHA1", sha1.New, seed(20), v.sha1},
			{"SHA256", sha256.New, seed(32), v.sha256},
			{"SHA512", sha512.New, seed(64), v.sha512},
		} {
			if got := HOTP(h.key, step, 8, h.fn); got != h.want {
				t.Errorf("T=%d %s: got %s, want %s", v.unix, h.name, got, h.want)
			}
		}
	}
}

func TestCheckTOTP(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Date(2026, 12, 2, 12, 0, 10, 0, time.UTC)
	code := TOTPCode(secret, now)
	if len(code) != TOTPDigits {
		t.Fatalf("code %q", code)
	}
	t.Run("WithinOneStep", func(t *testing.T) {
		for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
			if _, ok := CheckTOTP(secret, code, now.Add(d), 0); !ok {
				t.Errorf("code refused %v from its step", d)
			}
		}
	})
	t.Run("ErrTooOld", func(t *testing.T) {
		if _, ok := CheckTOTP(secret, code, now.Add(90*time.Second), 0); ok {
			t.Fatal("a code three steps old was accepted")
		}
	})
	t.Run("ErrReused", func(t *testing.T) {
		step, ok := CheckTOTP(secret, code, now, 0)
		if !ok || step != TOTPStepAt(now) {
			t.Fatalf("first use: %d %v", step, ok)
		}
		if _, ok := CheckTOTP(secret, code, now.Add(20*time.Second), step); ok {
			t.Fatal("a used code was accepted again")
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, c := range []string{"", "12345", "1234567", "abcdef"} {
			if _, ok := CheckTOTP(secret, c, now, 0); ok {
				t.Errorf("code %q accepted", c)
			}
		}
		if _, ok := CheckTOTP("not base32!", code, now, 0); ok {
			t.Error("a bad secret accepted a code")
		}
	})
	t.Run("SpacesAndLowerCase", func(t *testing.T) {
		if _, ok := CheckTOTP(strings.ToLower(secret), code[:3]+" "+code[3:], now, 0); !ok {
			t.Error("lower-case secret or a code with a space refused")
		}
	})
	t.Run("URI", func(t *testing.T) {
		u := TOTPURI("JBSWY3DPEHPK3PXP", "Biebplein", "anna@bieb.nl")
		want := "otpauth://totp/Biebplein:anna@bieb.nl?algorithm=SHA1&digits=6&issuer=Biebplein&period=30&secret=JBSWY3DPEHPK3PXP"
		if u != want {
			t.Fatalf("got  %s\nwant %s", u, want)
		}
	})
}
