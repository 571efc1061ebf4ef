package main

import (
	"fmt"
	"slices"
	"time"
)

// summary is what one workload measured in one run: how many operations it did, how fast, and
// the latency percentiles of a single operation.
type summary struct {
	ops       int
	elapsed   time.Duration
	opsPerSec float64
	p50       time.Duration
	p95       time.Duration
	p99       time.Duration
	note      string // anything worth printing beside the numbers (hits per query, a cut-off)

	// The lowest and highest opsPerSec of the runs a median was taken over.
	minRate, maxRate float64
}

// summarize turns the latencies of ops operations done in elapsed wall time into a summary.
// The operations counted may differ from len(lat): a batched insert counts rows, but times
// transactions.
func summarize(ops int, elapsed time.Duration, lat []time.Duration) summary {
	s := summary{ops: ops, elapsed: elapsed}
	if elapsed > 0 {
		s.opsPerSec = float64(ops) / elapsed.Seconds()
	}
	if len(lat) == 0 {
		return s
	}
	slices.Sort(lat)
	s.p50 = percentile(lat, 50)
	s.p95 = percentile(lat, 95)
	s.p99 = percentile(lat, 99)
	return s
}

// percentile returns the p-th percentile (nearest rank) of sorted, which must not be empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// medianOf returns the median of the summaries' metrics, each metric taken on its own. With an
// even count it averages the middle two.
func medianOf(runs []summary) summary {
	if len(runs) == 0 {
		return summary{}
	}
	ops := make([]float64, 0, len(runs))
	rate := make([]float64, 0, len(runs))
	p50 := make([]float64, 0, len(runs))
	p95 := make([]float64, 0, len(runs))
	p99 := make([]float64, 0, len(runs))
	for _, r := range runs {
		ops = append(ops, float64(r.ops))
		rate = append(rate, r.opsPerSec)
		p50 = append(p50, float64(r.p50))
		p95 = append(p95, float64(r.p95))
		p99 = append(p99, float64(r.p99))
	}
	lo, hi := slices.Min(rate), slices.Max(rate)
	return summary{
		ops:       int(median(ops)),
		opsPerSec: median(rate),
		p50:       time.Duration(median(p50)),
		p95:       time.Duration(median(p95)),
		p99:       time.Duration(median(p99)),
		note:      runs[len(runs)-1].note,
		minRate:   lo,
		maxRate:   hi,
	}
}

func median(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// formatLatency prints a duration with three significant digits in µs or ms.
func formatLatency(d time.Duration) string {
	us := float64(d) / float64(time.Microsecond)
	switch {
	case d == 0:
		return "–"
	case us < 10:
		return fmt.Sprintf("%.2f µs", us)
	case us < 1000:
		return fmt.Sprintf("%.0f µs", us)
	case us < 10000:
		return fmt.Sprintf("%.2f ms", us/1000)
	default:
		return fmt.Sprintf("%.1f ms", us/1000)
	}
}

// formatRate prints operations per second without false precision.
func formatRate(r float64) string {
	switch {
	case r >= 1000:
		return fmt.Sprintf("%.0f", r)
	case r >= 10:
		return fmt.Sprintf("%.1f", r)
	default:
		return fmt.Sprintf("%.2f", r)
	}
}
