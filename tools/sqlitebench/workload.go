package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// timeFormat is how Biebplein stores times in SQLite (store/dialect.go).
const timeFormat = "2006-01-02 15:04:05.000000"

// Sizes that do not scale with -n.
const (
	organisations  = 20
	groups         = 100 // posts are spread over this many groups
	vocabularySize = 5000
	tagVocabulary  = 300
	pageSize       = 20
)

// config is the size of one run's workloads.
type config struct {
	people      int           // workload 1
	posts       int           // workload 2, one post per transaction, and again batched
	batch       int           // posts per transaction in the batched variant
	postWriters int           // goroutines inserting posts in workload 2
	postCap     time.Duration // workload 2 stops early after this long
	lookups     int           // workload 3
	pages       int           // workload 4
	searches    int           // workload 5
	readers     int           // concurrent reading goroutines in workloads 3-6
	readerConns int           // size of the reader pool
	mixed       time.Duration // workload 6
	seed        uint64
}

// corpus is the generated data a run draws from: the same for every driver with one seed.
type corpus struct {
	words  []string // Zipf-distributed vocabulary for bios and post bodies
	tags   []string
	orgIDs []string
	groups []string
	start  time.Time // the synthetic clock: creation times count up from here
}

func newCorpus(seed uint64) *corpus {
	r := rand.New(rand.NewPCG(seed, 1))
	c := &corpus{start: time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)}
	seen := map[string]bool{}
	for len(c.words) < vocabularySize {
		w := pseudoWord(r, 2+r.IntN(3))
		if !seen[w] {
			seen[w] = true
			c.words = append(c.words, w)
		}
	}
	for len(c.tags) < tagVocabulary {
		w := pseudoWord(r, 2+r.IntN(2))
		if !seen[w] {
			seen[w] = true
			c.tags = append(c.tags, w)
		}
	}
	for i := range organisations {
		c.orgIDs = append(c.orgIDs, newID(c.start.Add(time.Duration(i)*time.Millisecond), r))
	}
	for i := range groups {
		c.groups = append(c.groups, newID(c.start.Add(time.Duration(i)*time.Millisecond), r))
	}
	return c
}

// pseudoWord makes a pronounceable lower-case word of the given number of syllables.
func pseudoWord(r *rand.Rand, syllables int) string {
	const consonants, vowels = "bdfghklmnprstvwz", "aeiou"
	var b strings.Builder
	for range syllables {
		b.WriteByte(consonants[r.IntN(len(consonants))])
		b.WriteByte(vowels[r.IntN(len(vowels))])
		if r.IntN(3) == 0 {
			b.WriteByte(consonants[r.IntN(len(consonants))])
		}
	}
	return b.String()
}

// text returns n words drawn from the vocabulary with a Zipf distribution, like prose.
func (c *corpus) text(z *rand.Zipf, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.words[z.Uint64()])
	}
	return b.String()
}

// searchWord returns a word to search for: ranks 100 to 1,099 of the vocabulary, a specific
// but not rare word.
func (c *corpus) searchWord(r *rand.Rand) string {
	return c.words[100+r.IntN(1000)]
}

func (c *corpus) zipf(r *rand.Rand) *rand.Zipf {
	return rand.NewZipf(r, 1.07, 2, uint64(len(c.words)-1))
}

// newID makes an identifier like Biebplein's NewID (26 characters of Crockford base32, 48 bits
// of milliseconds then 80 random bits), with the random bits from r so runs are repeatable.
func newID(t time.Time, r *rand.Rand) string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	ms := uint64(t.UnixMilli())
	hi := ms<<16 | r.Uint64()&0xffff
	lo := r.Uint64()
	out := make([]byte, 26)
	for i := 25; i >= 0; i-- {
		out[i] = alphabet[lo&31]
		lo = lo>>5 | hi<<59
		hi >>= 5
	}
	return string(out)
}

// bench runs the workloads of one run against one database.
type bench struct {
	db     *benchDB
	cfg    config
	c      *corpus
	people []string // ids of the people inserted, in order
	posted atomic.Int64
}

// result is one workload's summary under its name.
type result struct {
	workload string
	summary
}

// Workload names, in the order they run and are reported.
const (
	wlPeople      = "1. insert person + 3 tags, 1 tx each, 1 goroutine"
	wlPosts       = "2a. insert post, 1 tx each, 4 goroutines"
	wlPostsBatch  = "2b. insert posts, 1,000 per tx (latency per tx)"
	wlPoint       = "3. person by id + tags, 8 readers"
	wlPage        = "4. 20 newest posts of a group + author, 8 readers"
	wlSearch      = "5. FTS5 word search, top 20 by rank, 8 readers"
	wlMixedReads  = "6. mixed 8 readers (3 and 4 alternating): reads"
	wlMixedWrites = "6. mixed 1 writer (post, 1 tx each): writes"
)

// workloadOrder lists the workload names in report order.
func workloadOrder() []string {
	return []string{wlPeople, wlPosts, wlPostsBatch, wlPoint, wlPage, wlSearch, wlMixedReads, wlMixedWrites}
}

// runAll runs every workload in order on a fresh, empty database and returns the results.
// progress is called with each result as soon as it is known.
func (b *bench) runAll(ctx context.Context, progress func(result)) ([]result, error) {
	var out []result
	add := func(name string, s summary, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r := result{workload: name, summary: s}
		out = append(out, r)
		progress(r)
		return nil
	}
	if err := b.insertOrganisations(ctx); err != nil {
		return nil, err
	}
	s, err := b.insertPeople(ctx)
	if err := add(wlPeople, s, err); err != nil {
		return out, err
	}
	s, err = b.insertPosts(ctx)
	if err := add(wlPosts, s, err); err != nil {
		return out, err
	}
	s, err = b.insertPostsBatched(ctx)
	if err := add(wlPostsBatch, s, err); err != nil {
		return out, err
	}
	s, err = parallel(ctx, b.cfg.readers, b.cfg.lookups, time.Time{}, b.seedFor(3), b.readPerson)
	if err := add(wlPoint, s, err); err != nil {
		return out, err
	}
	s, err = parallel(ctx, b.cfg.readers, b.cfg.pages, time.Time{}, b.seedFor(4), b.readPage)
	if err := add(wlPage, s, err); err != nil {
		return out, err
	}
	s, err = b.search(ctx)
	if err := add(wlSearch, s, err); err != nil {
		return out, err
	}
	reads, writes, err := b.mixed(ctx)
	if err := add(wlMixedReads, reads, err); err != nil {
		return out, err
	}
	if err := add(wlMixedWrites, writes, nil); err != nil {
		return out, err
	}
	return out, nil
}

func (b *bench) seedFor(workload uint64) uint64 { return b.cfg.seed*100 + workload }

func (b *bench) insertOrganisations(ctx context.Context) error {
	for i, id := range b.c.orgIDs {
		if _, err := b.db.writer.ExecContext(ctx, "INSERT INTO organisations (id, name) VALUES (?, ?)", id, fmt.Sprintf("Bibliotheek %d", i)); err != nil {
			return err
		}
	}
	return nil
}

// insertPeople is workload 1: each person and their three tags in a transaction of its own,
// from one goroutine.
func (b *bench) insertPeople(ctx context.Context) (summary, error) {
	r := rand.New(rand.NewPCG(b.seedFor(1), 0))
	z := b.c.zipf(r)
	kinds := []string{"staff", "volunteer", "partner"}
	b.people = make([]string, 0, b.cfg.people)
	lat := make([]time.Duration, 0, b.cfg.people)
	begin := time.Now()
	for i := range b.cfg.people {
		created := b.c.start.Add(time.Hour + time.Duration(i)*time.Millisecond)
		id := newID(created, r)
		name := strings.ToUpper(b.c.words[r.IntN(len(b.c.words))][:1]) + b.c.words[r.IntN(len(b.c.words))][1:] + " " + b.c.words[r.IntN(len(b.c.words))]
		email := fmt.Sprintf("person%07d@example.org", i)
		org := b.c.orgIDs[r.IntN(len(b.c.orgIDs))]
		function := b.c.text(z, 3)
		bio := b.c.text(z, 20+r.IntN(40))
		t1, t2, t3 := r.IntN(tagVocabulary), r.IntN(tagVocabulary), r.IntN(tagVocabulary)
		for t2 == t1 {
			t2 = r.IntN(tagVocabulary)
		}
		t0 := time.Now()
		err := b.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO people (id, email, name, kind, organisation_id, function, bio, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, email, name, kinds[i%len(kinds)], org, function, bio, created.Format(timeFormat)); err != nil {
				return err
			}
			for pos, tag := range []struct {
				kind string
				t    int
			}{{"expertise", t1}, {"expertise", t2}, {"interest", t3}} {
				if _, err := tx.ExecContext(ctx, "INSERT INTO person_tags (person_id, kind, tag, position) VALUES (?, ?, ?, ?)",
					id, tag.kind, b.c.tags[tag.t], pos); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return summary{}, err
		}
		lat = append(lat, time.Since(t0))
		b.people = append(b.people, id)
	}
	return summarize(len(lat), time.Since(begin), lat), nil
}

// inTx runs f in a writer transaction (BEGIN IMMEDIATE) and commits it.
func (b *bench) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := b.db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// newPost returns the arguments of one post insert. Creation times follow the order in which
// posts are made, across goroutines.
func (b *bench) newPost(r *rand.Rand, z *rand.Zipf) []any {
	n := b.posted.Add(1)
	created := b.c.start.Add(24*time.Hour + time.Duration(n)*time.Millisecond)
	return []any{
		newID(created, r),
		b.c.groups[r.IntN(len(b.c.groups))],
		b.people[r.IntN(len(b.people))],
		b.c.text(z, 15+r.IntN(66)),
		created.Format(timeFormat),
	}
}

const insertPost = "INSERT INTO posts (id, group_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)"

// insertPosts is workload 2a: cfg.postWriters goroutines each inserting one post per
// transaction; they queue on the single writer connection. The latency includes that wait.
func (b *bench) insertPosts(ctx context.Context) (summary, error) {
	deadline := time.Now().Add(b.cfg.postCap)
	s, err := parallel(ctx, b.cfg.postWriters, b.cfg.posts, deadline, b.seedFor(2), func(ctx context.Context, r *rand.Rand, z *rand.Zipf) error {
		args := b.newPost(r, z)
		return b.inTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, insertPost, args...)
			return err
		})
	})
	if err == nil && s.ops < b.cfg.posts {
		s.note = fmt.Sprintf("stopped after %s", b.cfg.postCap)
	}
	return s, err
}

// insertPostsBatched is workload 2b: as many posts again, cfg.batch per transaction, from one
// goroutine. Throughput counts posts; latency is per transaction.
func (b *bench) insertPostsBatched(ctx context.Context) (summary, error) {
	r := rand.New(rand.NewPCG(b.seedFor(2), 99))
	z := b.c.zipf(r)
	var lat []time.Duration
	begin := time.Now()
	done := 0
	for done < b.cfg.posts {
		n := min(b.cfg.batch, b.cfg.posts-done)
		t0 := time.Now()
		err := b.inTx(ctx, func(tx *sql.Tx) error {
			for range n {
				if _, err := tx.ExecContext(ctx, insertPost, b.newPost(r, z)...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return summary{}, err
		}
		lat = append(lat, time.Since(t0))
		done += n
	}
	return summarize(done, time.Since(begin), lat), nil
}

// readPerson is workload 3's operation: a person by id, then their tags, on the reader pool.
func (b *bench) readPerson(ctx context.Context, r *rand.Rand, _ *rand.Zipf) error {
	id := b.people[r.IntN(len(b.people))]
	var p struct {
		id, email, name, kind, org, function, bio string
		created                                   time.Time
	}
	err := b.db.reader.QueryRowContext(ctx, `SELECT id, email, name, kind, organisation_id, function, bio, created_at
		FROM people WHERE id = ?`, id).Scan(&p.id, &p.email, &p.name, &p.kind, &p.org, &p.function, &p.bio, &p.created)
	if err != nil {
		return err
	}
	rows, err := b.db.reader.QueryContext(ctx, "SELECT kind, tag FROM person_tags WHERE person_id = ? ORDER BY kind, position", id)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var kind, tag string
		if err := rows.Scan(&kind, &tag); err != nil {
			return err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != 3 {
		return fmt.Errorf("person %s has %d tags, want 3", id, n)
	}
	return nil
}

// readPage is workload 4's operation: the newest posts of a group with their authors' names.
func (b *bench) readPage(ctx context.Context, r *rand.Rand, _ *rand.Zipf) error {
	group := b.c.groups[r.IntN(len(b.c.groups))]
	rows, err := b.db.reader.QueryContext(ctx, `SELECT p.id, p.author_id, a.name, p.body, p.created_at
		FROM posts p JOIN people a ON a.id = p.author_id
		WHERE p.group_id = ? ORDER BY p.created_at DESC LIMIT ?`, group, pageSize)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, author, name, body string
		var created time.Time
		if err := rows.Scan(&id, &author, &name, &body, &created); err != nil {
			return err
		}
	}
	return rows.Err()
}

// search is workload 5: a one-word full-text query, the 20 best matches by rank with a
// snippet, joined back to the posts. The note gives the average number of posts that matched.
func (b *bench) search(ctx context.Context) (summary, error) {
	var matched atomic.Int64
	s, err := parallel(ctx, b.cfg.readers, b.cfg.searches, time.Time{}, b.seedFor(5), func(ctx context.Context, r *rand.Rand, _ *rand.Zipf) error {
		word := b.c.searchWord(r)
		rows, err := b.db.reader.QueryContext(ctx, `SELECT p.id, p.group_id, p.created_at, snippet(posts_fts, 0, '[', ']', '…', 10)
			FROM posts_fts JOIN posts p ON p.rowid = posts_fts.rowid
			WHERE posts_fts MATCH ? ORDER BY rank LIMIT ?`, word, pageSize)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, group, snippet string
			var created time.Time
			if err := rows.Scan(&id, &group, &created, &snippet); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return s, err
	}
	// How selective the queries were, counted once outside the timing on a sample of words.
	r := rand.New(rand.NewPCG(b.seedFor(5), 1000))
	const sample = 50
	for range sample {
		var n int64
		if err := b.db.reader.QueryRowContext(ctx, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?", b.c.searchWord(r)).Scan(&n); err != nil {
			return s, err
		}
		matched.Add(n)
	}
	var total int64
	if err := b.db.reader.QueryRowContext(ctx, "SELECT count(*) FROM posts").Scan(&total); err != nil {
		return s, err
	}
	s.note = fmt.Sprintf("a word matches %d of %d posts on average", matched.Load()/sample, total)
	return s, nil
}

// mixed is workload 6: cfg.readers goroutines alternating workloads 3 and 4 while one
// goroutine inserts posts one per transaction, for cfg.mixed.
func (b *bench) mixed(ctx context.Context) (reads, writes summary, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	deadline := time.Now().Add(b.cfg.mixed)
	var wg sync.WaitGroup
	var writeErr error
	wg.Go(func() {
		writes, writeErr = parallel(ctx, 1, 1<<40, deadline, b.seedFor(6), func(ctx context.Context, r *rand.Rand, z *rand.Zipf) error {
			args := b.newPost(r, z)
			return b.inTx(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, insertPost, args...)
				return err
			})
		})
		if writeErr != nil {
			cancel()
		}
	})
	reads, err = parallel(ctx, b.cfg.readers, 1<<40, deadline, b.seedFor(7), func(ctx context.Context, r *rand.Rand, z *rand.Zipf) error {
		if r.IntN(2) == 0 {
			return b.readPerson(ctx, r, z)
		}
		return b.readPage(ctx, r, z)
	})
	if err != nil {
		cancel()
	}
	wg.Wait()
	return reads, writes, errors.Join(err, writeErr)
}

// parallel runs op total times from workers goroutines, or until deadline if it is not zero,
// and summarizes the latencies of the operations. Each goroutine has its own random source.
// The first error stops all of them.
func parallel(ctx context.Context, workers, total int, deadline time.Time, seed uint64,
	op func(context.Context, *rand.Rand, *rand.Zipf) error) (summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	lats := make([][]time.Duration, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	begin := time.Now()
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(seed, uint64(w)))
			z := rand.NewZipf(r, 1.07, 2, vocabularySize-1)
			lat := make([]time.Duration, 0, min(total/workers+1, 1<<16))
			for ctx.Err() == nil && next.Add(1) <= int64(total) {
				if !deadline.IsZero() && time.Now().After(deadline) {
					break
				}
				t0 := time.Now()
				if err := op(ctx, r, z); err != nil {
					if ctx.Err() == nil {
						errs[w] = err
					}
					cancel()
					break
				}
				lat = append(lat, time.Since(t0))
			}
			lats[w] = lat
		})
	}
	wg.Wait()
	elapsed := time.Since(begin)
	if err := errors.Join(errs...); err != nil {
		return summary{}, err
	}
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	return summarize(len(all), elapsed, all), nil
}
