package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements for the read pool, by query text, so that a query
// SQLite has compiled once is not parsed and planned again on every request. A feed page is
// a large compound query whose compilation cost more than running it (three quarters of
// the CPU of a home feed page before this cache).
//
// Only SQLite's readers use it: pgx already keeps prepared statements per connection, and
// the writer runs short statements, mostly in transactions. A *sql.Stmt prepares itself on
// each pool connection the first time it runs there. The cache holds at most maxStmts
// statements; once full, other queries run unprepared, as before. The query texts are
// bounded by construction (lists are padded to a few lengths, see padded), so in practice the
// cache fills with the few hundred shapes there are and stays that way.
type stmtCache struct {
	pool *sql.DB
	mu   sync.RWMutex
	m    map[string]*sql.Stmt
	full bool
}

// maxStmts bounds the statements a cache holds (each is prepared on up to every connection).
const maxStmts = 1000

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}}
}

// get returns the prepared statement for query, preparing it when new; nil when the cache is
// full or the statement does not prepare (the caller then runs the query as it is, and gets
// the error from there).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.RLock()
	st, full := c.m[query], c.full
	c.mu.RUnlock()
	if st != nil || full {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.m[query]; st != nil {
		return st
	}
	if len(c.m) >= maxStmts {
		c.full = true
		return nil
	}
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.m[query] = st
	return st
}

// close closes every statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		_ = st.Close()
		delete(c.m, q)
	}
}

// padded returns the length to pad a list of n values to, so that queries with lists of
// similar length have the same text (and share a prepared statement): n itself up to 4, then
// the next multiple of 4 up to 32, then of 16.
func padded(n int) int {
	switch {
	case n <= 4:
		return n
	case n <= 32:
		return (n + 3) / 4 * 4
	default:
		return (n + 15) / 16 * 16
	}
}

// padList returns values padded with "" (which no id, topic or key equals) to padded length.
func padList(values []any) []any {
	for n := padded(len(values)); len(values) < n; {
		values = append(values, "")
	}
	return values
}
