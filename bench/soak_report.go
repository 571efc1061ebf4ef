package bench

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/biebplein/biebplein/i18n"
)

// soakWarmup is when the soak's memory should be flat from: two minutes, or a third of a
// shorter soak. By then what legitimately fills has filled: the SQLite page cache of each
// connection (cache_size, 2 MiB; the writer and max(4, cores) readers) and its prepared
// statements (a few hundred shapes, store/stmtcache.go), the heap's collection rhythm. The feed heads and
// cards (store/epochcache.go) keep only the newest feed epoch's, which the soak's writes move
// many times a second, so they stay far below their bounds (32 MiB each) here.
func soakWarmup(d time.Duration) time.Duration { return min(2*time.Minute, d/3) }

// soakLevelWindow is how long after the warm-up the memory is taken as the level to compare
// with: a minute, or a sixth of a shorter soak. A median over a window rather than one
// sample, as the resident memory goes up and down by several MiB with the collector.
func soakLevelWindow(d time.Duration) time.Duration { return min(time.Minute, d/6) }

// soakTolerance is how much more the memory of the last third may be than the level after
// the warm-up for the memory to count as flat: a tenth, and at least 16 MiB (the swing of one
// collection cycle at the soak's rate).
func soakTolerance(warm int64) int64 { return max(16<<20, warm/10) }

// MemoryVerdict judges the server's resident memory after the warm-up: the median of the
// samples of the level window after the warm-up against the median of the last third of
// the soak.
type MemoryVerdict struct {
	Judged     bool          // there were samples in both
	Warmup     time.Duration // the end of the warm-up
	LevelUntil time.Duration // the end of the level window
	Level      int64         // median RSS of the level window
	LastFrom   time.Duration // the start of the last third
	Last       int64         // median RSS of the last third
	LastMax    int64         // highest RSS of the last third
	Tolerance  int64         // soakTolerance(Level)
	Flat       bool          // Last - Level <= Tolerance
}

// Growth is how much more the last third's median is than the level after the warm-up.
func (v MemoryVerdict) Growth() int64 { return v.Last - v.Level }

// MemoryVerdict returns the judgement of the memory samples.
func (r *SoakReport) MemoryVerdict() MemoryVerdict {
	v := MemoryVerdict{Warmup: soakWarmup(r.Duration)}
	v.LevelUntil = v.Warmup + soakLevelWindow(r.Duration)
	v.LastFrom = r.Duration - r.Duration/3
	var level, last []int64
	for _, s := range r.Memory {
		if s.At >= v.Warmup && s.At < v.LevelUntil {
			level = append(level, s.RSS)
		}
		if s.At >= v.LastFrom {
			last = append(last, s.RSS)
		}
	}
	if len(level) == 0 { // samples further apart than the window: the first after the warm-up
		for _, s := range r.Memory {
			if s.At >= v.Warmup {
				level = append(level, s.RSS)
				break
			}
		}
	}
	if len(level) == 0 || len(last) == 0 {
		return v
	}
	v.Judged = true
	v.Level, v.Last, v.LastMax = medianRSS(level), medianRSS(last), slices.Max(last)
	v.Tolerance = soakTolerance(v.Level)
	v.Flat = v.Growth() <= v.Tolerance
	return v
}

func medianRSS(xs []int64) int64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// SoakReport is everything the soak measured, with the facts needed to judge the figures.
type SoakReport struct {
	Machine
	Scale      float64
	Rows       map[string]int64
	Generation time.Duration
	Reused     bool
	Identities int
	Rate       int
	Duration   time.Duration
	Workers    int
	Elapsed    time.Duration // from the first request due to the last answer
	Scheduled  int           // requests handed to a worker
	Dropped    int           // due while every worker was busy: never sent
	Late       int           // sent more than 50 ms after they were due
	Kinds      []SoakKind
	Minutes    []SoakMinute
	Memory     []MemorySample
}

// SoakKind is the answers to one kind of request over the whole soak.
type SoakKind struct {
	Kind               string
	Requests, Errors   int
	P50, P95, P99, Max time.Duration
	Samples            []string // the first few errors
}

// SoakMinute is one minute of the soak: its requests (by when they were due), and the
// server's resident memory at its end.
type SoakMinute struct {
	Minute           int
	Requests, Errors int
	P50, P99         time.Duration
	RSS              int64 // the last sample within the minute; 0 without one
	latencies        []time.Duration
}

// Errors returns the number of failed requests of every kind.
func (r *SoakReport) Errors() int {
	n := 0
	for _, k := range r.Kinds {
		n += k.Errors
	}
	return n
}

// Requests returns the number of answered requests of every kind.
func (r *SoakReport) Requests() int {
	n := 0
	for _, k := range r.Kinds {
		n += k.Requests
	}
	return n
}

// finishMinutes computes each minute's percentiles and memory.
func (r *SoakReport) finishMinutes() {
	for i := range r.Minutes {
		m := &r.Minutes[i]
		slices.Sort(m.latencies)
		m.P50, m.P99 = percentile(m.latencies, 50), percentile(m.latencies, 99)
		m.latencies = nil
		for _, s := range r.Memory {
			if s.At <= time.Duration(m.Minute)*time.Minute {
				m.RSS = s.RSS
			}
		}
	}
}

// Markdown renders the report: the machine and the data, the load and what was achieved,
// each kind of request, and every minute with the server's memory.
func (r *SoakReport) Markdown(t i18n.Localizer) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("%s", t.T("cli.bench.soak.report.title", r.When.UTC().Format("2006-01-02 15:04 MST")))
	line("")
	r.Machine.rows(t, line)
	line("| %s | %s |", t.T("cli.bench.report.scale"), strconv.FormatFloat(r.Scale, 'g', -1, 64))
	var rows []string
	for _, table := range reportTables {
		rows = append(rows, table+" "+thousands(r.Rows[table]))
	}
	line("| %s | %s |", t.T("cli.bench.report.rows"), strings.Join(rows, ", "))
	if r.Reused {
		line("| %s | %s |", t.T("cli.bench.report.generation"), t.T("cli.bench.report.reused"))
	} else {
		line("| %s | %s |", t.T("cli.bench.report.generation"), r.Generation.Round(100*time.Millisecond))
	}
	line("| %s | %s |", t.T("cli.bench.report.load"), t.T("cli.bench.soak.report.load_value", r.Rate, r.Duration,
		r.Workers, r.Identities))
	rate := 0.0
	if r.Elapsed > 0 {
		rate = float64(r.Requests()) / r.Elapsed.Seconds()
	}
	line("| %s | %s |", t.T("cli.bench.soak.report.achieved"), t.T("cli.bench.soak.report.achieved_value",
		thousands(int64(r.Requests())), r.Elapsed.Round(time.Second), rate, thousands(int64(r.Dropped)), thousands(int64(r.Late)), r.Errors()))
	if r.LoadBefore != "" {
		line("| %s | %s |", t.T("cli.bench.report.loadavg"), r.LoadBefore)
	}
	line("")
	line("%s", t.T("cli.bench.soak.report.kinds_header"))
	line("|---|--:|--:|--:|--:|--:|--:|--:|")
	for _, k := range r.Kinds {
		share := 0
		for _, m := range soakMix {
			if m.kind == k.Kind {
				share = m.share
			}
		}
		line("| %s | %d %% | %s | %d | %s | %s | %s | %s |", t.T("cli.bench.soak.kind."+k.Kind), share,
			thousands(int64(k.Requests)), k.Errors, ms(k.P50), ms(k.P95), ms(k.P99), ms(k.Max))
	}
	line("")
	line("%s", t.T("cli.bench.soak.report.minutes_header"))
	line("|--:|--:|--:|--:|--:|--:|")
	for _, m := range r.Minutes {
		rss := "—"
		if m.RSS > 0 {
			rss = mib(m.RSS)
		}
		line("| %d | %s | %d | %s | %s | %s |", m.Minute, thousands(int64(m.Requests)), m.Errors, ms(m.P50), ms(m.P99), rss)
	}
	if v := r.MemoryVerdict(); v.Judged {
		line("")
		line("%s", t.T("cli.bench.soak.report.memory", v.Warmup.Round(time.Second), v.LevelUntil.Round(time.Second),
			mib(v.Level), v.LastFrom.Round(time.Second), mib(v.Last), mib(v.LastMax), signedMiB(v.Growth()),
			float64(v.Growth())*100/float64(v.Level), mib(v.Tolerance)))
		line("")
		if v.Flat {
			line("%s", t.T("cli.bench.soak.report.memory_flat"))
		} else {
			line("%s", t.T("cli.bench.soak.report.memory_not_flat"))
		}
	}
	var samples []string
	for _, k := range r.Kinds {
		samples = append(samples, k.Samples...)
	}
	if len(samples) > 0 {
		line("")
		line("%s", t.T("cli.bench.report.error_samples"))
		line("")
		for _, s := range samples {
			line("- `%s`", strings.ReplaceAll(s, "`", "'"))
		}
	}
	return b.String()
}

// mib formats bytes in MiB with one decimal.
func mib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
}

func signedMiB(n int64) string {
	if n >= 0 {
		return "+" + mib(n)
	}
	return "-" + mib(-n)
}
