package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/biebplein/biebplein/bench"
)

// bench runs a benchmark: bench feed, bench notify or bench soak.
func (c *CLI) bench(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "feed":
			return c.benchFeed(ctx, args[1:], "")
		case "search":
			return c.benchFeed(ctx, args[1:], bench.SuiteSearch)
		case "experts":
			return c.benchFeed(ctx, args[1:], bench.SuiteExperts)
		case "notify":
			return c.benchNotify(ctx, args[1:])
		case "soak":
			return c.benchSoak(ctx, args[1:])
		}
	}
	fmt.Fprintln(c.Stderr, c.texts.T("cli.usage.bench"))
	fmt.Fprintln(c.Stderr)
	fmt.Fprintln(c.Stderr, c.texts.T("cli.usage.bench_search"))
	fmt.Fprintln(c.Stderr)
	fmt.Fprintln(c.Stderr, c.texts.T("cli.usage.bench_notify"))
	fmt.Fprintln(c.Stderr)
	fmt.Fprintln(c.Stderr, c.texts.T("cli.usage.bench_experts"))
	fmt.Fprintln(c.Stderr)
	fmt.Fprintln(c.Stderr, c.texts.T("cli.usage.bench_soak"))
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help") {
		return flag.ErrHelp
	}
	return fmt.Errorf("%s", c.texts.T("cli.bench.subcommands"))
}

// benchFeed runs bench feed, or for a suite bench search or bench experts: the same network
// and server, that suite's scenarios, 8 clients by default (the load).
func (c *CLI) benchFeed(ctx context.Context, args []string, suite string) error {
	o := bench.Options{Stdout: c.Stdout, Texts: c.texts, Suite: suite}
	name, usage, clients := "bench feed", "cli.usage.bench", 32
	switch suite {
	case bench.SuiteSearch:
		name, usage, clients = "bench search", "cli.usage.bench_search", 8
	case bench.SuiteExperts:
		name, usage, clients = "bench experts", "cli.usage.bench_experts", 8
	}
	fs := c.flagSet(name, usage)
	// No BIEBPLEIN_DATABASE here: the benchmark fills a fresh database, never the site's.
	fs.StringVar(&o.Database, "database", "", c.texts.T("cli.bench.flag.database"))
	fs.Float64Var(&o.Scale, "scale", 1.0, c.texts.T("cli.bench.flag.scale"))
	fs.IntVar(&o.Clients, "clients", clients, c.texts.T("cli.bench.flag.clients"))
	fs.DurationVar(&o.Duration, "duration", 30*time.Second, c.texts.T("cli.bench.flag.duration"))
	fs.DurationVar(&o.Warmup, "warmup", 5*time.Second, c.texts.T("cli.bench.flag.warmup"))
	fs.IntVar(&o.Runs, "runs", 3, c.texts.T("cli.bench.flag.runs"))
	fs.StringVar(&o.Out, "out", "", c.texts.T("cli.bench.flag.out"))
	fs.BoolVar(&o.Keep, "keep", false, c.texts.T("cli.bench.flag.keep"))
	fs.BoolVar(&o.Reuse, "reuse", false, c.texts.T("cli.bench.flag.reuse"))
	scenarios := new(string)
	if suite != bench.SuiteExperts {
		scenarios = fs.String("scenarios", "", c.texts.T("cli.bench.flag.scenarios"))
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scenarios != "" {
		for name := range strings.SplitSeq(*scenarios, ",") {
			name = strings.TrimSpace(name)
			if !slices.Contains(bench.ScenarioNames(), name) {
				return fmt.Errorf("--scenarios %s: %s", name, c.texts.T("cli.bench.bad_scenario", strings.Join(bench.ScenarioNames(), ", ")))
			}
			o.Scenarios = append(o.Scenarios, name)
		}
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%s", c.texts.T("cli.unexpected_args", fs.Args()))
	}
	// The server runs as a child process of this very binary, so that the load generator's
	// work is not counted in the server's.
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	o.Binary = bin
	_, err = bench.Feed(ctx, o)
	return err
}

// benchNotify runs bench notify; a failed check (missing notifications, e-mails or live
// events) is an error, after the report.
func (c *CLI) benchNotify(ctx context.Context, args []string) error {
	o := bench.NotifyOptions{Stdout: c.Stdout, Texts: c.texts}
	fs := c.flagSet("bench notify", "cli.usage.bench_notify")
	fs.StringVar(&o.Database, "database", "", c.texts.T("cli.bench.flag.database"))
	fs.IntVar(&o.Members, "members", 2000, c.texts.T("cli.bench.notify.flag.members"))
	fs.IntVar(&o.Clients, "clients", 0, c.texts.T("cli.bench.notify.flag.clients"))
	fs.IntVar(&o.Runs, "runs", 5, c.texts.T("cli.bench.flag.runs"))
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Second, c.texts.T("cli.bench.notify.flag.timeout"))
	fs.StringVar(&o.Out, "out", "", c.texts.T("cli.bench.flag.out"))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%s", c.texts.T("cli.unexpected_args", fs.Args()))
	}
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	o.Binary = bin
	_, err = bench.Notify(ctx, o)
	return err
}

// benchSoak runs bench soak; a failed request is an error, after the report.
func (c *CLI) benchSoak(ctx context.Context, args []string) error {
	o := bench.SoakOptions{Stdout: c.Stdout, Texts: c.texts}
	fs := c.flagSet("bench soak", "cli.usage.bench_soak")
	fs.StringVar(&o.Database, "database", "", c.texts.T("cli.bench.flag.database"))
	fs.Float64Var(&o.Scale, "scale", 0.1, c.texts.T("cli.bench.soak.flag.scale"))
	fs.IntVar(&o.Rate, "rate", 200, c.texts.T("cli.bench.soak.flag.rate"))
	fs.DurationVar(&o.Duration, "duration", 10*time.Minute, c.texts.T("cli.bench.soak.flag.duration"))
	fs.IntVar(&o.Workers, "workers", 64, c.texts.T("cli.bench.soak.flag.workers"))
	fs.DurationVar(&o.Sample, "sample", 5*time.Second, c.texts.T("cli.bench.soak.flag.sample"))
	fs.StringVar(&o.Out, "out", "", c.texts.T("cli.bench.flag.out"))
	fs.BoolVar(&o.Keep, "keep", false, c.texts.T("cli.bench.flag.keep"))
	fs.BoolVar(&o.Reuse, "reuse", false, c.texts.T("cli.bench.flag.reuse"))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%s", c.texts.T("cli.unexpected_args", fs.Args()))
	}
	bin, err := os.Executable()
	if err != nil {
		return err
	}
	o.Binary = bin
	_, err = bench.Soak(ctx, o)
	return err
}
