package bench

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/biebplein/biebplein"
)

// TestCommentsBeforeTheEnd: a post's comments come after it and before the end of the
// generated history; a post of the last minutes has few or none, not a pile at the end.
func TestCommentsBeforeTheEnd(t *testing.T) {
	end := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	g := &generator{rng: rand.New(rand.NewPCG(1, 2)), end: end,
		w: &World{People: []*Person{{ID: "p1"}}}}
	gr := &Group{Members: []int32{0}}
	late, old := 0, 0
	for i := range 2000 {
		at := end.Add(-time.Duration(i%2) * 30 * 24 * time.Hour).Add(-5 * time.Minute) // five minutes before, or a month
		p := &biebplein.Post{ID: biebplein.NewID(at), CreatedAt: at, Author: biebplein.PersonRef{ID: "p1"}}
		for _, c := range g.comments(gr, p) {
			if !c.CreatedAt.After(p.CreatedAt) || !c.CreatedAt.Before(end) {
				t.Fatalf("comment at %v of a post at %v: not between the post and the end %v", c.CreatedAt, p.CreatedAt, end)
			}
			if i%2 == 0 {
				late++
			} else {
				old++
			}
		}
	}
	if old < 2000 || late*10 > old {
		t.Errorf("%d comments on posts of five minutes ago, %d on posts of a month ago: want many on the old, few on the new", late, old)
	}
}
