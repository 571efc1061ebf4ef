package store

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

func TestEpochCache(t *testing.T) {
	t.Run("OnlyTheNewestEpoch", func(t *testing.T) {
		c := newEpochCache[string](1000, 10)
		c.put(5, "a", "A5", 10)
		if v, ok := c.get(5, "a"); !ok || v != "A5" {
			t.Fatalf("get(5, a) = %q, %v", v, ok)
		}
		if _, ok := c.get(4, "a"); ok {
			t.Fatal("a value of epoch 5 given for epoch 4")
		}
		c.put(4, "b", "B4", 10) // read before the epoch moved: never useful again
		if n, _ := c.usage(); n != 1 {
			t.Fatalf("%d entries after an older put, want 1", n)
		}
		c.put(6, "b", "B6", 10)
		if _, ok := c.get(6, "a"); ok {
			t.Fatal("a value of epoch 5 kept at epoch 6")
		}
		if n, b := c.usage(); n != 1 || b != 10 {
			t.Fatalf("usage at epoch 6 = %d entries, %d bytes; want 1, 10", n, b)
		}
	})

	t.Run("WithinItsBudget", func(t *testing.T) {
		c := newEpochCache[int](100, 1000)
		for i := range 50 {
			c.put(1, fmt.Sprint(i), i, 10)
			if _, b := c.usage(); b > 100 {
				t.Fatalf("%d bytes after %d puts, budget 100", b, i+1)
			}
		}
		if n, b := c.usage(); n != 10 || b != 100 {
			t.Fatalf("usage = %d entries, %d bytes; want 10 and 100 (full, not emptied)", n, b)
		}
		if _, ok := c.get(1, "49"); !ok {
			t.Fatal("the newest entry was dropped")
		}
		c.put(1, "big", 0, 101)
		if _, ok := c.get(1, "big"); ok {
			t.Fatal("an entry larger than the budget was kept")
		}
	})

	t.Run("AtMostMaxEntries", func(t *testing.T) {
		c := newEpochCache[int](1<<20, 3)
		for i := range 10 {
			c.put(1, fmt.Sprint(i), i, 1)
		}
		if n, _ := c.usage(); n != 3 {
			t.Fatalf("%d entries, want 3", n)
		}
	})

	t.Run("ReplacingCountsOnce", func(t *testing.T) {
		c := newEpochCache[int](100, 10)
		c.put(1, "a", 1, 40)
		c.put(1, "a", 2, 30)
		if n, b := c.usage(); n != 1 || b != 30 {
			t.Fatalf("usage = %d entries, %d bytes; want 1, 30", n, b)
		}
	})
}

// The estimates must be near what the entries hold, or the budgets bound nothing: the heap
// a thousand cards and heads take is compared with the sum of their estimates.
func TestCacheEstimates(t *testing.T) {
	const n = 1000
	body := strings.Repeat("Voorlezen in de bibliotheek. ", 12)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	check := func(t *testing.T, what string, estimated int, used uint64) {
		t.Helper()
		ratio := float64(used) / float64(estimated)
		t.Logf("%s: %d bytes on the heap, %d estimated (%.2f)", what, used, estimated, ratio)
		if ratio < 0.5 || ratio > 2 {
			t.Errorf("%s: %d bytes on the heap, %d estimated (%.2f); want within a factor 2", what, used, estimated, ratio)
		}
	}

	t.Run("Cards", func(t *testing.T) {
		before := heap()
		posts := make([]*biebplein.Post, n)
		estimated := 0
		for i := range posts {
			p := &biebplein.Post{ID: biebplein.NewID(time.Now()), Group: biebplein.GroupRef{ID: biebplein.NewID(time.Now()), Name: "Leesclub"},
				Author: biebplein.PersonRef{ID: biebplein.NewID(time.Now()), Name: "Fatima el Amrani"},
				Body:   body + fmt.Sprint(i), HTML: "<p>" + body + fmt.Sprint(i) + "</p>", Text: body + fmt.Sprint(i),
				Topics: []string{"voorlezen"}, Reactions: map[biebplein.ReactionKind]int{"like": 3}, CommentCount: 2}
			for j := range 2 {
				p.Comments = append(p.Comments, &biebplein.Comment{ID: biebplein.NewID(time.Now()), PostID: p.ID,
					Author: biebplein.PersonRef{ID: biebplein.NewID(time.Now()), Name: "Bram"}, Body: body[:80] + fmt.Sprint(j),
					HTML: "<p>" + body[:80] + fmt.Sprint(j) + "</p>", Text: body[:80] + fmt.Sprint(j)})
			}
			posts[i] = p
			estimated += estimateCard(cardKey(p.ID, 2), p) - len(cardKey(p.ID, 2)) - stringCost
		}
		check(t, "cards", estimated, heap()-before)
		runtime.KeepAlive(posts)
	})

	t.Run("Heads", func(t *testing.T) {
		before := heap()
		heads := make([]*head, n/10)
		estimated := 0
		for i := range heads {
			g := &biebplein.Group{ID: biebplein.NewID(time.Now()), Visibility: biebplein.Visibility("public")}
			h := &head{groups: map[string]*biebplein.Group{}}
			for range headSize {
				id := biebplein.NewID(time.Now())
				h.ids = append(h.ids, id)
				h.groups[strings.Clone(id)] = g
			}
			heads[i] = h
			estimated += estimateHead("", h) - stringCost
		}
		check(t, "heads", estimated, heap()-before)
		runtime.KeepAlive(heads)
	})
}
