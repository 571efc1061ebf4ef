package store_test

import (
	"testing"
	"time"

	"github.com/biebplein/biebplein/store/storetest"
)

func TestThrottle(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect)
		count := func(key string, since time.Time) int {
			t.Helper()
			n, err := db.CountFailures(t.Context(), key, since)
			mustNil(t, err)
			return n
		}
		for i := range 3 {
			mustNil(t, db.RecordFailure(t.Context(), []string{"account:fatima", "ip:192.0.2.1"}, t0.Add(time.Duration(i)*time.Minute)))
		}
		mustNil(t, db.RecordFailure(t.Context(), []string{"ip:192.0.2.1"}, t0.Add(10*time.Minute)))
		mustNil(t, db.RecordFailure(t.Context(), nil, t0))

		t.Run("CountWindows", func(t *testing.T) {
			tests := []struct {
				key   string
				since time.Time
				want  int
			}{
				{"account:fatima", t0, 3},
				{"account:fatima", t0.Add(-time.Hour), 3},
				{"account:fatima", t0.Add(time.Microsecond), 2},
				{"account:fatima", t0.Add(2 * time.Minute), 1},
				{"ip:192.0.2.1", t0, 4},
				{"ip:192.0.2.1", t0.Add(5 * time.Minute), 1},
				{"unknown", t0, 0},
			}
			for _, tt := range tests {
				if got := count(tt.key, tt.since); got != tt.want {
					t.Errorf("CountFailures(%q, %v) = %d, want %d", tt.key, tt.since, got, tt.want)
				}
			}
		})
		t.Run("Prune", func(t *testing.T) {
			mustNil(t, db.PruneFailures(t.Context(), t0.Add(90*time.Second)))
			if got, want := count("account:fatima", t0.Add(-time.Hour)), 1; got != want {
				t.Fatalf("after pruning, %d failures, want %d", got, want)
			}
			if got, want := count("ip:192.0.2.1", t0.Add(-time.Hour)), 2; got != want {
				t.Fatalf("after pruning, %d failures, want %d", got, want)
			}
		})
		t.Run("Clear", func(t *testing.T) {
			mustNil(t, db.ClearFailures(t.Context(), "account:fatima"))
			if got := count("account:fatima", t0.Add(-time.Hour)); got != 0 {
				t.Fatalf("after clearing, %d failures, want 0", got)
			}
			if got := count("ip:192.0.2.1", t0.Add(-time.Hour)); got != 2 {
				t.Fatalf("clearing one key removed another's failures: %d left, want 2", got)
			}
		})
	})
}
