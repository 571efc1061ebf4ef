package store_test

import (
	"context"
	"testing"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/store/storetest"
)

// A database that cannot be reached gives unavailable (503), not internal (500).
func TestUnavailable(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			db, err := store.Open(context.Background(), storetest.DSN(t, d), store.Options{Migrate: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			_, err = db.FindPersonByID(context.Background(), "x")
			if got := biebplein.ErrorCode(err); got != biebplein.CodeUnavailable {
				t.Fatalf("FindPersonByID on a closed database: code %q (%v), want unavailable", got, err)
			}
		})
	}
}
