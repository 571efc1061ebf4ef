package store

import (
	"slices"
	"strconv"
	"testing"
)

// bucketLexemes names a range of fine buckets with coarse ones wherever all sixteen of a
// coarse bucket are in it, newest first.
func TestBucketLexemes(t *testing.T) {
	for _, c := range []struct {
		hi, lo int64
		open   bool
		want   []string
	}{
		{5, 5, false, []string{"#f5"}},
		{5, 3, false, []string{"#f5", "#f4", "#f3"}},
		{15, 0, false, []string{"#c0"}},
		{33, 14, false, []string{"#f33", "#f32", "#c1", "#f15", "#f14"}},
		{47, 16, false, []string{"#c2", "#c1"}},
		{30, 17, false, []string{"#f30", "#f29", "#f28", "#f27", "#f26", "#f25", "#f24", "#f23", "#f22", "#f21", "#f20", "#f19", "#f18", "#f17"}},
		// Open above: the coarse bucket of hi is named once the range reaches its start.
		{33, 14, true, []string{"#c2", "#c1", "#f15", "#f14"}},
		{33, 32, true, []string{"#c2"}},
		{33, 33, true, []string{"#f33"}},
		{5, 0, true, []string{"#c0"}},
	} {
		if got := bucketLexemes(c.hi, c.lo, c.open); !slices.Equal(got, c.want) {
			t.Errorf("bucketLexemes(%d, %d, %v) = %q, want %q", c.hi, c.lo, c.open, got, c.want)
		}
	}
	// Every range names each of its buckets once and none outside it (above hi only when
	// open); a range from the start of a coarse bucket, open above, of up to searchFirstStep
	// buckets names at most nine lexemes.
	for hi := int64(0); hi < 200; hi++ {
		for lo := int64(0); lo <= hi; lo++ {
			for _, open := range []bool{false, true} {
				got := bucketLexemes(hi, lo, open)
				seen := map[int64]int{}
				for _, l := range got {
					n, _ := strconv.ParseInt(l[2:], 10, 64)
					if l[:2] == "#c" {
						for b := n << searchCoarseShift; b < (n+1)<<searchCoarseShift; b++ {
							seen[b]++
						}
					} else {
						seen[n]++
					}
				}
				for b := lo; b <= hi; b++ {
					if seen[b] != 1 {
						t.Fatalf("bucketLexemes(%d, %d, %v) = %q names bucket %d %d times", hi, lo, open, got, b, seen[b])
					}
				}
				for b, k := range seen {
					if b < lo || b > hi && !open {
						t.Fatalf("bucketLexemes(%d, %d, %v) = %q names bucket %d (%d times) outside the range", hi, lo, open, got, b, k)
					}
				}
				if open && lo%(1<<searchCoarseShift) == 0 && hi-lo < searchFirstStep && len(got) > 9 {
					t.Fatalf("bucketLexemes(%d, %d, open) = %d lexemes, want at most 9", hi, lo, len(got))
				}
			}
		}
	}
}
