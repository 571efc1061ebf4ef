package store_test

import (
	"testing"
	"time"

	biebplein "github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/store"
)

// MustCreateSession stores a session of person that expires at expires.
func MustCreateSession(tb testing.TB, db *store.DB, personID, tokenHash string, created, expires time.Time) *biebplein.Session {
	tb.Helper()
	s := &biebplein.Session{
		PersonID: personID, TokenHash: tokenHash, CSRFToken: "csrf-" + tokenHash,
		UserAgent: "Firefox", IP: "192.0.2.1",
		CreatedAt: created, LastSeenAt: created, ExpiresAt: expires,
	}
	if err := db.CreateSession(tb.Context(), s); err != nil {
		tb.Fatalf("create session: %v", err)
	}
	return s
}

func sessionIDs(sessions []*biebplein.Session) []string {
	var ids []string
	for _, s := range sessions {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestSessions(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Run("CreateAndFind", func(t *testing.T) {
			f := newFixture(t, dialect)
			s := MustCreateSession(t, f.db, f.person.ID, "hash-1", t0, t0.Add(time.Hour))
			if s.ID == "" {
				t.Fatal("CreateSession did not set the ID")
			}
			got, err := f.db.FindSessionByTokenHash(t.Context(), "hash-1", t0)
			mustNil(t, err)
			if got.ID != s.ID || got.PersonID != f.person.ID || got.CSRFToken != "csrf-hash-1" ||
				got.UserAgent != "Firefox" || got.IP != "192.0.2.1" || got.TokenHash != "hash-1" {
				t.Fatalf("found %+v, want %+v", got, s)
			}
			wantTime(t, "CreatedAt", got.CreatedAt, t0)
			wantTime(t, "LastSeenAt", got.LastSeenAt, t0)
			wantTime(t, "ExpiresAt", got.ExpiresAt, t0.Add(time.Hour))
			_, err = f.db.FindSessionByTokenHash(t.Context(), "other", t0)
			wantCode(t, err, biebplein.CodeNotFound)
		})

		t.Run("ExpiryRespected", func(t *testing.T) {
			f := newFixture(t, dialect)
			// An expiry with fewer significant fraction digits than "now" checks that stored
			// times compare as times, not as text of varying width.
			expires := time.Date(2025, 3, 1, 13, 0, 0, 100_000_000, time.UTC)
			MustCreateSession(t, f.db, f.person.ID, "hash-1", t0, expires)
			tests := []struct {
				name  string
				now   time.Time
				found bool
			}{
				{"Before", expires.Add(-time.Microsecond), true},
				{"BeforeMoreDigits", expires.Add(-12_345 * time.Microsecond), true},
				{"At", expires, false},
				{"AfterMoreDigits", expires.Add(12_345 * time.Microsecond), false},
				{"OtherTimeZone", expires.In(time.FixedZone("CET", 3600)).Add(-time.Second), true},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := f.db.FindSessionByTokenHash(t.Context(), "hash-1", tt.now)
					if tt.found {
						mustNil(t, err)
					} else {
						wantCode(t, err, biebplein.CodeNotFound)
					}
				})
			}
		})

		t.Run("TouchExtends", func(t *testing.T) {
			f := newFixture(t, dialect)
			s := MustCreateSession(t, f.db, f.person.ID, "hash-1", t0, t0.Add(time.Hour))
			later := t0.Add(50 * time.Minute)
			mustNil(t, f.db.TouchSession(t.Context(), s.ID, later, later.Add(time.Hour)))
			got, err := f.db.FindSessionByTokenHash(t.Context(), "hash-1", t0.Add(90*time.Minute))
			mustNil(t, err)
			wantTime(t, "LastSeenAt", got.LastSeenAt, later)
			wantTime(t, "ExpiresAt", got.ExpiresAt, later.Add(time.Hour))
			wantCode(t, f.db.TouchSession(t.Context(), "nope", later, later), biebplein.CodeNotFound)
		})

		t.Run("FindSessions", func(t *testing.T) {
			f := newFixture(t, dialect)
			other := MustCreatePerson(t, f.db, newPerson(f.library, "Ander", "ander@example.nl"))
			old := MustCreateSession(t, f.db, f.person.ID, "old", t0, t0.Add(time.Hour))
			recent := MustCreateSession(t, f.db, f.person.ID, "recent", t0.Add(time.Minute), t0.Add(time.Hour))
			MustCreateSession(t, f.db, f.person.ID, "expired", t0.Add(-2*time.Hour), t0.Add(-time.Hour))
			MustCreateSession(t, f.db, other.ID, "theirs", t0, t0.Add(time.Hour))

			got, err := f.db.FindSessions(t.Context(), f.person.ID, t0)
			mustNil(t, err)
			if want := []string{recent.ID, old.ID}; !equal(sessionIDs(got), want) {
				t.Fatalf("sessions = %q, want %q (most recently used first, unexpired, own)", sessionIDs(got), want)
			}
		})

		t.Run("DeleteSession", func(t *testing.T) {
			f := newFixture(t, dialect)
			other := MustCreatePerson(t, f.db, newPerson(f.library, "Ander", "ander@example.nl"))
			theirs := MustCreateSession(t, f.db, other.ID, "theirs", t0, t0.Add(time.Hour))
			mine := MustCreateSession(t, f.db, f.person.ID, "mine", t0, t0.Add(time.Hour))

			wantCode(t, f.db.DeleteSession(t.Context(), f.person.ID, theirs.ID), biebplein.CodeNotFound)
			if _, err := f.db.FindSessionByTokenHash(t.Context(), "theirs", t0); err != nil {
				t.Fatalf("someone else's session was deleted: %v", err)
			}
			mustNil(t, f.db.DeleteSession(t.Context(), f.person.ID, mine.ID))
			_, err := f.db.FindSessionByTokenHash(t.Context(), "mine", t0)
			wantCode(t, err, biebplein.CodeNotFound)
			wantCode(t, f.db.DeleteSession(t.Context(), f.person.ID, mine.ID), biebplein.CodeNotFound)
		})

		t.Run("DeleteSessions", func(t *testing.T) {
			f := newFixture(t, dialect)
			other := MustCreatePerson(t, f.db, newPerson(f.library, "Ander", "ander@example.nl"))
			keep := MustCreateSession(t, f.db, f.person.ID, "keep", t0, t0.Add(time.Hour))
			MustCreateSession(t, f.db, f.person.ID, "drop-1", t0, t0.Add(time.Hour))
			MustCreateSession(t, f.db, f.person.ID, "drop-2", t0, t0.Add(time.Hour))
			theirs := MustCreateSession(t, f.db, other.ID, "theirs", t0, t0.Add(time.Hour))

			mustNil(t, f.db.DeleteSessions(t.Context(), f.person.ID, keep.ID))
			got, err := f.db.FindSessions(t.Context(), f.person.ID, t0)
			mustNil(t, err)
			if want := []string{keep.ID}; !equal(sessionIDs(got), want) {
				t.Fatalf("sessions = %q, want %q", sessionIDs(got), want)
			}
			mustNil(t, f.db.DeleteSessions(t.Context(), f.person.ID, ""))
			if got, _ := f.db.FindSessions(t.Context(), f.person.ID, t0); len(got) != 0 {
				t.Fatalf("%d sessions left, want 0", len(got))
			}
			if got, _ := f.db.FindSessions(t.Context(), other.ID, t0); !equal(sessionIDs(got), []string{theirs.ID}) {
				t.Fatalf("someone else's sessions = %q, want untouched", sessionIDs(got))
			}
		})
	})
}

func TestAPITokens(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		t.Run("Lifecycle", func(t *testing.T) {
			f := newFixture(t, dialect)
			other := MustCreatePerson(t, f.db, newPerson(f.library, "Ander", "ander@example.nl"))
			first := &biebplein.APIToken{PersonID: f.person.ID, Name: "agenda-koppeling", TokenHash: "t1", CreatedAt: t0}
			second := &biebplein.APIToken{PersonID: f.person.ID, Name: "script", TokenHash: "t2", CreatedAt: t0.Add(time.Minute)}
			theirs := &biebplein.APIToken{PersonID: other.ID, Name: "hun script", TokenHash: "t3", CreatedAt: t0}
			for _, tok := range []*biebplein.APIToken{first, second, theirs} {
				mustNil(t, f.db.CreateAPIToken(t.Context(), tok))
				if tok.ID == "" {
					t.Fatal("CreateAPIToken did not set the ID")
				}
			}

			got, err := f.db.FindAPITokenByHash(t.Context(), "t1")
			mustNil(t, err)
			if got.ID != first.ID || got.PersonID != f.person.ID || got.Name != "agenda-koppeling" || got.LastUsedAt != nil {
				t.Fatalf("found %+v, want %+v", got, first)
			}
			wantTime(t, "CreatedAt", got.CreatedAt, t0)
			_, err = f.db.FindAPITokenByHash(t.Context(), "nope")
			wantCode(t, err, biebplein.CodeNotFound)

			used := t0.Add(time.Hour)
			mustNil(t, f.db.TouchAPIToken(t.Context(), first.ID, used))
			got, err = f.db.FindAPITokenByHash(t.Context(), "t1")
			mustNil(t, err)
			if got.LastUsedAt == nil {
				t.Fatal("LastUsedAt = nil after TouchAPIToken")
			}
			wantTime(t, "LastUsedAt", *got.LastUsedAt, used)
			wantCode(t, f.db.TouchAPIToken(t.Context(), "nope", used), biebplein.CodeNotFound)

			tokens, err := f.db.FindAPITokens(t.Context(), f.person.ID)
			mustNil(t, err)
			var ids []string
			for _, tok := range tokens {
				ids = append(ids, tok.ID)
			}
			if want := []string{second.ID, first.ID}; !equal(ids, want) {
				t.Fatalf("tokens = %q, want %q (newest first, own only)", ids, want)
			}

			wantCode(t, f.db.DeleteAPIToken(t.Context(), f.person.ID, theirs.ID), biebplein.CodeNotFound)
			mustNil(t, f.db.DeleteAPIToken(t.Context(), f.person.ID, first.ID))
			_, err = f.db.FindAPITokenByHash(t.Context(), "t1")
			wantCode(t, err, biebplein.CodeNotFound)
			if _, err := f.db.FindAPITokenByHash(t.Context(), "t3"); err != nil {
				t.Fatalf("someone else's token was deleted: %v", err)
			}
		})
	})
}
