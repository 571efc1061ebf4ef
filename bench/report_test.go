package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/biebplein/biebplein/i18n"
)

func TestPercentile(t *testing.T) {
	var sorted []time.Duration
	for i := 1; i <= 200; i++ {
		sorted = append(sorted, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, 100 * time.Millisecond}, {95, 190 * time.Millisecond}, {99, 198 * time.Millisecond}, {100, 200 * time.Millisecond}} {
		if got := percentile(sorted, tc.p); got != tc.want {
			t.Errorf("p%g = %s, want %s", tc.p, got, tc.want)
		}
	}
	if got := percentile(nil, 99); got != 0 {
		t.Errorf("p99 of nothing = %s, want 0", got)
	}
	if got := percentile(sorted[:1], 99); got != time.Millisecond {
		t.Errorf("p99 of one = %s, want 1ms", got)
	}
}

func TestSummaries(t *testing.T) {
	r := &Report{Results: []RunResult{
		{Scenario: ScenarioHome, Run: 1, Rate: 1400, P99: 60 * time.Millisecond},
		{Scenario: ScenarioHome, Run: 2, Rate: 1600, P99: 40 * time.Millisecond},
		{Scenario: ScenarioHome, Run: 3, Rate: 1550, P99: 45 * time.Millisecond},
		{Scenario: ScenarioGroup, Run: 1, Rate: 900},
		{Scenario: ScenarioPost, Run: 1, Rate: 310, Errors: 1},
		{Scenario: ScenarioPost, Run: 2, Rate: 330},
	}}
	s := r.Summaries()
	if len(s) != 3 {
		t.Fatalf("%d summaries, want 3", len(s))
	}
	t.Run("MediansOfRuns", func(t *testing.T) {
		if s[0].Rate != 1550 || s[0].P99 != 45*time.Millisecond {
			t.Errorf("home = %.0f/s, p99 %s; want 1550/s, 45ms", s[0].Rate, s[0].P99)
		}
		if s[2].Rate != 320 {
			t.Errorf("posting = %.0f/s, want the mean of the middle two, 320", s[2].Rate)
		}
	})
	t.Run("Targets", func(t *testing.T) {
		if s[0].Met == nil || !*s[0].Met {
			t.Error("home feed: target not met, want met")
		}
		if s[1].Met != nil {
			t.Error("group feed has a target, want none")
		}
		if s[2].Met == nil || *s[2].Met {
			t.Error("posting with an error: target met, want not met")
		}
	})
}

func TestMarkdown(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := &Report{Machine: Machine{Database: "sqlite"}, Scale: 1, Rows: map[string]int64{"posts": 1_000_000}, Clients: 32, Runs: 1,
		Duration: 30 * time.Second, Results: []RunResult{
			{Scenario: ScenarioHome, Run: 1, Requests: 45_000, Rate: 1500, P50: 12_340 * time.Microsecond},
			{Scenario: ScenarioPost, Run: 1, Rate: 20, Errors: 3, ErrorSamples: []string{"POST /api/v1/groups/x/posts: 500"}},
		}}
	r.machineFacts()
	for _, locale := range []string{"en", "nl"} {
		md := r.Markdown(b.For(locale))
		for _, want := range []string{"posts 1,000,000", "1,500/s", "12.3 ms", "45,000", "POST /api/v1/groups/x/posts: 500"} {
			if !strings.Contains(md, want) {
				t.Errorf("%s: no %q in\n%s", locale, want, md)
			}
		}
		if strings.Contains(md, "cli.bench.") || strings.Contains(md, "%!") {
			t.Errorf("%s: an untranslated key or a bad format in\n%s", locale, md)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
