package store

import (
	"encoding/base64"
	"testing"

	"github.com/biebplein/biebplein"
)

// FuzzCursors hands arbitrary text to every cursor parser: a cursor comes from the client
// (?cursor=), so it must give a cursor that encodes back to itself, or invalid, never a panic
// or another error. A cursor that is accepted holds only text the databases can store.
// Seeds: testdata/fuzz/FuzzCursors and the ones below.
//
//	go test -run=^$ -fuzz=^FuzzCursors$ -fuzztime=60s ./store/
func FuzzCursors(f *testing.F) {
	for _, s := range []string{
		cursor{NameKey: "anna de vries", ID: biebplein.NewID(dbNow())}.encode(),
		memberCursor{Rank: 1, NameKey: "henk", ID: biebplein.NewID(dbNow())}.encode(),
		postCursor{ID: biebplein.NewID(dbNow()), Saved: "2026-12-02T13:00:00.123456Z"}.encode(),
		notificationCursor{At: dbNow(), ID: 42}.encode(),
		"", "x", "e30", // e30 is {}
		base64.RawURLEncoding.EncodeToString([]byte(`{"i":"a\u0000b","n":"\ud800"}`)),
		base64.RawURLEncoding.EncodeToString([]byte(`{"r":7,"i":"x"}`)),
		base64.RawURLEncoding.EncodeToString([]byte(`{"t":"0001-01-01T00:00:00Z","i":-1}`)),
		base64.RawURLEncoding.EncodeToString([]byte(`{"s":"not a time","i":"x"}`)),
	} {
		f.Add(s)
	}
	invalid := func(t *testing.T, name, s string, err error) bool {
		t.Helper()
		if err == nil {
			return false
		}
		if got := biebplein.ErrorCode(err); got != biebplein.CodeInvalid {
			t.Fatalf("%s(%q): code %q (%v), want invalid", name, s, got, err)
		}
		return true
	}
	f.Fuzz(func(t *testing.T, s string) {
		if c, err := decodeCursor(s); !invalid(t, "decodeCursor", s, err) {
			if again, err := decodeCursor(c.encode()); err != nil || again != c {
				t.Fatalf("decodeCursor(%q) = %+v, which encodes to %+v, %v", s, c, again, err)
			}
		}
		if c, err := decodeMemberCursor(s); !invalid(t, "decodeMemberCursor", s, err) {
			if again, err := decodeMemberCursor(c.encode()); err != nil || again != c {
				t.Fatalf("decodeMemberCursor(%q) = %+v, which encodes to %+v, %v", s, c, again, err)
			}
		}
		if c, err := decodePostCursor(s); !invalid(t, "decodePostCursor", s, err) {
			again, err := decodePostCursor(c.encode())
			if err != nil || again.ID != c.ID || !again.savedAt.Equal(c.savedAt) {
				t.Fatalf("decodePostCursor(%q) = %+v, which encodes to %+v, %v", s, c, again, err)
			}
		}
		if c, err := decodeNotificationCursor(s); !invalid(t, "decodeNotificationCursor", s, err) {
			again, err := decodeNotificationCursor(c.encode())
			if err != nil || again.ID != c.ID || !again.At.Equal(c.At) {
				t.Fatalf("decodeNotificationCursor(%q) = %+v, which encodes to %+v, %v", s, c, again, err)
			}
		}
	})
}
