package auth

import (
	"strings"
	"testing"
)

func TestPassword(t *testing.T) {
	hash, err := HashPassword("correct horse battery", FastParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash = %q, want argon2id PHC form", hash)
	}
	t.Run("Match", func(t *testing.T) {
		ok, err := CheckPassword("correct horse battery", hash)
		if err != nil || !ok {
			t.Fatalf("CheckPassword = %v, %v; want true, nil", ok, err)
		}
	})
	t.Run("Mismatch", func(t *testing.T) {
		ok, err := CheckPassword("correct horse batterY", hash)
		if err != nil || ok {
			t.Fatalf("CheckPassword = %v, %v; want false, nil", ok, err)
		}
	})
	t.Run("SaltDiffers", func(t *testing.T) {
		other, _ := HashPassword("correct horse battery", FastParams)
		if other == hash {
			t.Fatal("two hashes of one password are equal: salt missing")
		}
	})
	t.Run("Malformed", func(t *testing.T) {
		for _, h := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x$AAAA$AAAA", "$argon2id$v=19$m=64,t=0,p=1$AAAA$AAAA"} {
			if _, err := CheckPassword("x", h); err != ErrMalformedHash {
				t.Errorf("CheckPassword(%q) err = %v, want ErrMalformedHash", h, err)
			}
		}
	})
}

func TestToken(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) != 43 {
		t.Fatalf("tokens %q %q: want two distinct 43-character tokens", a, b)
	}
	if HashToken(a) == HashToken(b) || len(HashToken(a)) != 64 {
		t.Fatal("token hashes must differ and be 64 hex characters")
	}
	if HashToken(a) != HashToken(a) {
		t.Fatal("HashToken is not deterministic")
	}
}

func TestGeneratePassword(t *testing.T) {
	pw := GeneratePassword()
	if len(pw) != 23 || strings.Count(pw, "-") != 3 {
		t.Fatalf("GeneratePassword() = %q, want 4 groups of 5", pw)
	}
}
