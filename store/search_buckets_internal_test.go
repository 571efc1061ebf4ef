package store

import (
	"slices"
	"testing"
)

// bucketLexemes names a range of fine buckets with coarse ones wherever all sixteen of a
// coarse bucket are in it, newest first.
func TestBucketLexemes(t *testing.T) {
	for _, c := range []struct {
		hi, lo int64
		want   []string
	}{
		{5, 5, []string{"#f5"}},
		{5, 3, []string{"#f5", "#f4", "#f3"}},
		{15, 0, []string{"#c0"}},
		{33, 14, []string{"#f33", "#f32", "#c1", "#f15", "#f14"}},
		{47, 16, []string{"#c2", "#c1"}},
		{30, 17, []string{"#f30", "#f29", "#f28", "#f27", "#f26", "#f25", "#f24", "#f23", "#f22", "#f21", "#f20", "#f19", "#f18", "#f17"}},
	} {
		if got := bucketLexemes(c.hi, c.lo); !slices.Equal(got, c.want) {
			t.Errorf("bucketLexemes(%d, %d) = %q, want %q", c.hi, c.lo, got, c.want)
		}
	}
}
