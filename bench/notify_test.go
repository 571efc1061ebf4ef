package bench

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/store/storetest"
)

// The notification benchmark on a small group, on each database: every run of the fan-out
// must tell and e-mail every member, and every run of the delivery must reach every open page.
func TestNotify(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the benchmark")
	}
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "biebplein")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/biebplein/biebplein/cmd/biebplein").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const members, runs = 40, 2
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			var out strings.Builder
			r, err := Notify(context.Background(), NotifyOptions{Database: storetest.DSN(t, dialect), Members: members,
				Runs: runs, Timeout: 10 * time.Second, Binary: bin, Stdout: &out, Texts: b.For("en")})
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			if r.Database != dialect || r.Clients != members {
				t.Errorf("database %s with %d clients, want %s with %d (every member)", r.Database, r.Clients, dialect, members)
			}
			if len(r.FanOut) != runs || len(r.Delivery) != runs || len(r.Counts) != runs {
				t.Fatalf("%d fan-out, %d delivery and %d count runs, want %d of each\n%s", len(r.FanOut), len(r.Delivery), len(r.Counts), runs, out.String())
			}
			for _, x := range r.FanOut {
				if x.Notified != members || x.Mailed != members || x.Took <= 0 {
					t.Errorf("fan-out run %d: %d told, %d mailed in %s; want %d of each", x.Run, x.Notified, x.Mailed, x.Took, members)
				}
			}
			for _, x := range append(r.Delivery, r.Counts...) {
				if x.Received != members || x.Ended != 0 || x.P50 <= 0 || x.Max < x.P99 {
					t.Errorf("delivery or count run %d: %+v; want all %d reached", x.Run, x, members)
				}
			}
			if len(r.Failures) > 0 {
				t.Errorf("failed checks: %v", r.Failures)
			}
			for _, s := range []NotifySummary{r.FanOutSummary(), r.DeliverySummary(), r.CountSummary()} {
				if s.Failed || s.Median <= 0 {
					t.Errorf("summary %+v: failed or empty", s)
				}
			}
		})
	}
}

// A delivery run counts only the clients that read the event of the run's post within the
// timeout, and stops waiting for streams that ended.
func TestDeliveryCollect(t *testing.T) {
	start := time.Now()
	arrivals := make(chan arrival, 10)
	d := &deliverer{n: 4, arrivals: arrivals, ended: make([]bool, 4), timeout: time.Second}
	arrivals <- arrival{client: 0, postID: "p", at: start.Add(5 * time.Millisecond)}
	arrivals <- arrival{client: 1, postID: "other", at: start.Add(time.Millisecond)} // not this run's post
	arrivals <- arrival{client: 1, postID: "p", at: start.Add(2 * time.Second)}      // too late
	arrivals <- arrival{client: 2, ended: true, err: errors.New("gone")}
	arrivals <- arrival{client: 3, lagged: true}
	arrivals <- arrival{client: 0, postID: "p", at: start.Add(7 * time.Millisecond)} // once per client
	arrivals <- arrival{client: 3, postID: "p", at: start.Add(9 * time.Millisecond)}

	res := d.collect(context.Background(), func(a arrival) bool { return a.postID == "p" }, start)
	if res.Received != 2 || res.Ended != 1 || res.Lagged != 1 {
		t.Errorf("received %d, ended %d, lagged %d; want 2, 1, 1", res.Received, res.Ended, res.Lagged)
	}
	if res.P50 != 5*time.Millisecond || res.Max != 9*time.Millisecond {
		t.Errorf("p50 %s, max %s; want 5ms, 9ms", res.P50, res.Max)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("waited %s for the client still listening, want the timeout", waited)
	}
}

func TestNotifyMarkdown(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := &NotifyReport{Machine: Machine{Database: "sqlite"}, Members: 2000, Clients: 2000, Runs: 2, Timeout: 10 * time.Second,
		FanOut: []FanOutRun{{Run: 1, Took: 80 * time.Millisecond, Notified: 2000, Mailed: 2000},
			{Run: 2, Took: 1200 * time.Millisecond, Notified: 1999, Mailed: 2000}},
		Delivery: []DeliveryRun{{Run: 1, Received: 2000, P50: 30 * time.Millisecond, P99: 60 * time.Millisecond, Max: 61 * time.Millisecond},
			{Run: 2, Received: 1990, P99: 70 * time.Millisecond, Max: 75 * time.Millisecond}}}
	r.machineFacts()
	f, d := r.FanOutSummary(), r.DeliverySummary()
	if f.Median != 640*time.Millisecond || f.Max != 1200*time.Millisecond || !f.Failed || f.Met {
		t.Errorf("fan-out summary %+v; want median 640ms, max 1.2s, failed", f)
	}
	if d.P99 != 65*time.Millisecond || d.Max != 75*time.Millisecond || !d.Failed || d.Met {
		t.Errorf("delivery summary %+v; want p99 65ms, max 75ms, failed", d)
	}
	for _, locale := range []string{"en", "nl"} {
		texts := b.For(locale)
		r := *r
		r.Failures = []string{texts.T("cli.bench.notify.fail.notifications", 2, 1999, 2000),
			texts.T("cli.bench.notify.fail.missing", 2, 10, 2000, 10*time.Second, 0, 1)}
		md := r.Markdown(texts)
		for _, want := range []string{"2,001", "1,999", "640.0 ms", "65.0 ms", "1,990 / 2,000", "10s"} {
			if !strings.Contains(md, want) {
				t.Errorf("%s: no %q in\n%s", locale, want, md)
			}
		}
		if strings.Contains(md, "cli.bench.") || strings.Contains(md, "%!") {
			t.Errorf("%s: an untranslated key or a bad format in\n%s", locale, md)
		}
	}
}
