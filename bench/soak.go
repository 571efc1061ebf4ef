package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/biebplein/biebplein/i18n"
)

// SoakOptions configure Soak.
type SoakOptions struct {
	// Database, Scale, Keep, Reuse and Seed as for Feed.
	Database string
	Scale    float64
	Keep     bool
	Reuse    bool
	Seed     uint64
	Rate     int           // requests started per second, whatever the answers take
	Duration time.Duration // of the whole soak
	Workers  int           // requests under way at most; a request due when all are busy is dropped
	Sample   time.Duration // how often the server's memory is read
	Out      string
	Binary   string
	Stdout   io.Writer
	Texts    i18n.Localizer

	// broken sends the requests of this kind to a path that does not exist: for the test
	// that errors are counted.
	broken string
}

// The kinds of request of the soak, and how many of every 100 are of each: 70 reads, 30
// writes.
var soakMix = []struct {
	kind  string
	share int
}{
	{SoakHome, 30}, {SoakGroup, 15}, {SoakPostPage, 15}, {SoakNotifications, 10},
	{SoakPost, 10}, {SoakComment, 10}, {SoakReaction, 6}, {SoakVote, 4},
}

// The kinds of request of the soak.
const (
	SoakHome          = "home"
	SoakGroup         = "group"
	SoakPostPage      = "post_page"
	SoakNotifications = "notifications"
	SoakPost          = "post"
	SoakComment       = "comment"
	SoakReaction      = "reaction"
	SoakVote          = "vote"
)

// Limits on the soak's options.
const (
	maxSoakRate     = 10_000
	maxSoakDuration = 24 * time.Hour
	maxSoakWorkers  = 1024
	// soakLate is how long after its time a request may start before it counts as late.
	soakLate = 50 * time.Millisecond
	// soakRecent is how many posts per group the load keeps to read, comment and react on.
	soakRecent = 32
)

func (o *SoakOptions) check() error {
	switch {
	case o.Scale <= 0 || o.Scale > maxScale:
		return fmt.Errorf("--scale %g: %s", o.Scale, o.Texts.T("cli.bench.bad_scale", maxScale))
	case o.Rate < 1 || o.Rate > maxSoakRate:
		return fmt.Errorf("--rate %d: %s", o.Rate, o.Texts.T("cli.bench.soak.bad_rate", maxSoakRate))
	case o.Duration <= 0 || o.Duration > maxSoakDuration:
		return fmt.Errorf("--duration %s: %s", o.Duration, o.Texts.T("cli.bench.bad_duration", maxSoakDuration))
	case o.Workers < 1 || o.Workers > maxSoakWorkers:
		return fmt.Errorf("--workers %d: %s", o.Workers, o.Texts.T("cli.bench.soak.bad_workers", maxSoakWorkers))
	case o.Sample <= 0 || o.Sample > o.Duration:
		return fmt.Errorf("--sample %s: %s", o.Sample, o.Texts.T("cli.bench.soak.bad_sample"))
	case o.Binary == "":
		return errors.New("bench: no server binary")
	}
	return nil
}

// ErrSoakErrors is returned, after the report, when a request of the soak failed.
var ErrSoakErrors = errors.New("bench: the soak had errors")

// ErrSoakMemory is returned, after the report, when the server's memory was not flat after
// the warm-up (SoakReport.MemoryVerdict).
var ErrSoakMemory = errors.New("bench: the server's memory was not flat after the warm-up")

// Soak runs the soak: generate (or reuse) a network, start the server, send it a mix of
// reads and writes at a fixed rate for the duration, reading the server's memory as it goes,
// and report. Requests start on time whether or not earlier ones have been answered (an open
// loop): a request due while every worker is busy is counted as dropped, never sent later.
// Any error makes it return ErrSoakErrors after the report; memory that is not flat after
// the warm-up, ErrSoakMemory.
func Soak(ctx context.Context, o SoakOptions) (*SoakReport, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	say := func(key string, args ...any) { fmt.Fprintln(o.Stdout, o.Texts.T(key, args...)) }
	dir, dsn, cleanup, err := workDir("biebplein-soak-", "soak.db", o.Database, o.Keep, say)
	if err != nil {
		return nil, err
	}
	defer cleanup()

	// The feed benchmark's preparation: the network, its row counts and the members' tokens.
	feed := Options{Database: o.Database, Scale: o.Scale, Clients: max(1, o.Workers/identitiesPerClient), Reuse: o.Reuse,
		Seed: o.Seed, Texts: o.Texts}
	fr := &Report{}
	ids, err := prepare(ctx, feed, dsn, fr, say)
	if err != nil {
		return nil, err
	}
	r := &SoakReport{Scale: o.Scale, Rate: o.Rate, Duration: o.Duration, Workers: o.Workers, Rows: fr.Rows,
		Generation: fr.Generation, Reused: fr.Reused, Identities: len(ids)}
	r.machineFacts()
	r.Database, r.DatabaseVersion = fr.Database, fr.DatabaseVersion

	srv, err := StartServer(ctx, o.Binary, dsn, filepath.Join(dir, "data"))
	if err != nil {
		return nil, err
	}
	if !localOnly(srv.URL()) {
		_ = srv.Stop()
		return nil, fmt.Errorf("bench: server address %s is not on 127.0.0.1", srv.URL())
	}
	say("cli.bench.server", srv.URL(), srv.PID())
	err = soak(ctx, o, srv, ids, r, say)
	if serr := srv.Stop(); err == nil {
		err = serr
	}
	if err != nil {
		return nil, err
	}
	if err := printReport(o.Stdout, o.Out, r.Markdown(o.Texts), say); err != nil {
		return nil, err
	}
	if r.Errors() > 0 {
		return r, fmt.Errorf("%w: %s", ErrSoakErrors, o.Texts.T("cli.bench.soak.failed", r.Errors()))
	}
	if v := r.MemoryVerdict(); v.Judged && !v.Flat {
		return r, fmt.Errorf("%w: %s", ErrSoakMemory, o.Texts.T("cli.bench.soak.memory_failed", signedMiB(v.Growth()), mib(v.Tolerance)))
	}
	return r, nil
}

// soakJob is one request to send, with the moment it was due.
type soakJob struct {
	kind string
	due  time.Time
	n    int
}

// soakLoad is the state the workers share: the members, the polls they may vote on, and per
// group the newest posts the load wrote, to read, comment and react on.
type soakLoad struct {
	o     SoakOptions
	base  string
	hc    *http.Client
	ids   []*identity
	polls map[*identity][]soakPoll

	mu     sync.Mutex
	recent map[string][]string // group -> newest posts of the soak, oldest first

	stats  map[string]*soakKindStats
	minute []SoakMinute
	late   int // requests that started more than soakLate after they were due
	start  time.Time
}

type soakPoll struct {
	id      string
	options []string
}

// soakKindStats are the answers to one kind of request.
type soakKindStats struct {
	latencies []time.Duration
	errors    int
	samples   []string
}

// soak sends the load for o.Duration against srv and fills in r.
func soak(ctx context.Context, o SoakOptions, srv *Server, ids []*identity, r *SoakReport, say func(string, ...any)) error {
	l := &soakLoad{o: o, base: srv.URL(), hc: newHTTPClient(o.Workers), ids: ids, polls: map[*identity][]soakPoll{},
		recent: map[string][]string{}, stats: map[string]*soakKindStats{}}
	defer l.hc.CloseIdleConnections()
	for _, m := range soakMix {
		l.stats[m.kind] = &soakKindStats{}
	}
	if err := l.makePolls(ctx); err != nil {
		return err
	}
	say("cli.bench.soak.running", o.Rate, o.Duration, o.Workers, len(ids))

	ctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	jobs := make(chan soakJob, o.Workers)
	var wg sync.WaitGroup
	for w := range o.Workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(o.Seed, uint64(1000+w)))
			for j := range jobs {
				l.run(ctx, j, rng)
			}
		})
	}
	var samples []MemorySample
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		samples = sampleMemory(ctx, srv.PID(), o.Sample, func(s MemorySample) {
			say("cli.bench.soak.sample", s.At.Round(time.Second), s.RSS>>20, l.requestsSoFar())
		})
	}()

	// The schedule: request n is due at start + n/rate, whatever happened to the others.
	rng := rand.New(rand.NewPCG(o.Seed, 3))
	interval := time.Second / time.Duration(o.Rate)
	l.start = time.Now()
	var dropped int
	timer := time.NewTimer(0)
	defer timer.Stop()
schedule:
	for n := 0; ; n++ {
		due := l.start.Add(time.Duration(n) * interval)
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				break schedule
			case <-timer.C:
			}
		} else if ctx.Err() != nil {
			break
		}
		select {
		case jobs <- soakJob{kind: soakKind(rng), due: due, n: n}:
			r.Scheduled++
		default:
			dropped++
		}
	}
	close(jobs)
	wg.Wait()
	<-sampled
	r.Elapsed = time.Since(l.start)
	r.Dropped, r.Late = dropped, l.late
	r.Memory = samples
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range soakMix {
		s := l.stats[m.kind]
		slices.Sort(s.latencies)
		k := SoakKind{Kind: m.kind, Requests: len(s.latencies), Errors: s.errors, Samples: s.samples,
			P50: percentile(s.latencies, 50), P95: percentile(s.latencies, 95), P99: percentile(s.latencies, 99)}
		if len(s.latencies) > 0 {
			k.Max = s.latencies[len(s.latencies)-1]
		}
		r.Kinds = append(r.Kinds, k)
	}
	r.Minutes = l.minute
	r.finishMinutes()
	return nil
}

// soakKind picks the kind of the next request by the shares of the mix.
func soakKind(rng *rand.Rand) string {
	n := rng.IntN(100)
	for _, m := range soakMix {
		if n < m.share {
			return m.kind
		}
		n -= m.share
	}
	return SoakHome
}

// makePolls has a few members each start a poll in one of their groups, for the votes; every
// member may vote on the polls in the groups they are a member of.
func (l *soakLoad) makePolls(ctx context.Context) error {
	var all []struct {
		group string
		poll  soakPoll
	}
	for i, id := range l.ids {
		if i%4 != 0 || len(id.member) == 0 {
			continue
		}
		g := id.member[0]
		req, err := id.post(ctx, l.base+"/api/v1/groups/"+url.PathEscape(g)+"/posts", map[string]any{"kind": "poll",
			"body": "Soaktest: welke dag?", "poll": map[string]any{"options": []string{"Maandag", "Dinsdag", "Woensdag"}}})
		if err != nil {
			return err
		}
		var p struct {
			ID   string `json:"id"`
			Poll struct {
				Options []struct {
					ID string `json:"id"`
				} `json:"options"`
			} `json:"poll"`
		}
		if _, err := l.send(req, &p); err != nil {
			return fmt.Errorf("bench: make a poll: %s", err)
		}
		sp := soakPoll{id: p.ID}
		for _, o := range p.Poll.Options {
			sp.options = append(sp.options, o.ID)
		}
		all = append(all, struct {
			group string
			poll  soakPoll
		}{g, sp})
	}
	for _, id := range l.ids {
		for _, p := range all {
			if slices.Contains(id.member, p.group) {
				l.polls[id] = append(l.polls[id], p.poll)
			}
		}
	}
	return nil
}

// run sends one request of the soak as a random member and records its answer.
func (l *soakLoad) run(ctx context.Context, j soakJob, rng *rand.Rand) {
	id := l.ids[rng.IntN(len(l.ids))]
	req, created, err := l.request(ctx, j, id, rng)
	t0 := time.Now()
	var failure string
	if err != nil {
		failure = err.Error()
	} else {
		var p struct {
			ID string `json:"id"`
		}
		var out any
		if created != "" {
			out = &p
		}
		failure, _ = l.send(req, out)
		if failure == "" && created != "" {
			l.remember(created, p.ID)
		}
	}
	took := time.Since(t0)
	if ctx.Err() != nil && failure != "" {
		return // cut off by the end of the soak, not failed
	}
	l.record(j, t0, took, failure)
}

// request makes the request of job j as id; created is the group of a new post, to remember
// its id.
func (l *soakLoad) request(ctx context.Context, j soakJob, id *identity, rng *rand.Rand) (req *http.Request, created string, err error) {
	kind := j.kind
	prefix := l.base
	if kind == l.o.broken {
		prefix += "/api/v1/broken"
	}
	pick := func(groups []string) string { return groups[rng.IntN(len(groups))] }
	// Without a post to read or answer yet, the member writes one.
	target := func(groups []string) (string, string) {
		g := pick(groups)
		l.mu.Lock()
		defer l.mu.Unlock()
		if posts := l.recent[g]; len(posts) > 0 {
			return g, posts[rng.IntN(len(posts))]
		}
		return g, ""
	}
	body := func(what string) string {
		return fmt.Sprintf("Soak %s %d: %s", what, j.n, sentences[rng.IntN(len(sentences))])
	}
	switch kind {
	case SoakHome:
		req, err = id.get(ctx, prefix+"/api/v1/feed")
		return req, "", err
	case SoakGroup:
		req, err = id.get(ctx, prefix+"/api/v1/groups/"+url.PathEscape(pick(id.readable))+"/posts")
		return req, "", err
	case SoakNotifications:
		req, err = id.get(ctx, prefix+"/api/v1/notifications")
		return req, "", err
	case SoakPostPage:
		if _, p := target(id.readable); p != "" {
			req, err = id.get(ctx, prefix+"/api/v1/posts/"+url.PathEscape(p))
			return req, "", err
		}
		req, err = id.get(ctx, prefix+"/api/v1/groups/"+url.PathEscape(pick(id.readable))+"/posts")
		return req, "", err
	case SoakComment, SoakReaction:
		_, p := target(id.member)
		if p == "" {
			break
		}
		if kind == SoakComment {
			req, err = id.post(ctx, prefix+"/api/v1/posts/"+url.PathEscape(p)+"/comments", map[string]any{"body": body("reactie")})
		} else {
			kinds := []string{"like", "thanks", "insightful", "celebrate"}
			req, err = id.post(ctx, prefix+"/api/v1/posts/"+url.PathEscape(p)+"/reactions", map[string]any{"kind": kinds[rng.IntN(len(kinds))]})
		}
		return req, "", err
	case SoakVote:
		polls := l.polls[id]
		if len(polls) == 0 {
			break
		}
		p := polls[rng.IntN(len(polls))]
		req, err = id.post(ctx, prefix+"/api/v1/posts/"+url.PathEscape(p.id)+"/votes",
			map[string]any{"option_ids": []string{p.options[rng.IntN(len(p.options))]}})
		return req, "", err
	}
	// A post: the kind itself, or a member with nothing to answer or vote on yet.
	g := pick(id.member)
	req, err = id.post(ctx, prefix+"/api/v1/groups/"+url.PathEscape(g)+"/posts", map[string]any{"kind": "post", "body": body("bericht")})
	return req, g, err
}

// send sends a request and reads its whole answer, decoding a 2xx answer into out when given.
// It returns "" on success, otherwise a short description of the failure.
func (l *soakLoad) send(req *http.Request, out any) (string, error) {
	resp, err := l.hc.Do(req)
	if err != nil {
		return err.Error(), err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err.Error(), err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		failure := fmt.Sprintf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, bytes.TrimSpace(b[:min(len(b), 300)]))
		return failure, errors.New(failure)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return err.Error(), err
		}
	}
	return "", nil
}

// remember keeps a new post of group g to read, comment and react on.
func (l *soakLoad) remember(g, post string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	posts := append(l.recent[g], post)
	if len(posts) > soakRecent {
		posts = posts[len(posts)-soakRecent:]
	}
	l.recent[g] = posts
}

// record counts one answer, in its kind and in its minute.
func (l *soakLoad) record(j soakJob, started time.Time, took time.Duration, failure string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if started.Sub(j.due) > soakLate {
		l.late++
	}
	s := l.stats[j.kind]
	s.latencies = append(s.latencies, took)
	m := int(j.due.Sub(l.start) / time.Minute)
	for len(l.minute) <= m {
		l.minute = append(l.minute, SoakMinute{Minute: len(l.minute) + 1})
	}
	l.minute[m].Requests++
	l.minute[m].latencies = append(l.minute[m].latencies, took)
	if failure != "" {
		s.errors++
		l.minute[m].Errors++
		if len(s.samples) < 3 && !slices.Contains(s.samples, failure) {
			s.samples = append(s.samples, failure)
		}
	}
}

func (l *soakLoad) requestsSoFar() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.stats {
		n += len(s.latencies)
	}
	return n
}

func (id *identity) post(ctx context.Context, u string, body any) (*http.Request, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+id.token)
	return r, nil
}

// MemorySample is the server's memory at one moment of the soak.
type MemorySample struct {
	At  time.Duration // since the start
	RSS int64         // resident memory in bytes, without mapped files' pages (residentMemory)
}

// sampleMemory reads the resident memory of process pid every interval until ctx ends, and
// once at the start and at the end. Without /proc (not Linux) it returns no samples.
func sampleMemory(ctx context.Context, pid int, interval time.Duration, each func(MemorySample)) []MemorySample {
	start := time.Now()
	var out []MemorySample
	read := func() {
		rss, err := residentMemory(pid)
		if err != nil {
			return
		}
		s := MemorySample{At: time.Since(start), RSS: rss}
		out = append(out, s)
		each(s)
	}
	read()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			read()
			return out
		case <-tick.C:
			read()
		}
	}
}

// residentMemory returns the resident memory that process pid holds itself, from
// /proc/<pid>/status in bytes: RssAnon and RssShmem, that is VmRSS without the pages of
// mapped files. SQLite maps the database file (store/db.go, mmap_size), and its pages that
// were read count in VmRSS though they are the operating system's file cache, which it takes
// back when it needs to; counted, they would grow with every page of the database read.
func residentMemory(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	var total int64
	found := 0
	for line := range strings.Lines(string(b)) {
		for _, name := range []string{"RssAnon:", "RssShmem:"} {
			if v, ok := strings.CutPrefix(line, name); ok {
				f := strings.Fields(v) // "123456 kB"
				if len(f) != 2 || f[1] != "kB" {
					continue
				}
				kb, err := strconv.ParseInt(f[0], 10, 64)
				if err != nil {
					return 0, err
				}
				total += kb << 10
				found++
			}
		}
	}
	if found < 2 {
		return 0, errors.New("bench: no RssAnon and RssShmem in /proc/" + strconv.Itoa(pid) + "/status")
	}
	return total, nil
}
