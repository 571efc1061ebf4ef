package store

import (
	"context"
	"sync"
	"time"
)

// On PostgreSQL a search asks for the matches among the newest buckets of ids first
// (searchBuckets), and how many buckets the first query should name depends on how common the
// words are: one bucket holds hundreds of matches of a common word and a handful of a rare
// one. PostgreSQL's own statistics of the index column (pg_stats, which ANALYZE and autovacuum
// keep) give the share of entries holding each of its most common terms; the store reads them
// at most every termSharesAge and estimates from them (search.Query.Share).

// termSharesAge is how long the shares read from pg_stats are used before they are read again.
const termSharesAge = 10 * time.Minute

// termShares is the share of the index's entries holding each of its most common terms.
type termShares struct {
	read  time.Time
	share map[string]float64
	floor float64 // the share assumed of a term not among them: half the least common one's
}

// of returns the share of entries holding term.
func (s *termShares) of(term string) float64 {
	if f, ok := s.share[term]; ok {
		return f
	}
	return s.floor
}

// termShareCache holds the newest termShares.
type termShareCache struct {
	mu  sync.Mutex // held while reading, so that one search reads and the others wait
	cur *termShares
}

// get returns the shares, read again when older than termSharesAge; nil when the database
// has no statistics of the column yet (never analysed), or on SQLite.
func (c *termShareCache) get(ctx context.Context, db conn) (*termShares, error) {
	if db.d.name != dialectPostgres {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && time.Since(c.cur.read) < termSharesAge {
		return c.cur.known(), nil
	}
	rows, err := db.query(ctx, `SELECT e.term, e.share FROM pg_stats s,
			unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e (term, share)
		WHERE s.schemaname = current_schema() AND s.tablename = 'search_docs' AND s.attname = 'terms'
			AND e.term IS NOT NULL`)
	if err != nil {
		return nil, wrap("read search statistics", err)
	}
	defer rows.Close()
	s := &termShares{read: time.Now(), share: map[string]float64{}}
	for rows.Next() {
		var term string
		var share float64
		if err := rows.Scan(&term, &share); err != nil {
			return nil, wrap("read search statistics", err)
		}
		s.share[term] = share
		if s.floor == 0 || share/2 < s.floor {
			s.floor = share / 2
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("read search statistics", err)
	}
	c.cur = s // without statistics too: asked again after termSharesAge, not at every search
	return s.known(), nil
}

// known returns s, or nil when it holds no statistics.
func (s *termShares) known() *termShares {
	if len(s.share) == 0 {
		return nil
	}
	return s
}
