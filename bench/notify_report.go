package bench

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/biebplein/biebplein/i18n"
)

// The targets of the notification benchmark: a post mentioning a group of 2,000 written,
// with all its notifications and e-mail, within a second (on SQLite), and a new post on every
// open page of the group within a second (p99).
const (
	targetFanOut   = time.Second
	targetDelivery = time.Second
)

// NotifyReport is everything the notification benchmark measured, with the facts needed to
// judge the figures.
type NotifyReport struct {
	Machine
	Members  int
	Clients  int
	Runs     int
	Timeout  time.Duration
	Setup    time.Duration // the group, the preferences and the statistics
	Connect  time.Duration // until every stream had its first event
	FanOut   []FanOutRun
	Delivery []DeliveryRun
	// Counts are the runs of a post mentioning the group: each member's page must get its
	// new unread count (re-counted by the server for every open page).
	Counts []DeliveryRun
	// Failures are the checks that failed, in the report's language.
	Failures []string
}

// FanOutRun is one post mentioning the group, written in-process.
type FanOutRun struct {
	Run      int
	Took     time.Duration // service.CreatePost
	Notified int           // members whose newest group-mention notification is this post
	Mailed   int           // e-mails the post added to the outbox
}

// DeliveryRun is one post in the group over the API and its events on the open pages.
type DeliveryRun struct {
	Run      int
	Post     time.Duration // until the POST was answered
	Received int           // clients that read the post's event within the timeout
	Ended    int           // streams that had ended by the end of this run
	Lagged   int           // streams told to refresh (events lost) in this run
	// From just before the POST until a client read the event, over the clients that did.
	P50, P95, P99, Max time.Duration
}

// NotifySummary is one measurement over all runs.
type NotifySummary struct {
	// Median, P95, P99 and Max: for the fan-out, of the runs' times (P99 is not given); for the
	// delivery, the medians of the runs' percentiles and the largest of their maxima.
	Median, P95, P99, Max time.Duration
	Failed                bool // a check failed
	Met                   bool // the target is met and no check failed
}

// fail records a failed check.
func (r *NotifyReport) fail(msg string) { r.Failures = append(r.Failures, msg) }

// FanOutSummary sums up the fan-out runs.
func (r *NotifyReport) FanOutSummary() NotifySummary {
	var s NotifySummary
	var took []time.Duration
	for _, x := range r.FanOut {
		took = append(took, x.Took)
		s.Failed = s.Failed || x.Notified != r.Members || x.Mailed != r.Members
	}
	if len(took) == 0 {
		return NotifySummary{Failed: true}
	}
	slices.Sort(took)
	s.Median = medianDuration(took)
	s.P95, s.Max = percentile(took, 95), took[len(took)-1]
	s.Met = !s.Failed && s.Median < targetFanOut
	return s
}

// DeliverySummary sums up the delivery runs.
func (r *NotifyReport) DeliverySummary() NotifySummary { return r.summarise(r.Delivery) }

// CountSummary sums up the runs of a group mention's count.
func (r *NotifyReport) CountSummary() NotifySummary { return r.summarise(r.Counts) }

// summarise sums up runs of events reaching every open page: the medians of their
// percentiles and the largest maximum, against the delivery target.
func (r *NotifyReport) summarise(runs []DeliveryRun) NotifySummary {
	s := NotifySummary{Failed: len(runs) < r.Runs}
	var p50, p95, p99 []time.Duration
	for _, x := range runs {
		p50, p95, p99 = append(p50, x.P50), append(p95, x.P95), append(p99, x.P99)
		s.Max = max(s.Max, x.Max)
		s.Failed = s.Failed || x.Received != r.Clients
	}
	if len(runs) == 0 {
		return s
	}
	for _, v := range [][]time.Duration{p50, p95, p99} {
		slices.Sort(v)
	}
	s.Median, s.P95, s.P99 = medianDuration(p50), medianDuration(p95), medianDuration(p99)
	s.Met = !s.Failed && s.P99 < targetDelivery
	return s
}

// medianDuration returns the median of sorted durations (the mean of the middle two for an
// even count).
func medianDuration(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// Markdown renders the report: the machine and the network, the summaries against the
// targets, every run, and the checks that failed.
func (r *NotifyReport) Markdown(t i18n.Localizer) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	yesNo := func(ok bool) string {
		if ok {
			return t.T("cli.bench.report.yes")
		}
		return t.T("cli.bench.report.no")
	}
	line("%s", t.T("cli.bench.notify.report.title", r.When.UTC().Format("2006-01-02 15:04 MST")))
	line("")
	r.Machine.rows(t, line)
	line("| %s | %s |", t.T("cli.bench.notify.report.network"),
		t.T("cli.bench.notify.report.network_value", thousands(int64(r.Members+1)), thousands(int64(r.Members))))
	line("| %s | %s |", t.T("cli.bench.notify.report.setup"), r.Setup.Round(10*time.Millisecond))
	line("| %s | %s |", t.T("cli.bench.report.load"), t.T("cli.bench.notify.report.load_value", r.Runs,
		thousands(int64(r.Clients)), r.Connect.Round(10*time.Millisecond), r.Timeout))
	if r.LoadBefore != "" {
		line("| %s | %s |", t.T("cli.bench.report.loadavg"), r.LoadBefore)
	}

	line("")
	line("%s", t.T("cli.bench.notify.report.summary_header"))
	line("|---|---|--:|--:|--:|--:|---|---|")
	f, d, c := r.FanOutSummary(), r.DeliverySummary(), r.CountSummary()
	line("| %s | %s | %s | %s | — | %s | %s | %s |", t.T("cli.bench.notify.measure.fanout"), t.T("cli.bench.notify.target.fanout"),
		ms(f.Median), ms(f.P95), ms(f.Max), yesNo(f.Failed), yesNo(f.Met))
	line("| %s | %s | %s | %s | %s | %s | %s | %s |", t.T("cli.bench.notify.measure.delivery"), t.T("cli.bench.notify.target.delivery"),
		ms(d.Median), ms(d.P95), ms(d.P99), ms(d.Max), yesNo(d.Failed), yesNo(d.Met))
	line("| %s | %s | %s | %s | %s | %s | %s | %s |", t.T("cli.bench.notify.measure.count"), t.T("cli.bench.notify.target.delivery"),
		ms(c.Median), ms(c.P95), ms(c.P99), ms(c.Max), yesNo(c.Failed), yesNo(c.Met))
	line("")
	line("%s", t.T("cli.bench.notify.report.summary_note"))

	line("")
	line("%s", t.T("cli.bench.notify.report.fanout_header"))
	line("|--:|--:|--:|--:|")
	for _, x := range r.FanOut {
		line("| %d | %s | %s | %s |", x.Run, ms(x.Took), thousands(int64(x.Notified)), thousands(int64(x.Mailed)))
	}
	line("")
	line("%s", t.T("cli.bench.notify.report.delivery_header"))
	line("|--:|--:|--:|--:|--:|--:|--:|")
	for _, x := range r.Delivery {
		line("| %d | %s | %s / %s | %s | %s | %s | %s |", x.Run, ms(x.Post), thousands(int64(x.Received)),
			thousands(int64(r.Clients)), ms(x.P50), ms(x.P95), ms(x.P99), ms(x.Max))
	}
	line("")
	line("%s", t.T("cli.bench.notify.report.count_header"))
	line("|--:|--:|--:|--:|--:|--:|--:|")
	for _, x := range r.Counts {
		line("| %d | %s | %s / %s | %s | %s | %s | %s |", x.Run, ms(x.Post), thousands(int64(x.Received)),
			thousands(int64(r.Clients)), ms(x.P50), ms(x.P95), ms(x.P99), ms(x.Max))
	}
	if len(r.Failures) > 0 {
		line("")
		line("%s", t.T("cli.bench.notify.report.failures"))
		line("")
		for _, s := range r.Failures {
			line("- %s", s)
		}
	}
	return b.String()
}
