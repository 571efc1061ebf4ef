package store

import (
	"slices"
	"testing"
)

func TestMergeNewest(t *testing.T) {
	for _, tt := range []struct {
		name  string
		lists [][]string
		n     int
		skip  []string
		want  []string
	}{
		{"interleaved", [][]string{{"9", "5", "1"}, {"8", "6", "2"}, {"7"}}, 4, nil, []string{"9", "8", "7", "6"}},
		{"repeats across lists", [][]string{{"9", "7", "5"}, {"9", "8", "7"}}, 10, nil, []string{"9", "8", "7", "5"}},
		{"skipped pins", [][]string{{"9", "8", "7"}, {"8", "6"}}, 3, []string{"8"}, []string{"9", "7", "6"}},
		{"fewer than asked", [][]string{{"3"}, {}, nil}, 5, nil, []string{"3"}},
		{"nothing", nil, 5, nil, []string{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, from := mergeNewest(tt.lists, tt.n, tt.skip)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("mergeNewest = %v, want %v", got, tt.want)
			}
			for i, id := range got {
				if !slices.Contains(tt.lists[from[i]], id) {
					t.Fatalf("%s said to come from list %d, %v", id, from[i], tt.lists[from[i]])
				}
			}
		})
	}
}

// After ANALYZE no index samples stay behind: with them SQLite recompiles a prepared
// statement whenever a bound value changes (dialect.forgetSamples).
func TestNoIndexSamples(t *testing.T) {
	db, err := Open(t.Context(), "sqlite:"+t.TempDir()+"/s.db", Options{Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// An indexed table with rows, so that ANALYZE has values to sample.
	for _, q := range []string{"CREATE TABLE sampled (a INTEGER)", "CREATE INDEX sampled_a ON sampled (a)",
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO sampled SELECT i % 37 FROM n"} {
		if _, err := db.writer.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Optimize(t.Context()); err != nil {
		t.Fatal(err)
	}
	var tables, samples int
	if err := db.writer.QueryRowContext(t.Context(),
		"SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat4'").Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables == 0 {
		t.Fatal("ANALYZE made no sqlite_stat4: is the driver still built with SQLITE_ENABLE_STAT4?")
	}
	if err := db.writer.QueryRowContext(t.Context(), "SELECT count(*) FROM sqlite_stat4").Scan(&samples); err != nil {
		t.Fatal(err)
	}
	if samples != 0 {
		t.Fatalf("%d index samples after Optimize, want none", samples)
	}
}
