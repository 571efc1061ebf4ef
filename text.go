package biebplein

import (
	"crypto/rand"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// NormalizeName trims a name and collapses inner white space.
func NormalizeName(s string) string { return collapseSpace(s) }

// collapseSpace trims s and replaces runs of white space by one space, in NFC form.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// trimText trims s at both ends and normalises line endings, keeping inner line breaks.
func trimText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSpace(norm.NFC.String(s))
}

// NormalizeTag returns the canonical form of a tag: lower case, single spaces, no leading '#',
// diacritics kept (they are part of Dutch spelling); "" when nothing is left.
func NormalizeTag(s string) string {
	s = strings.TrimLeft(strings.TrimSpace(s), "#")
	return strings.ToLower(collapseSpace(s))
}

// NormalizeTags normalises tags, drops empty ones and duplicates, and keeps the given order.
func NormalizeTags(in []string) []string {
	out := make([]string, 0, len(in))
	for _, t := range in {
		t = NormalizeTag(t)
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// SplitTags splits a comma-separated list as typed in a form field.
func SplitTags(s string) []string {
	return NormalizeTags(strings.Split(s, ","))
}

// ValidText reports whether s is valid UTF-8 without control characters other than line
// breaks and tabs.
func ValidText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return false
		}
	}
	return true
}

func checkText(v *Validation, field, s string, max int, required bool) {
	switch {
	case !ValidText(s):
		v.Add(field, "error.text_invalid")
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "error."+field+"_required")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "error."+field+"_too_long")
	}
}

// ValidateEmail checks that s (normalised) looks like an e-mail address.
func ValidateEmail(field, s string) error {
	var v Validation
	checkEmail(&v, field, s)
	return v.Err()
}

func checkEmail(v *Validation, field, s string) {
	switch {
	case !ValidText(s):
		v.Add(field, "error.text_invalid")
	case s == "":
		v.Add(field, "error.email_required")
	case len(s) > MaxEmailLen || !validEmail(s):
		v.Add(field, "error.email_invalid")
	}
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at:], ".") && !strings.ContainsAny(s, " <>")
}

func checkTags(v *Validation, field string, tags []string) {
	if len(tags) > MaxTags {
		v.Add(field, "error.tags_too_many")
		return
	}
	for _, t := range tags {
		if !ValidText(t) {
			v.Add(field, "error.text_invalid")
			return
		}
		if utf8.RuneCountInString(t) > MaxTagLen {
			v.Add(field, "error.tag_too_long")
			return
		}
	}
}

// Password limits in characters. Long passphrases are welcome; the upper bound keeps hashing
// cheap for attackers' oversized inputs.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 200
)

// ValidatePassword checks a new password on its own.
func ValidatePassword(field, pw string) error {
	var v Validation
	checkPassword(&v, field, pw)
	return v.Err()
}

func checkPassword(v *Validation, field, pw string) {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		v.Add(field, "error.text_invalid")
	case n < MinPasswordLen:
		v.Add(field, "error.password_too_short")
	case n > MaxPasswordLen:
		v.Add(field, "error.password_too_long")
	}
}

// NewID returns a new opaque identifier: 26 characters of Crockford base32, ordered by the time
// of creation (48 bits of milliseconds) and unguessable (80 random bits), like a ULID.
func NewID(now time.Time) string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	var b [16]byte
	ms := uint64(now.UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	_, _ = rand.Read(b[6:])
	// 128 bits -> 26 base32 characters, most significant first.
	out := make([]byte, 26)
	var hi, lo uint64
	for i := 0; i < 8; i++ {
		hi = hi<<8 | uint64(b[i])
		lo = lo<<8 | uint64(b[8+i])
	}
	for i := 25; i >= 0; i-- {
		out[i] = alphabet[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out)
}

// Snippet returns the start of a text on one line, for a notification or an e-mail: at most
// max characters, cut at a word where one ends in the second half, with "…" when cut.
func Snippet(s string, max int) string {
	s = collapseSpace(s)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut := string([]rune(s)[:max-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
