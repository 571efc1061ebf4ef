package auth

import (
	"slices"
	"testing"
)

func TestSign(t *testing.T) {
	tok := Sign("k1", "person", "digest:daily")
	parts, ok := Verify("k1", tok)
	if !ok || !slices.Equal(parts, []string{"person", "digest:daily"}) {
		t.Fatalf("Verify = %v, %v; want the parts back", parts, ok)
	}
	for name, bad := range map[string]string{
		"OtherKey": Sign("k2", "person", "digest:daily"),
		"Changed":  Sign("k1", "other", "digest:daily")[:10] + tok[10:],
		"NoDot":    "abc",
		"Garbage":  "!!.??",
		"Empty":    "",
	} {
		t.Run(name, func(t *testing.T) {
			if _, ok := Verify("k1", bad); ok {
				t.Fatalf("Verify(%q) accepted", bad)
			}
		})
	}
}
