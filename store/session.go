package store

import (
	"context"
	"time"

	biebplein "github.com/biebplein/biebplein"
)

const sessionColumns = `id, person_id, token_hash, csrf_token, user_agent, ip, created_at, last_seen_at, expires_at`

// CreateSession stores s, setting its ID when empty and its CreatedAt and LastSeenAt when
// zero.
func (db *DB) CreateSession(ctx context.Context, s *biebplein.Session) error {
	t := dbNow()
	if s.ID == "" {
		s.ID = biebplein.NewID(t)
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = t
	}
	if s.LastSeenAt.IsZero() {
		s.LastSeenAt = s.CreatedAt
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = dbTime(s.CreatedAt), dbTime(s.LastSeenAt), dbTime(s.ExpiresAt)
	return db.change(ctx, func(c conn) error {
		_, err := c.exec(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.PersonID, s.TokenHash, s.CSRFToken, s.UserAgent, s.IP, s.CreatedAt, s.LastSeenAt, s.ExpiresAt)
		return wrap("create session", err)
	})
}

// FindSessionByTokenHash returns the unexpired session with this token hash, or not_found.
func (db *DB) FindSessionByTokenHash(ctx context.Context, hash string, now time.Time) (*biebplein.Session, error) {
	sessions, err := db.findSessions(ctx, "token_hash = ? AND expires_at > ?", hash, now)
	if err != nil {
		return nil, err
	}
	if len(sessions) == 0 {
		return nil, errNotFound()
	}
	return sessions[0], nil
}

// TouchSession records use of a session and moves its expiry. Returns not_found.
func (db *DB) TouchSession(ctx context.Context, id string, seen, expires time.Time) error {
	err := db.write().execOne(ctx, "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?",
		seen, expires, id)
	return wrap("touch session", err)
}

// FindSessions returns the unexpired sessions of a person, most recently used first.
func (db *DB) FindSessions(ctx context.Context, personID string, now time.Time) ([]*biebplein.Session, error) {
	return db.findSessions(ctx, "person_id = ? AND expires_at > ?", personID, now)
}

func (db *DB) findSessions(ctx context.Context, cond string, args ...any) ([]*biebplein.Session, error) {
	rows, err := db.read().query(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE `+cond+`
		ORDER BY last_seen_at DESC, id DESC`, args...)
	if err != nil {
		return nil, wrap("find sessions", err)
	}
	defer rows.Close()
	var out []*biebplein.Session
	for rows.Next() {
		var s biebplein.Session
		if err := rows.Scan(&s.ID, &s.PersonID, &s.TokenHash, &s.CSRFToken, &s.UserAgent, &s.IP,
			utcTime{&s.CreatedAt}, utcTime{&s.LastSeenAt}, utcTime{&s.ExpiresAt}); err != nil {
			return nil, wrap("scan session", err)
		}
		out = append(out, &s)
	}
	return out, wrap("find sessions", rows.Err())
}

// DeleteSession removes one session of a person; not_found when it is not theirs, so that
// nobody learns which session ids exist.
func (db *DB) DeleteSession(ctx context.Context, personID, id string) error {
	return db.change(ctx, func(c conn) error {
		return wrap("delete session", c.execOne(ctx, "DELETE FROM sessions WHERE id = ? AND person_id = ?", id, personID))
	})
}

// DeleteSessions removes all sessions of a person except keepID (which may be "").
func (db *DB) DeleteSessions(ctx context.Context, personID, keepID string) error {
	return db.change(ctx, func(c conn) error {
		_, err := c.exec(ctx, "DELETE FROM sessions WHERE person_id = ? AND id <> ?", personID, keepID)
		return wrap("delete sessions", err)
	})
}

const apiTokenColumns = `id, person_id, name, token_hash, created_at, last_used_at`

// CreateAPIToken stores t, setting its ID when empty and its CreatedAt when zero.
func (db *DB) CreateAPIToken(ctx context.Context, t *biebplein.APIToken) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = dbNow()
	}
	t.CreatedAt = dbTime(t.CreatedAt)
	if t.ID == "" {
		t.ID = biebplein.NewID(t.CreatedAt)
	}
	return db.change(ctx, func(c conn) error {
		_, err := c.exec(ctx, `INSERT INTO api_tokens (`+apiTokenColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
			t.ID, t.PersonID, t.Name, t.TokenHash, t.CreatedAt, t.LastUsedAt)
		return wrap("create api token", err)
	})
}

// FindAPITokenByHash returns the token with this hash, or not_found.
func (db *DB) FindAPITokenByHash(ctx context.Context, hash string) (*biebplein.APIToken, error) {
	tokens, err := db.findAPITokens(ctx, "token_hash = ?", hash)
	if err != nil {
		return nil, err
	}
	if len(tokens) == 0 {
		return nil, errNotFound()
	}
	return tokens[0], nil
}

// TouchAPIToken records use of a token. Returns not_found.
func (db *DB) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	err := db.write().execOne(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", at, id)
	return wrap("touch api token", err)
}

// FindAPITokens returns the tokens of a person, newest first.
func (db *DB) FindAPITokens(ctx context.Context, personID string) ([]*biebplein.APIToken, error) {
	return db.findAPITokens(ctx, "person_id = ?", personID)
}

func (db *DB) findAPITokens(ctx context.Context, cond string, args ...any) ([]*biebplein.APIToken, error) {
	rows, err := db.read().query(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE `+cond+`
		ORDER BY created_at DESC, id DESC`, args...)
	if err != nil {
		return nil, wrap("find api tokens", err)
	}
	defer rows.Close()
	var out []*biebplein.APIToken
	for rows.Next() {
		var t biebplein.APIToken
		if err := rows.Scan(&t.ID, &t.PersonID, &t.Name, &t.TokenHash, utcTime{&t.CreatedAt},
			nullTime{&t.LastUsedAt}); err != nil {
			return nil, wrap("scan api token", err)
		}
		out = append(out, &t)
	}
	return out, wrap("find api tokens", rows.Err())
}

// DeleteAPIToken removes a token of a person; not_found when it is not theirs.
func (db *DB) DeleteAPIToken(ctx context.Context, personID, id string) error {
	err := db.write().execOne(ctx, "DELETE FROM api_tokens WHERE id = ? AND person_id = ?", id, personID)
	return wrap("delete api token", err)
}
