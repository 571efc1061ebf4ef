// Package bench measures Biebplein the way people use it: it generates a library network at
// scale into a fresh database (Generate, through the store's bulk loader), starts the real
// server as a child process, and sends it concurrent requests over HTTP from 127.0.0.1: home
// feed pages, group feed pages and new posts (Feed). The report sets the medians of repeated
// runs next to the targets of the issue.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/store"
)

// Options configure Feed.
type Options struct {
	// Database is the fresh database to fill: "" for an SQLite file in a temporary directory,
	// or sqlite:<file> or a postgres:// URL. A database that already has people is refused.
	Database string
	Scale    float64       // 1.0: 10,000 people, 1,000 groups, 1,000,000 posts
	Clients  int           // concurrent clients
	Duration time.Duration // measured per run and scenario
	Warmup   time.Duration // before each measurement
	Runs     int
	Out      string // also write the report to this file
	Keep     bool   // keep the temporary SQLite database
	// Reuse measures a database filled by an earlier run (with --keep or --database) instead
	// of refusing it; a fresh one is still generated.
	Reuse bool
	// Scenarios to run, by name (ScenarioHome, ...); none: all of the suite's.
	Scenarios []string
	// Suite is the benchmark: "" the feed's, SuiteSearch, SuiteExperts.
	Suite string
	Seed  uint64 // of the generated network; 0 picks 1
	// Binary is the biebplein executable to run as the server.
	Binary string
	// Stdout receives progress and the report.
	Stdout io.Writer
	Texts  i18n.Localizer
}

// Limits on the options, so that a typo cannot start a benchmark of days.
const (
	maxScale    = 10
	maxClients  = 1024
	maxDuration = time.Hour
	maxRuns     = 20
)

// ErrNotFresh is returned for a database that already has people.
var ErrNotFresh = errors.New("bench: the database already has people")

func (o *Options) check() error {
	switch {
	case o.Scale <= 0 || o.Scale > maxScale:
		return fmt.Errorf("--scale %g: %s", o.Scale, o.Texts.T("cli.bench.bad_scale", maxScale))
	case o.Clients < 1 || o.Clients > maxClients:
		return fmt.Errorf("--clients %d: %s", o.Clients, o.Texts.T("cli.bench.bad_clients", maxClients))
	case o.Duration <= 0 || o.Duration > maxDuration:
		return fmt.Errorf("--duration %s: %s", o.Duration, o.Texts.T("cli.bench.bad_duration", maxDuration))
	case o.Warmup < 0 || o.Warmup > maxDuration:
		return fmt.Errorf("--warmup %s: %s", o.Warmup, o.Texts.T("cli.bench.bad_duration", maxDuration))
	case o.Runs < 1 || o.Runs > maxRuns:
		return fmt.Errorf("--runs %d: %s", o.Runs, o.Texts.T("cli.bench.bad_runs", maxRuns))
	case o.Binary == "":
		return errors.New("bench: no server binary")
	}
	return nil
}

// Feed runs the feed benchmark: generate, create tokens, start the server, run every scenario
// Runs times, stop the server and report. The temporary database is removed unless Keep.
func Feed(ctx context.Context, o Options) (*Report, error) {
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

	dir, dsn, cleanup, err := workDir("biebplein-bench-", "bench.db", o.Database, o.Keep, say)
	if err != nil {
		return nil, err
	}
	defer cleanup()

	r := &Report{Suite: o.Suite, Scale: o.Scale, Clients: o.Clients, Duration: o.Duration, Warmup: o.Warmup, Runs: o.Runs}
	r.machineFacts()
	ids, err := prepare(ctx, o, dsn, r, say)
	if err != nil {
		return nil, err
	}

	if file, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		// Measure the program, not the disk: a database of gigabytes left the file cache while
		// it was written or since an earlier run, and the first minutes read it from disk.
		start := time.Now()
		if err := readThrough(file); err != nil {
			return nil, err
		}
		say("cli.bench.cached", time.Since(start).Round(100*time.Millisecond))
	}
	err = againstServer(ctx, o.Binary, dsn, filepath.Join(dir, "data"), say, func(base string) error {
		return measure(ctx, o, base, ids, r, say)
	})
	if err != nil {
		return nil, err
	}
	if err := printReport(o.Stdout, o.Out, r.Markdown(o.Texts), say); err != nil {
		return nil, err
	}
	return r, nil
}

// workDir makes the temporary directory of a run and names its database: database, or an
// SQLite file dbName in the directory. cleanup removes the directory, unless keep asks to
// keep a database made there (then it says where it is).
func workDir(prefix, dbName, database string, keep bool, say func(string, ...any)) (dir, dsn string, cleanup func(), err error) {
	if dir, err = os.MkdirTemp("", prefix); err != nil {
		return "", "", nil, err
	}
	dsn = database
	if dsn == "" {
		dsn = "sqlite:" + filepath.Join(dir, dbName)
	}
	return dir, dsn, func() {
		if keep && database == "" {
			say("cli.bench.kept", dsn)
			return
		}
		_ = os.RemoveAll(dir)
	}, nil
}

// readThrough reads a file once from start to end, which brings it into the operating
// system's file cache.
func readThrough(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// prepare fills the fresh database, counts its rows and makes the tokens the clients use,
// closing the database before the server opens it.
func prepare(ctx context.Context, o Options, dsn string, r *Report, say func(string, ...any)) ([]*identity, error) {
	db, err := store.Open(ctx, dsn, store.Options{Migrate: true})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	n, err := db.CountPeople(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 && !o.Reuse {
		return nil, fmt.Errorf("%w: %s", ErrNotFresh, o.Texts.T("cli.bench.not_fresh"))
	}
	r.Database = db.Dialect()
	if r.DatabaseVersion, err = db.ServerVersion(ctx); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(o.Seed, 2))
	var ids []*identity
	if n > 0 {
		say("cli.bench.reusing", n)
		r.Reused = true
		if ids, err = identitiesFromDB(ctx, db, o.Clients*identitiesPerClient, rng); err != nil {
			return nil, err
		}
		return ids, finishPrepare(ctx, db, ids, r, say)
	}
	sizes := SizesFor(o.Scale)
	say("cli.bench.generating", r.Database, o.Scale, sizes.People, sizes.Groups, sizes.Posts)
	start := time.Now()
	w, err := Generate(ctx, db, o.Scale, o.Seed, func(stage string, done, total int) {
		say("cli.bench.progress", stage, done, total, time.Since(start).Round(100*time.Millisecond))
	})
	if err != nil {
		return nil, err
	}
	r.Generation = w.Took
	say("cli.bench.generated", w.Took.Round(100*time.Millisecond))

	if ids, err = createIdentities(ctx, db, w, o.Clients*identitiesPerClient, rng); err != nil {
		return nil, err
	}
	return ids, finishPrepare(ctx, db, ids, r, say)
}

// finishPrepare reports the members the load acts as and counts the rows.
func finishPrepare(ctx context.Context, db *store.DB, ids []*identity, r *Report, say func(string, ...any)) error {
	if len(ids) == 0 {
		return errors.New("bench: no member to act as")
	}
	groups := 0
	for _, id := range ids {
		groups += len(id.member)
	}
	r.Identities, r.GroupsPerMember = len(ids), float64(groups)/float64(len(ids))
	say("cli.bench.tokens", len(ids), r.GroupsPerMember)
	var err error
	r.Rows, err = db.CountRows(ctx)
	return err
}

// measure runs each scenario Runs times, the reading ones first: posting adds posts to the
// members' groups, which would make later feed pages read a different network.
func measure(ctx context.Context, o Options, base string, ids []*identity, r *Report, say func(string, ...any)) error {
	clients := make([][]*identity, o.Clients)
	for i, id := range ids {
		clients[i%o.Clients] = append(clients[i%o.Clients], id)
	}
	for i := range clients {
		if len(clients[i]) == 0 { // fewer members than clients: share
			clients[i] = []*identity{ids[i%len(ids)]}
		}
	}
	hc := newHTTPClient(o.Clients)
	defer hc.CloseIdleConnections()
	for _, sc := range scenarios() {
		if len(o.Scenarios) > 0 && !slices.Contains(o.Scenarios, sc.name) || len(o.Scenarios) == 0 && sc.suite != o.Suite {
			continue
		}
		for run := 1; run <= o.Runs; run++ {
			say("cli.bench.running", run, o.Runs, o.Texts.T("cli.bench.scenario."+sc.name))
			res := runScenario(ctx, hc, base, sc, clients, o.Warmup, o.Duration, o.Seed+uint64(run))
			if err := ctx.Err(); err != nil {
				return err
			}
			res.Run = run
			r.Results = append(r.Results, res)
			say("cli.bench.result", res.Rate, ms(res.P50), ms(res.P95), ms(res.P99), res.Errors)
			if len(res.ErrorSamples) > 0 {
				say("cli.bench.first_error", res.ErrorSamples[0])
			}
		}
	}
	return nil
}

// againstServer starts this binary as the server on dsn, runs measure against its address
// and stops it again, keeping the first error.
func againstServer(ctx context.Context, binary, dsn, dataDir string, say func(string, ...any), measure func(base string) error) error {
	srv, err := StartServer(ctx, binary, dsn, dataDir)
	if err != nil {
		return err
	}
	if !localOnly(srv.base) {
		_ = srv.Stop()
		return fmt.Errorf("bench: server address %s is not on 127.0.0.1", srv.base)
	}
	say("cli.bench.server", srv.base, srv.PID())
	err = measure(srv.base)
	if serr := srv.Stop(); err == nil {
		err = serr
	}
	return err
}

// printReport prints a report's Markdown and, when out names a file, writes it there too.
func printReport(w io.Writer, out, md string, say func(string, ...any)) error {
	fmt.Fprintln(w)
	fmt.Fprint(w, md)
	if out == "" {
		return nil
	}
	if err := os.WriteFile(out, []byte(md), 0o644); err != nil {
		return err
	}
	say("cli.bench.written", out)
	return nil
}
