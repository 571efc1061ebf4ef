package bench

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/biebplein/biebplein/i18n"
)

// Report is everything a benchmark measured, with the facts needed to judge the figures.
type Report struct {
	When            time.Time
	GOOS, GOARCH    string
	CPUs            int
	CPUModel        string
	GoVersion       string
	Database        string // "sqlite" or "postgres"
	DatabaseVersion string
	LoadBefore      string // the load average when the benchmark started (Linux)
	Scale           float64
	Rows            map[string]int64
	Generation      time.Duration
	Clients         int
	Duration        time.Duration
	Warmup          time.Duration
	Runs            int
	Identities      int     // members the clients acted as
	GroupsPerMember float64 // their memberships on average
	Results         []RunResult
}

// Summary is one scenario over all runs: the median of each figure and the errors of all.
type Summary struct {
	Scenario      string
	Rate          float64
	P50, P95, P99 time.Duration
	Errors        int
	// Met says whether the medians reach the target; nil when it sets none.
	Met *bool
}

// machineFacts fills in what the report says about the machine.
func (r *Report) machineFacts() {
	r.When = time.Now()
	r.GOOS, r.GOARCH, r.CPUs, r.GoVersion = runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version()
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				r.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	r.LoadBefore = loadAverage()
}

// loadAverage returns the 1, 5 and 15 minute load averages on Linux, "" elsewhere.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// Summaries returns one summary per scenario, in the order they ran.
func (r *Report) Summaries() []Summary {
	var out []Summary
	for _, sc := range scenarios() {
		var runs []RunResult
		for _, res := range r.Results {
			if res.Scenario == sc.name {
				runs = append(runs, res)
			}
		}
		if len(runs) == 0 {
			continue
		}
		s := Summary{Scenario: sc.name}
		s.Rate = median(runs, func(x RunResult) float64 { return x.Rate })
		s.P50 = time.Duration(median(runs, func(x RunResult) float64 { return float64(x.P50) }))
		s.P95 = time.Duration(median(runs, func(x RunResult) float64 { return float64(x.P95) }))
		s.P99 = time.Duration(median(runs, func(x RunResult) float64 { return float64(x.P99) }))
		for _, x := range runs {
			s.Errors += x.Errors
		}
		if sc.minRate > 0 || sc.maxP99 > 0 {
			met := s.Rate >= sc.minRate && (sc.maxP99 == 0 || s.P99 < sc.maxP99) && s.Errors == 0
			s.Met = &met
		}
		out = append(out, s)
	}
	return out
}

// median returns the median of f over the runs (the mean of the middle two for an even count).
func median(runs []RunResult, f func(RunResult) float64) float64 {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = f(r)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// reportTables lists the row counts in the report, in this order.
var reportTables = []string{"organisations", "people", "groups", "group_members", "follows", "posts", "post_topics",
	"post_mentions", "polls", "poll_votes", "post_reads", "comments", "reactions", "api_tokens"}

// Markdown renders the report: the machine and the data, the medians against the targets,
// then every run.
func (r *Report) Markdown(t i18n.Localizer) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("%s", t.T("cli.bench.report.title", r.When.UTC().Format("2006-01-02 15:04 MST")))
	line("")
	line("| | |")
	line("|---|---|")
	cpu := strconv.Itoa(r.CPUs)
	if r.CPUModel != "" {
		cpu += " (" + r.CPUModel + ")"
	}
	line("| %s | %s/%s |", t.T("cli.bench.report.os"), r.GOOS, r.GOARCH)
	line("| %s | %s |", t.T("cli.bench.report.cpus"), cpu)
	line("| %s | %s |", t.T("cli.bench.report.go"), r.GoVersion)
	line("| %s | %s %s |", t.T("cli.bench.report.database"), r.Database, r.DatabaseVersion)
	line("| %s | %s |", t.T("cli.bench.report.scale"), strconv.FormatFloat(r.Scale, 'g', -1, 64))
	var rows []string
	for _, table := range reportTables {
		rows = append(rows, table+" "+thousands(r.Rows[table]))
	}
	line("| %s | %s |", t.T("cli.bench.report.rows"), strings.Join(rows, ", "))
	line("| %s | %s |", t.T("cli.bench.report.generation"), r.Generation.Round(100*time.Millisecond))
	line("| %s | %s |", t.T("cli.bench.report.load"), t.T("cli.bench.report.load_value", r.Clients,
		r.Duration, r.Warmup, r.Runs, r.Identities, r.GroupsPerMember))
	if r.LoadBefore != "" {
		line("| %s | %s |", t.T("cli.bench.report.loadavg"), r.LoadBefore)
	}
	line("")
	line("%s", t.T("cli.bench.report.summary_header"))
	line("|---|---|--:|--:|--:|--:|--:|---|")
	for _, s := range r.Summaries() {
		met := "—"
		if s.Met != nil {
			met = t.T("cli.bench.report.no")
			if *s.Met {
				met = t.T("cli.bench.report.yes")
			}
		}
		line("| %s | %s | %s/s | %s | %s | %s | %d | %s |", t.T("cli.bench.scenario."+s.Scenario),
			t.T("cli.bench.target."+s.Scenario), thousands(int64(s.Rate+0.5)), ms(s.P50), ms(s.P95), ms(s.P99), s.Errors, met)
	}
	line("")
	line("%s", t.T("cli.bench.report.runs_header"))
	line("|---|--:|--:|--:|--:|--:|--:|--:|")
	for _, res := range r.Results {
		line("| %s | %d | %s | %s/s | %s | %s | %s | %d |", t.T("cli.bench.scenario."+res.Scenario), res.Run,
			thousands(int64(res.Requests)), thousands(int64(res.Rate+0.5)), ms(res.P50), ms(res.P95), ms(res.P99), res.Errors)
	}
	var samples []string
	for _, res := range r.Results {
		for _, s := range res.ErrorSamples {
			if len(samples) < 10 && !slices.Contains(samples, s) {
				samples = append(samples, s)
			}
		}
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

// ms formats a latency in milliseconds with one decimal.
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + " ms"
}

// thousands formats n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
