package store_test

import (
	"slices"
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

func TestSetFollow(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)
		bert := f.person("Bert Jansen", nil)

		t.Run("FollowAndUnfollow", func(t *testing.T) {
			for range 2 {
				mustNil(t, f.db.SetFollow(t.Context(), biebplein.Follow{PersonID: anna.ID, TargetKind: "topic", Target: "#BoekStart"}, true))
				mustNil(t, f.db.SetFollow(t.Context(), biebplein.Follow{PersonID: anna.ID, TargetKind: "person", Target: bert.ID}, true))
				mustNil(t, f.db.SetFollow(t.Context(), biebplein.Follow{PersonID: anna.ID, TargetKind: "topic", Target: "voorlezen"}, true))
			}
			got, err := f.db.FindFollows(t.Context(), anna.ID)
			mustNil(t, err)
			want := []biebplein.Follow{
				{PersonID: anna.ID, TargetKind: "person", Target: bert.ID},
				{PersonID: anna.ID, TargetKind: "topic", Target: "boekstart"},
				{PersonID: anna.ID, TargetKind: "topic", Target: "voorlezen"},
			}
			if !slices.Equal(got, want) {
				t.Fatalf("FindFollows = %v, want %v", got, want)
			}
			for range 2 {
				mustNil(t, f.db.SetFollow(t.Context(), biebplein.Follow{PersonID: anna.ID, TargetKind: "topic", Target: "BoekStart"}, false))
			}
			got, err = f.db.FindFollows(t.Context(), anna.ID)
			mustNil(t, err)
			if !slices.Equal(got, []biebplein.Follow{want[0], want[2]}) {
				t.Fatalf("after unfollowing: %v", got)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, fl := range []biebplein.Follow{
				{PersonID: anna.ID, TargetKind: "group", Target: "x"},
				{PersonID: anna.ID, TargetKind: "topic", Target: " # "},
			} {
				wantCode(t, f.db.SetFollow(t.Context(), fl, true), biebplein.CodeInvalid, "error.follow_invalid")
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, f.db.SetFollow(t.Context(), biebplein.Follow{PersonID: anna.ID, TargetKind: "person", Target: "nope"}, true),
				biebplein.CodeNotFound)
			wantCode(t, f.db.SetFollow(t.Context(), biebplein.Follow{PersonID: "nope", TargetKind: "topic", Target: "x"}, true),
				biebplein.CodeNotFound)
		})
	})
}

func TestSeenFeed(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newPostFixture(t, dialect)
		anna := f.person("Anna de Vries", nil)

		prev, err := f.db.SeenFeed(t.Context(), anna.ID, "home", t0)
		mustNil(t, err)
		if !prev.IsZero() {
			t.Fatalf("first visit: previous = %v, want zero", prev)
		}
		prev, err = f.db.SeenFeed(t.Context(), anna.ID, "home", t0.Add(time.Hour))
		mustNil(t, err)
		wantTime(t, "previous visit", prev, t0)
		prev, err = f.db.SeenFeed(t.Context(), anna.ID, "group:x", t0.Add(2*time.Hour))
		mustNil(t, err)
		if !prev.IsZero() {
			t.Fatalf("other feed: previous = %v, want zero", prev)
		}
		prev, err = f.db.SeenFeed(t.Context(), anna.ID, "home", t0.Add(3*time.Hour))
		mustNil(t, err)
		wantTime(t, "previous visit", prev, t0.Add(time.Hour))

		_, err = f.db.SeenFeed(t.Context(), "nope", "home", t0)
		wantCode(t, err, biebplein.CodeNotFound)
	})
}
