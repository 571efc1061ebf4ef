package search

import (
	"strings"
	"testing"
)

// FuzzParse: any input is parsed or refused, never panics, and the match expressions hold
// only terms of letters and digits, each in its own quotes, so no input can change their
// meaning or break the SQL they are bound into.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"voorlezen", `"met kinderen" -taal`, `-"a b" c*`, `'; DROP TABLE x; --`,
		`stems:"x" OR words:y*`, "\x00\xff", `"""`, "a -b -c d*", "ĳsje coöperatie"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			return
		}
		if strings.Count(q.FTS5(), `"`)%2 != 0 {
			t.Fatalf("unbalanced quotes in %s", q.FTS5())
		}
		if strings.Count(q.TSQuery(), `'`)%2 != 0 {
			t.Fatalf("unbalanced quotes in %s", q.TSQuery())
		}
		for _, c := range q.Clauses {
			for _, tok := range c.Tokens {
				if strings.ContainsAny(tok.Word+tok.Stem, `"'\:*() `) {
					t.Fatalf("term %+v holds an operator", tok)
				}
			}
		}
	})
}
