package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Sign returns a token that carries parts (which must not contain "~") and proves, with an
// HMAC-SHA256 under key, that this site made it: for links that work without signing in,
// such as "stop these e-mails". Anyone holding the token can use it, so it should do little.
func Sign(key string, parts ...string) string {
	msg := strings.Join(parts, "~")
	return base64.RawURLEncoding.EncodeToString([]byte(msg)) + "." + base64.RawURLEncoding.EncodeToString(mac(key, msg))
}

// Verify returns the parts of a token made by Sign with key, or false when it was not.
func Verify(key, token string) ([]string, bool) {
	body, sig, ok := strings.Cut(token, ".")
	if !ok {
		return nil, false
	}
	msg, err1 := base64.RawURLEncoding.DecodeString(body)
	got, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(got, mac(key, string(msg))) {
		return nil, false
	}
	return strings.Split(string(msg), "~"), true
}

func mac(key, msg string) []byte {
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte(msg))
	return h.Sum(nil)[:18] // 144 bits: short links, far beyond guessing
}
