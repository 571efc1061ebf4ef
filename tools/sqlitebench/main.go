// Command sqlitebench compares the two SQLite drivers Biebplein could use, the pure-Go
// modernc.org/sqlite and the cgo github.com/mattn/go-sqlite3, on one workload shaped like
// Biebplein's: people with tags, group posts with a full-text index, point reads, page reads,
// searches, and reads under a concurrent writer.
//
// Each run gives each driver a fresh database file in a temporary directory, opened the way
// Biebplein's store opens SQLite: WAL, foreign_keys on, busy_timeout 5000, synchronous NORMAL,
// a pool of one writer connection whose transactions BEGIN IMMEDIATE, and a separate pool of
// four query_only reader connections. The drivers take turns, in alternating order from run to
// run, and the report gives the median of the runs for every number.
//
// It lives in a module of its own so that the cgo driver never becomes a dependency of
// Biebplein. go-sqlite3 leaves FTS5 out unless built with the sqlite_fts5 tag:
//
//	CGO_ENABLED=1 go run -tags sqlite_fts5 . -runs 3 -out results.md
//
// Flags:
//
//	-n       scale factor for the operation counts (1: 10,000 people, 100,000 posts, ...)
//	-runs    runs per driver; the report gives medians
//	-driver  modernc, mattn or both
//	-out     also write the markdown report to this file
//	-mixed   how long the mixed workload runs
//	-postcap how long workload 2a may run before it stops short of its count
//	-dir     where the temporary database directories go
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

func main() {
	scale := flag.Float64("n", 1, "scale factor for the operation counts (1: 10,000 people, 100,000 posts, 50,000 lookups)")
	runs := flag.Int("runs", 3, "runs per driver; the report gives medians")
	driver := flag.String("driver", "both", "driver to measure: modernc, mattn or both")
	out := flag.String("out", "", "also write the markdown report to this file")
	mixed := flag.Duration("mixed", 20*time.Second, "how long the mixed workload runs")
	postCap := flag.Duration("postcap", 90*time.Second, "workload 2a stops short of its count after this long")
	dir := flag.String("dir", "", "parent directory of the temporary databases (default: the system's temp dir)")
	flag.Parse()

	if *scale <= 0 || *runs < 1 || *mixed <= 0 || *postCap <= 0 {
		fmt.Fprintln(os.Stderr, "sqlitebench: -n, -runs, -mixed and -postcap must be positive")
		os.Exit(2)
	}
	var specs []driverSpec
	for _, s := range driverSpecs() {
		if *driver == "both" || *driver == s.name {
			specs = append(specs, s)
		}
	}
	if len(specs) == 0 {
		fmt.Fprintf(os.Stderr, "sqlitebench: unknown -driver %q: want modernc, mattn or both\n", *driver)
		os.Exit(2)
	}
	cfg := config{
		people:      scaled(10_000, *scale),
		posts:       scaled(100_000, *scale),
		batch:       1000,
		postWriters: 4,
		postCap:     *postCap,
		lookups:     scaled(50_000, *scale),
		pages:       scaled(20_000, *scale),
		searches:    scaled(5_000, *scale),
		readers:     8,
		readerConns: 4,
		mixed:       *mixed,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := run(ctx, cfg, specs, *runs, *dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sqlitebench:", err)
		os.Exit(1)
	}
	md := rep.markdown()
	fmt.Print(md)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(md), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "sqlitebench:", err)
			os.Exit(1)
		}
	}
}

func scaled(base int, scale float64) int { return max(1, int(float64(base)*scale+0.5)) }

// report holds every run's results, by driver and workload, and what the report prints
// about the setup.
type report struct {
	cfg      config
	runs     int
	drivers  []string
	settings map[string]string               // driver -> settings read back from SQLite
	results  map[string]map[string][]summary // driver -> workload -> one summary per run
	sizes    map[string][]int64              // driver -> database size after each run
	loads    []string                        // the 1-minute load average after each driver run
	elapsed  time.Duration
}

// run measures every driver runs times and collects the results.
func run(ctx context.Context, cfg config, specs []driverSpec, runs int, parent string) (*report, error) {
	rep := &report{
		cfg:      cfg,
		runs:     runs,
		settings: map[string]string{},
		results:  map[string]map[string][]summary{},
		sizes:    map[string][]int64{},
	}
	for _, s := range specs {
		rep.drivers = append(rep.drivers, s.name)
		rep.results[s.name] = map[string][]summary{}
	}
	for _, s := range specs {
		if err := checkFTS5(ctx, s); err != nil {
			return nil, err
		}
	}
	begin := time.Now()
	for i := range runs {
		order := slices.Clone(specs)
		if i%2 == 1 {
			slices.Reverse(order)
		}
		for _, spec := range order {
			cfg.seed = uint64(i + 1)
			fmt.Fprintf(os.Stderr, "run %d/%d %s\n", i+1, runs, spec.name)
			res, size, settings, err := runDriver(ctx, cfg, spec, parent)
			if err != nil {
				return nil, fmt.Errorf("run %d, %s: %w", i+1, spec.name, err)
			}
			rep.settings[spec.name] = settings
			rep.sizes[spec.name] = append(rep.sizes[spec.name], size)
			if l := loadAverage(); l != "" {
				rep.loads = append(rep.loads, fmt.Sprintf("%s %d: %s", spec.name, i+1, l))
				fmt.Fprintf(os.Stderr, "  load average (1 min) after the run: %s\n", l)
			}
			for _, r := range res {
				rep.results[spec.name][r.workload] = append(rep.results[spec.name][r.workload], r.summary)
			}
			runtime.GC()
		}
	}
	rep.elapsed = time.Since(begin)
	return rep, nil
}

// runDriver runs all workloads once for one driver on a fresh database in a new temporary
// directory, which it removes afterwards. It returns the results, the size of the database
// files at the end, and the settings the connections were found to have.
func runDriver(ctx context.Context, cfg config, spec driverSpec, parent string) (_ []result, size int64, settings string, err error) {
	dir, err := os.MkdirTemp(parent, "sqlitebench-"+spec.name+"-")
	if err != nil {
		return nil, 0, "", err
	}
	defer os.RemoveAll(dir)
	db, err := openDB(spec, filepath.Join(dir, "bench.db"), cfg.readerConns)
	if err != nil {
		return nil, 0, "", err
	}
	defer db.Close()
	if err := db.createSchema(ctx); err != nil {
		return nil, 0, "", err
	}
	if settings, err = db.checkSettings(ctx); err != nil {
		return nil, 0, "", err
	}
	fmt.Fprintf(os.Stderr, "  %s\n", settings)
	b := &bench{db: db, cfg: cfg, c: newCorpus(cfg.seed)}
	res, err := b.runAll(ctx, func(r result) {
		fmt.Fprintf(os.Stderr, "  %-52s %8d ops %10s ops/s  p50 %-9s p95 %-9s p99 %-9s %s\n",
			r.workload, r.ops, formatRate(r.opsPerSec), formatLatency(r.p50), formatLatency(r.p95), formatLatency(r.p99), r.note)
	})
	if err != nil {
		return nil, 0, "", err
	}
	if _, err := db.writer.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return nil, 0, "", err
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if fi, err := e.Info(); err == nil {
			size += fi.Size()
		}
	}
	return res, size, settings, nil
}

// markdown renders the medians as a markdown table, with the setup above it and the notes
// below it.
func (rep *report) markdown() string {
	var b strings.Builder
	c := rep.cfg
	fmt.Fprintf(&b, "## sqlitebench results\n\n")
	fmt.Fprintf(&b, "%s %s/%s, %d CPUs (GOMAXPROCS %d); medians of %d runs per driver; total time %s.\n\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0), rep.runs, rep.elapsed.Round(time.Second))
	fmt.Fprintf(&b, "Counts: %d people, %d posts one per transaction (4 goroutines, at most %s) then %d posts in transactions of %d, "+
		"%d lookups, %d page reads, %d searches, mixed for %s; %d reading goroutines on %d reader connections, 1 writer connection.\n\n",
		c.people, c.posts, c.postCap, c.posts, c.batch, c.lookups, c.pages, c.searches, c.mixed, c.readers, c.readerConns)
	if len(rep.loads) > 0 {
		// Other processes on a small machine skew the numbers: a load well above the CPU
		// count while a driver ran means that run's numbers are not to be trusted.
		fmt.Fprintf(&b, "1-minute load average after each driver's run: %s.\n\n", strings.Join(rep.loads, ", "))
	}
	for _, d := range rep.drivers {
		fmt.Fprintf(&b, "- %s: %s; database after a run: %.0f MiB\n", d, rep.settings[d], float64(medianInt(rep.sizes[d]))/(1<<20))
	}
	b.WriteString("\n| workload | driver | ops | ops/s | ops/s of the runs | p50 | p95 | p99 |")
	both := len(rep.drivers) == 2
	if both {
		fmt.Fprintf(&b, " %s ÷ %s ops/s |", rep.drivers[1], rep.drivers[0])
	}
	b.WriteString("\n|---|---|--:|--:|--:|--:|--:|--:|")
	if both {
		b.WriteString("--:|")
	}
	b.WriteString("\n")
	var notes []string
	for _, w := range workloadOrder() {
		var first summary
		for i, d := range rep.drivers {
			runs := rep.results[d][w]
			if len(runs) == 0 {
				continue
			}
			m := medianOf(runs)
			name := w
			if i > 0 {
				name = ""
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %s | %s–%s | %s | %s | %s |", name, d, m.ops, formatRate(m.opsPerSec),
				formatRate(m.minRate), formatRate(m.maxRate), formatLatency(m.p50), formatLatency(m.p95), formatLatency(m.p99))
			if both {
				if i == 0 {
					first = m
					b.WriteString(" |")
				} else if first.opsPerSec > 0 {
					fmt.Fprintf(&b, " %.2f× |", m.opsPerSec/first.opsPerSec)
				}
			}
			b.WriteString("\n")
			if m.note != "" {
				notes = append(notes, fmt.Sprintf("%s, %s: %s", w, d, m.note))
			}
		}
	}
	if len(notes) > 0 {
		b.WriteString("\nNotes (last run):\n\n")
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}

// loadAverage returns the 1-minute load average on Linux, or "" where it cannot be read.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func medianInt(v []int64) int64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
