package store_test

import (
	"testing"
)

// Simple mode is off for a new person, and kept when switched on and off again.
func TestPersonSimpleMode(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect)
		p := newPerson(f.library, "Henk Jansen", "henk@example.nl")
		MustCreatePerson(t, f.db, p)
		if got := MustFindPerson(t, f.db, p.ID).Simple; got {
			t.Fatalf("a new person has Simple = %v, want false", got)
		}
		for _, want := range []bool{true, false} {
			p.Simple = want
			mustNil(t, f.db.UpdatePerson(t.Context(), p))
			if got := MustFindPerson(t, f.db, p.ID).Simple; got != want {
				t.Fatalf("after UpdatePerson Simple = %v, want %v", got, want)
			}
		}
	})
}
