package main

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/biebplein/biebplein/store/storetest"
)

// The whole benchmark on a tiny network: generate, start the built binary as the server,
// load it, report. A smoke test of the machinery, not of the figures.
func TestBenchFeed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the benchmark")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "biebplein")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	report := filepath.Join(dir, "bench.md")
	cmd := exec.Command(bin, "bench", "feed", "--scale", "0.0005", "--duration", "2s", "--warmup", "0",
		"--runs", "1", "--clients", "4", "--out", report)
	cmd.Env = append(os.Environ(), "LANG=en_GB.UTF-8", "LC_ALL=en_GB.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bench feed: %v\n%s", err, out)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	for _, scenario := range []string{"Home feed page", "Group feed page", "Posting"} {
		t.Run(scenario, func(t *testing.T) {
			var row []string
			for line := range strings.Lines(md) {
				if strings.HasPrefix(line, "| "+scenario+" |") {
					row = strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
					break // the summary comes before the runs
				}
			}
			if len(row) != 8 {
				t.Fatalf("no summary row for %s in\n%s", scenario, md)
			}
			if rate := strings.TrimSpace(row[2]); rate == "0/s" {
				t.Errorf("throughput %s: no request answered", rate)
			}
			if errs := strings.TrimSpace(row[6]); errs != "0" {
				t.Errorf("%s errors; report:\n%s", errs, md)
			}
		})
	}
	if !strings.Contains(md, "| sqlite ") || !regexp.MustCompile(`posts [1-9]`).MatchString(md) {
		t.Errorf("report lacks the database or the row counts:\n%s", md)
	}
}

// The search benchmark on a tiny network through the built binary: every kind of query
// answers, none fails.
func TestBenchSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the benchmark")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "biebplein")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	report := filepath.Join(dir, "search.md")
	cmd := exec.Command(bin, "bench", "search", "--scale", "0.0005", "--duration", "1s", "--warmup", "0",
		"--runs", "1", "--clients", "2", "--out", report)
	cmd.Env = append(os.Environ(), "LANG=en_GB.UTF-8", "LC_ALL=en_GB.UTF-8")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bench search: %v\n%s", err, out)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	for _, scenario := range []string{"Search: common word", "Search: two words", "Search: start of a word", "Search: phrase", "Search: rare word"} {
		var row []string
		for line := range strings.Lines(md) {
			if strings.HasPrefix(line, "| "+scenario+" |") {
				row = strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
				break
			}
		}
		if len(row) != 8 || strings.TrimSpace(row[2]) == "0/s" || strings.TrimSpace(row[6]) != "0" {
			t.Errorf("%s: summary row %q in\n%s", scenario, row, md)
		}
	}
	if strings.Contains(md, "Home feed page") {
		t.Error("bench search ran the feed scenarios too")
	}
}

// The notification benchmark on a small group through the built binary: it exits 0 only when
// every member was told and every open page got the post.
func TestBenchNotify(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the benchmark")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "biebplein")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	report := filepath.Join(dir, "notify.md")
	cmd := exec.Command(bin, "bench", "notify", "--members", "12", "--clients", "8", "--runs", "1", "--out", report)
	cmd.Env = append(os.Environ(), "LANG=en_GB.UTF-8", "LC_ALL=en_GB.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bench notify: %v\n%s", err, out)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	for _, want := range []string{"| Fan-out: post mentioning the group |", "| Delivery: new post on every open group page |",
		"| 1 | ", "8 / 8", "| sqlite "} {
		if !strings.Contains(md, want) {
			t.Errorf("no %q in the report:\n%s", want, md)
		}
	}
}

func TestBenchArguments(t *testing.T) {
	t.Setenv("LANG", "en_GB.UTF-8")
	t.Run("Help", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"bench", "--help"}, "biebplein bench feed"},
			{[]string{"bench", "--help"}, "biebplein bench notify"},
			{[]string{"bench", "feed", "--help"}, "biebplein bench feed"},
			{[]string{"bench", "notify", "--help"}, "biebplein bench notify"},
			{[]string{"bench", "search", "--help"}, "biebplein bench search"},
			{[]string{"bench", "--help"}, "biebplein bench search"},
		} {
			_, errOut, err := run(t, "", tc.args...)
			if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errOut, tc.want) {
				t.Errorf("%v: err = %v, output %q", tc.args, err, errOut)
			}
		}
	})
	t.Run("UnknownBenchmark", func(t *testing.T) {
		if _, _, err := run(t, "", "bench", "onbekend"); err == nil || !strings.Contains(err.Error(), "bench feed") ||
			!strings.Contains(err.Error(), "bench search") || !strings.Contains(err.Error(), "bench notify") {
			t.Errorf("err = %v, want a pointer to bench feed, bench search and bench notify", err)
		}
	})
	t.Run("BadOptions", func(t *testing.T) {
		for _, args := range [][]string{{"--scale", "0"}, {"--clients", "0"}, {"--duration", "0s"}, {"--runs", "0"}, {"--scale", "100"}} {
			_, _, err := run(t, "", append([]string{"bench", "feed"}, args...)...)
			if err == nil || !strings.Contains(err.Error(), args[0]) {
				t.Errorf("%v: err = %v, want one naming %s", args, err, args[0])
			}
		}
		for _, args := range [][]string{{"--members", "0"}, {"--members", "100000"}, {"--clients", "5", "--members", "4"},
			{"--clients", "-1"}, {"--runs", "0"}, {"--timeout", "0s"}, {"--timeout", "1h"}} {
			_, _, err := run(t, "", append([]string{"bench", "notify"}, args...)...)
			if err == nil || !strings.Contains(err.Error(), args[0]) {
				t.Errorf("notify %v: err = %v, want one naming %s", args, err, args[0])
			}
		}
	})
	t.Run("RefusesADatabaseWithPeople", func(t *testing.T) {
		dsn := storetest.DSN(t, storetest.SQLite)
		if _, _, err := run(t, "een lang wachtwoord\n", "user", "add", "--database", dsn, "--email", "a@example.nl",
			"--name", "Anna", "--admin", "--password-stdin"); err != nil {
			t.Fatal(err)
		}
		_, _, err := run(t, "", "bench", "feed", "--database", dsn, "--scale", "0.0005")
		if err == nil || !strings.Contains(err.Error(), "fresh database") {
			t.Fatalf("err = %v, want a refusal", err)
		}
		_, _, err = run(t, "", "bench", "notify", "--database", dsn, "--members", "4")
		if err == nil || !strings.Contains(err.Error(), "fresh database") {
			t.Fatalf("notify: err = %v, want a refusal", err)
		}
	})
}
