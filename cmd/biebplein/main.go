// Command biebplein runs Biebplein, the social intranet for a network of public libraries.
//
//	biebplein [serve] [--demo] [flags]   start the site (the default)
//	biebplein migrate                    apply database migrations
//	biebplein demo                       load the demo network into an empty database
//	biebplein user add --email E --name N [--kind staff|volunteer|partner] [--organisation NAME] [--admin] [--password-stdin]
//	biebplein user passwd --email E [--password-stdin]
//	biebplein backup <file>              archive the SQLite database and the uploads
//	biebplein restore [--force] <file>   put an archive back
//	biebplein version
//
// Every subcommand accepts --help. Settings come from flags or BIEBPLEIN_* environment
// variables; see the README.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/biebplein/biebplein/app"
	"github.com/biebplein/biebplein/i18n"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cli := &CLI{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, StdinIsTerminal: isTerminal(os.Stdin)}
	if err := cli.Run(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "biebplein:", err)
		}
		code := 1
		if errors.Is(err, flag.ErrHelp) {
			code = 0
		}
		os.Exit(code)
	}
}

// CLI is the command line, with its input and output as fields so tests can drive it.
type CLI struct {
	Stdin           io.Reader
	Stdout, Stderr  io.Writer
	StdinIsTerminal bool
	// Configure, when set, adjusts the configuration after flags are parsed (tests lower the
	// password hashing cost).
	Configure func(*app.Config)
	// Ready, when set, is called once serve is listening (tests learn the address).
	Ready func(*app.Main)

	texts i18n.Localizer
}

// Run runs one subcommand.
func (c *CLI) Run(ctx context.Context, args []string) error {
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	c.texts = bundle.For(app.OperatorLocale())
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return c.serve(ctx, args)
	case "migrate":
		return c.migrate(ctx, args)
	case "demo":
		return c.demo(ctx, args)
	case "user":
		return c.user(ctx, args)
	case "bench":
		return c.bench(ctx, args)
	case "backup":
		return c.backup(ctx, args)
	case "restore":
		return c.restore(ctx, args)
	case "version":
		return c.version(args)
	case "help":
		c.usage()
		return nil
	}
	c.usage()
	return fmt.Errorf("%s", c.texts.T("cli.unknown_command", cmd))
}

func (c *CLI) usage() {
	fmt.Fprintln(c.Stderr, c.texts.T("cli.usage"))
}

// flagSet makes a FlagSet that prints its help in the operator's language.
func (c *CLI) flagSet(name, usageKey string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(c.Stderr, c.texts.T(usageKey))
		fmt.Fprintln(c.Stderr)
		fs.PrintDefaults()
	}
	return fs
}

// configFlags registers the settings every subcommand that touches the database shares.
func (c *CLI) configFlags(fs *flag.FlagSet, cfg *app.Config) {
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, c.texts.T("cli.flag.addr"))
	fs.StringVar(&cfg.BaseURL, "base-url", cfg.BaseURL, c.texts.T("cli.flag.base_url"))
	fs.StringVar(&cfg.Database, "database", cfg.Database, c.texts.T("cli.flag.database"))
	fs.StringVar(&cfg.DataDir, "data-dir", cfg.DataDir, c.texts.T("cli.flag.data_dir"))
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, c.texts.T("cli.flag.log_format"))
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, c.texts.T("cli.flag.log_level"))
	fs.BoolVar(&cfg.TrustProxy, "trust-proxy", cfg.TrustProxy, c.texts.T("cli.flag.trust_proxy"))
	fs.BoolVar(&cfg.RequireAdminTOTP, "require-admin-2fa", cfg.RequireAdminTOTP, c.texts.T("cli.flag.require_admin_2fa"))
	fs.IntVar(&cfg.QuestionEscalateDays, "question-escalate-days", cfg.QuestionEscalateDays, c.texts.T("cli.flag.question_escalate_days"))
}

func (c *CLI) parse(fs *flag.FlagSet, args []string, cfg *app.Config) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%s", c.texts.T("cli.unexpected_args", fs.Args()))
	}
	cfg.Stdout = c.Stdout
	if c.Configure != nil {
		c.Configure(cfg)
	}
	return nil
}

// serverGCPercent is the garbage collector's target for a serving process unless GOGC says
// otherwise: a feed page allocates tens of kilobytes that live for one request, and at Go's
// default (100) the collector took about a tenth of the CPU under load. The heap of a server
// is small next to what that saves, so it may grow to three times its live size.
const serverGCPercent = 200

func serverGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
}

func (c *CLI) serve(ctx context.Context, args []string) error {
	cfg := app.DefaultConfig()
	fs := c.flagSet("serve", "cli.usage.serve")
	c.configFlags(fs, &cfg)
	fs.BoolVar(&cfg.Demo, "demo", false, c.texts.T("cli.flag.demo"))
	if err := c.parse(fs, args, &cfg); err != nil {
		return err
	}
	serverGC()
	m := app.NewMain(cfg)
	if err := m.Run(ctx); err != nil {
		_ = m.Close()
		return err
	}
	if c.Ready != nil {
		c.Ready(m)
	}
	<-ctx.Done()
	fmt.Fprintln(c.Stdout, c.texts.T("cli.stopping"))
	return m.Close()
}

func (c *CLI) migrate(ctx context.Context, args []string) error {
	cfg := app.DefaultConfig()
	fs := c.flagSet("migrate", "cli.usage.migrate")
	c.configFlags(fs, &cfg)
	if err := c.parse(fs, args, &cfg); err != nil {
		return err
	}
	m := app.NewMain(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil { // Open applies pending migrations
		return err
	}
	v, err := m.Store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.Stdout, c.texts.T("cli.migrated", v))
	return nil
}

func (c *CLI) demo(ctx context.Context, args []string) error {
	cfg := app.DefaultConfig()
	fs := c.flagSet("demo", "cli.usage.demo")
	c.configFlags(fs, &cfg)
	if err := c.parse(fs, args, &cfg); err != nil {
		return err
	}
	m := app.NewMain(cfg)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	sum, err := loadDemo(ctx, m)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.Stdout, c.texts.T("cli.demo_loaded", sum.Organisations, sum.People))
	fmt.Fprintln(c.Stdout, c.texts.T("cli.demo_admin", sum.AdminEmail, sum.Password))
	fmt.Fprintln(c.Stdout, c.texts.T("cli.demo_volunteer", sum.VolunteerEmail, sum.Password))
	return nil
}

func (c *CLI) version(args []string) error {
	fs := c.flagSet("version", "cli.usage.version")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintln(c.Stdout, "biebplein", app.Version())
	return nil
}
