package store

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	biebplein "github.com/biebplein/biebplein"
)

// TestRankExpertsPages: rankExperts keeps only the page in order as the candidates go by;
// paging through it with every limit gives everyone who passes, once, in the order of a
// full sort by score, then name key and id (the place in profiles.people), with many ties.
func TestRankExpertsPages(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	p := &profiles{index: map[string]int32{}}
	for i := range 300 {
		pp := profilePerson{id: fmt.Sprintf("p%03d", i), nameKey: fmt.Sprintf("n%03d", i), active: rng.IntN(10) > 0,
			kind: biebplein.KindStaff}
		if rng.IntN(4) == 0 {
			pp.kind = biebplein.KindVolunteer
		}
		p.index[pp.id] = int32(len(p.people))
		p.people = append(p.people, pp)
	}
	candidates := func() []expertCandidate {
		cs := newExpertCandidates(p)
		r := rand.New(rand.NewPCG(9, 9)) // the same candidates in the same order each time
		for range 500 {
			cs.add(p.people[r.IntN(len(p.people))].id, biebplein.ReasonPosts, 1, "")
		}
		return cs.list
	}
	for _, f := range []biebplein.ExpertFilter{{}, {Kind: biebplein.KindVolunteer}} {
		var want []string
		for _, e := range candidates() {
			if pp := p.people[e.person]; pp.active && (f.Kind == "" || pp.kind == f.Kind) {
				want = append(want, fmt.Sprintf("%d %s", scoreOf(e), pp.id))
			}
		}
		slices.SortFunc(want, func(a, b string) int {
			var sa, sb int
			var ia, ib string
			fmt.Sscan(a, &sa, &ia)
			fmt.Sscan(b, &sb, &ib)
			return cmp.Or(cmp.Compare(sb, sa), cmp.Compare(ia, ib))
		})
		for _, limit := range []int{0, 1, 2, 7, 20, 1000} {
			f.Limit = limit
			var got []string
			var after *expertCursor
			for range 1000 {
				page, next, err := rankExperts(context.Background(), conn{}, p, f, candidates(), after)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page {
					got = append(got, fmt.Sprintf("%d %s", e.score, p.people[e.person].id))
				}
				if next == "" {
					break
				}
				c, err := decodeExpertCursor(next)
				if err != nil {
					t.Fatal(err)
				}
				after = &c
			}
			if !slices.Equal(got, want) {
				t.Fatalf("kind %q, limit %d: paged through %d experts, want %d\n got %v\nwant %v", f.Kind, limit, len(got), len(want), got, want)
			}
		}
	}
}

func scoreOf(e expertCandidate) int {
	n := 0
	for _, r := range e.reasons {
		n += biebplein.ReasonScore(r.Kind, r.Count)
	}
	return n
}
