package store_test

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	biebplein "github.com/biebplein/biebplein"
)

func TestReact(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)
		g := f.group("Leesbevordering", biebplein.VisPublic, anna, bert)
		p := f.post(g, anna, "Mooi nieuws", nil)

		t.Run("Idempotent", func(t *testing.T) {
			mustNil(t, f.db.React(t.Context(), p.ID, bert.ID, biebplein.ReactLike, true))
			mustNil(t, f.db.React(t.Context(), p.ID, bert.ID, biebplein.ReactLike, true))
			mustNil(t, f.db.React(t.Context(), p.ID, bert.ID, biebplein.ReactCelebrate, true))
			mustNil(t, f.db.React(t.Context(), p.ID, anna.ID, biebplein.ReactLike, true))
			got := f.findOne(bert, p.ID)
			want := map[biebplein.ReactionKind]int{biebplein.ReactLike: 2, biebplein.ReactCelebrate: 1}
			if !maps.Equal(got.Reactions, want) {
				t.Fatalf("Reactions = %v, want %v", got.Reactions, want)
			}
			if mine := []biebplein.ReactionKind{biebplein.ReactLike, biebplein.ReactCelebrate}; !slices.Equal(got.MyReactions, mine) {
				t.Fatalf("MyReactions = %v, want %v", got.MyReactions, mine)
			}

			mustNil(t, f.db.React(t.Context(), p.ID, bert.ID, biebplein.ReactLike, false))
			mustNil(t, f.db.React(t.Context(), p.ID, bert.ID, biebplein.ReactLike, false))
			mustNil(t, f.db.React(t.Context(), p.ID, bert.ID, biebplein.ReactThanks, false)) // never given
			got = f.findOne(bert, p.ID)
			want = map[biebplein.ReactionKind]int{biebplein.ReactLike: 1, biebplein.ReactCelebrate: 1}
			if !maps.Equal(got.Reactions, want) || !slices.Equal(got.MyReactions, []biebplein.ReactionKind{biebplein.ReactCelebrate}) {
				t.Fatalf("after removing: Reactions %v, MyReactions %v; want %v, [celebrate]", got.Reactions, got.MyReactions, want)
			}
		})
		t.Run("FindReactors", func(t *testing.T) {
			q := f.post(g, anna, "Wie vindt dit leuk?", nil)
			mustNil(t, f.db.React(t.Context(), q.ID, bert.ID, biebplein.ReactThanks, true))
			mustNil(t, f.db.React(t.Context(), q.ID, anna.ID, biebplein.ReactThanks, true))
			mustNil(t, f.db.React(t.Context(), q.ID, anna.ID, biebplein.ReactLike, true))
			got, err := f.db.FindReactors(t.Context(), q.ID, biebplein.ReactThanks)
			mustNil(t, err)
			want := []biebplein.PersonRef{{ID: bert.ID, Name: "Bert Jansen"}, {ID: anna.ID, Name: "Anna de Vries"}}
			if !slices.Equal(got, want) {
				t.Fatalf("FindReactors = %v, want %v", got, want)
			}
		})
		t.Run("ErrInvalidKind", func(t *testing.T) {
			wantCode(t, f.db.React(t.Context(), p.ID, bert.ID, "boo", true), biebplein.CodeInvalid, "error.reaction_invalid")
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, f.db.React(t.Context(), "nope", bert.ID, biebplein.ReactLike, true), biebplein.CodeNotFound)
			wantCode(t, f.db.React(t.Context(), p.ID, "nope", biebplein.ReactLike, true), biebplein.CodeNotFound)
			gone := f.post(g, anna, "Weg", nil)
			mustNil(t, f.db.SetPostDeleted(t.Context(), gone.ID, &t0, anna.ID))
			wantCode(t, f.db.React(t.Context(), gone.ID, bert.ID, biebplein.ReactLike, true), biebplein.CodeNotFound)
		})

		// Many people react at once, each twice and with two kinds, and half of them take a
		// like back: the counters must be exact.
		t.Run("Concurrent", func(t *testing.T) {
			q := f.post(g, anna, "Druk bezocht", nil)
			const n = 24
			people := make([]*biebplein.Person, n)
			for i := range people {
				people[i] = f.person(fmt.Sprintf("Lezer %02d", i), nil)
			}
			var wg sync.WaitGroup
			errs := make(chan error, n*8)
			for i, p := range people {
				wg.Go(func() {
					for range 2 {
						errs <- f.db.React(t.Context(), q.ID, p.ID, biebplein.ReactLike, true)
						errs <- f.db.React(t.Context(), q.ID, p.ID, biebplein.ReactInsightful, true)
					}
					if i%2 == 0 {
						errs <- f.db.React(t.Context(), q.ID, p.ID, biebplein.ReactLike, false)
					}
					errs <- f.db.MarkRead(t.Context(), q.ID, p.ID, t0)
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				mustNil(t, err)
			}
			got := f.findOne(anna, q.ID)
			want := map[biebplein.ReactionKind]int{biebplein.ReactLike: n / 2, biebplein.ReactInsightful: n}
			if !maps.Equal(got.Reactions, want) || got.ReadCount != n {
				t.Fatalf("Reactions %v, ReadCount %d; want %v, %d", got.Reactions, got.ReadCount, want, n)
			}
		})
	})
}
