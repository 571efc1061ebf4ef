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

// A soak of a few seconds on a tiny network, with the notification requests sent to a path
// that does not exist: those must all count as errors and fail the soak, the rest none, and
// the report must give every kind, the minute and the server's memory.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the soak")
	}
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "biebplein")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/biebplein/biebplein/cmd/biebplein").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var out strings.Builder
	r, err := Soak(context.Background(), SoakOptions{Database: storetest.SQLiteDSN(t), Scale: 0.0005, Rate: 40,
		Duration: 3 * time.Second, Workers: 8, Sample: time.Second, Binary: bin, Stdout: &out, Texts: b.For("en"),
		broken: SoakNotifications})
	if !errors.Is(err, ErrSoakErrors) {
		t.Fatalf("Soak = %v, want ErrSoakErrors\n%s", err, out.String())
	}
	if got := r.Requests(); got < 80 {
		t.Errorf("%d answers in 3 s at 40/s, want at least 80", got)
	}
	for _, k := range r.Kinds {
		switch {
		case k.Kind == SoakNotifications && (k.Requests == 0 || k.Errors != k.Requests):
			t.Errorf("notifications: %d errors of %d, want every one failed", k.Errors, k.Requests)
		case k.Kind != SoakNotifications && k.Errors != 0:
			t.Errorf("%s: %d errors, want none: %v", k.Kind, k.Errors, k.Samples)
		case k.Requests > 0 && (k.P50 <= 0 || k.Max < k.P99):
			t.Errorf("%s: p50 %s, p99 %s, max %s", k.Kind, k.P50, k.P99, k.Max)
		}
	}
	if len(r.Kinds) != len(soakMix) || len(r.Minutes) != 1 || len(r.Memory) < 3 || r.Minutes[0].RSS <= 0 {
		t.Errorf("%d kinds, %d minutes, %d memory samples; want %d, 1 with memory and at least 3", len(r.Kinds),
			len(r.Minutes), len(r.Memory), len(soakMix))
	}
	md := out.String()
	for _, want := range []string{"### Soak", "| Notifications | 10 % |", "| 1 | ", "Server memory (RSS without the pages of the mapped database file):", "Memory", "404"} {
		if !strings.Contains(md, want) {
			t.Errorf("report without %q:\n%s", want, md)
		}
	}
}

// The memory verdict compares the median of the minute after the warm-up with the median of
// the last third: a level after the warm-up is flat, however high the warm-up went; a steady
// climb is not; a rise to a plateau within the tolerance is.
func TestSoakMemoryVerdict(t *testing.T) {
	const mb = 1 << 20
	series := func(d time.Duration, rss func(at time.Duration) int64) *SoakReport {
		r := &SoakReport{Duration: d}
		for at := time.Duration(0); at <= d; at += 5 * time.Second {
			r.Memory = append(r.Memory, MemorySample{At: at, RSS: rss(at)})
		}
		return r
	}
	for _, tt := range []struct {
		name string
		r    *SoakReport
		flat bool
	}{
		{"FlatAfterAColdStart", series(10*time.Minute, func(at time.Duration) int64 {
			if at < time.Minute {
				return 100 * mb
			}
			return 150*mb + int64(at/time.Second%3)*4*mb // the collector's swing
		}), true},
		{"SteadyClimb", series(10*time.Minute, func(at time.Duration) int64 { return 120*mb + int64(at/time.Second)*mb/12 }), false},
		{"PlateauWithinTolerance", series(30*time.Minute, func(at time.Duration) int64 {
			return 150*mb + min(int64(at/time.Second), 600)*mb/60 // +10 MiB up to minute 10, then level
		}), true},
		{"SlowLeakOverHalfAnHour", series(30*time.Minute, func(at time.Duration) int64 { return 150*mb + int64(at/time.Second)*mb/50 }), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.r.MemoryVerdict()
			if !v.Judged || v.Flat != tt.flat {
				t.Fatalf("verdict %+v: flat %v, want %v", v, v.Flat, tt.flat)
			}
		})
	}
	if v := (&SoakReport{Duration: time.Minute}).MemoryVerdict(); v.Judged {
		t.Errorf("judged without samples: %+v", v)
	}
}
