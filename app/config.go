// Package app assembles Biebplein: it opens the store, builds the service, the web pages and
// the API, and runs the HTTP server. Main is the whole program; tests start it on port :0.
package app

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/mail"
)

// Config is everything that can be set by flag or environment variable.
type Config struct {
	Addr       string // listen address, default 127.0.0.1:8080
	BaseURL    string // public address without trailing slash; derived from Addr when empty
	Database   string // sqlite:<path> or postgres://...; default sqlite:<DataDir>/biebplein.db
	DataDir    string // uploads and the default database, default ./data
	LogFormat  string // text or json
	LogLevel   string // debug, info, warn, error
	Demo       bool   // load the demo network into an empty database
	TrustProxy bool   // take the client address from X-Forwarded-For
	// RequireAdminTOTP is the site setting "two-factor required for administrators"
	// (BIEBPLEIN_REQUIRE_ADMIN_2FA=true, --require-admin-2fa).
	RequireAdminTOTP bool
	// PprofAddr, when set (BIEBPLEIN_PPROF_ADDR, e.g. 127.0.0.1:6060), serves the runtime
	// profiles on a listener of their own, never on the site's.
	PprofAddr string
	// Mail is the SMTP server for e-mail (BIEBPLEIN_SMTP_HOST, _PORT, _SECURITY, _USER,
	// _PASSWORD, _FROM). Without a host no mail is sent; it waits in the outbox.
	Mail mail.Config
	// MailDelay is how long immediate e-mail waits (BIEBPLEIN_MAIL_DELAY, e.g. 5m).
	MailDelay time.Duration
	// QuestionEscalateDays is after how many days without an answer a question goes to the
	// advisors of the support organisation (BIEBPLEIN_QUESTION_ESCALATE_DAYS,
	// --question-escalate-days; default 5, 0 turns it off).
	QuestionEscalateDays int
	// AuditRetentionDays is how many days the audit log keeps an event
	// (BIEBPLEIN_AUDIT_RETENTION_DAYS); older events are pruned every hour. Zero means
	// DefaultAuditRetentionDays; less than MinAuditRetentionDays is refused.
	AuditRetentionDays int

	// Password are the argon2id parameters; zero means auth.DefaultParams. Tests lower them.
	Password auth.Params
	// Stdout receives what the program tells its operator (setup link, demo accounts).
	Stdout io.Writer
	// LogOutput receives the logs; os.Stderr when nil.
	LogOutput io.Writer

	mailPort, mailDelay, escalateDays, auditRetention string // from the environment, parsed by resolve
}

// The audit log's retention: a year by default, so that a question about last year's
// accounts can still be answered; never less than a month, so that an incident found a few
// weeks late can still be traced.
const (
	DefaultAuditRetentionDays = 365
	MinAuditRetentionDays     = 30
)

// DefaultConfig returns the defaults, overridden by BIEBPLEIN_* environment variables.
func DefaultConfig() Config {
	c := Config{Addr: "127.0.0.1:8080", DataDir: "./data", LogFormat: "text", LogLevel: "info",
		QuestionEscalateDays: biebplein.DefaultEscalateDays}
	env := map[string]*string{
		"BIEBPLEIN_ADDR": &c.Addr, "BIEBPLEIN_BASE_URL": &c.BaseURL, "BIEBPLEIN_DATABASE": &c.Database,
		"BIEBPLEIN_DATA_DIR": &c.DataDir, "BIEBPLEIN_LOG_FORMAT": &c.LogFormat, "BIEBPLEIN_LOG_LEVEL": &c.LogLevel,
	}
	for name, p := range env {
		if v, ok := os.LookupEnv(name); ok && v != "" {
			*p = v
		}
	}
	c.TrustProxy = os.Getenv("BIEBPLEIN_TRUST_PROXY") == "true"
	c.RequireAdminTOTP = os.Getenv("BIEBPLEIN_REQUIRE_ADMIN_2FA") == "true"
	c.PprofAddr = os.Getenv("BIEBPLEIN_PPROF_ADDR")
	c.Mail = mail.Config{
		Host: os.Getenv("BIEBPLEIN_SMTP_HOST"), Security: os.Getenv("BIEBPLEIN_SMTP_SECURITY"),
		Username: os.Getenv("BIEBPLEIN_SMTP_USER"), Password: os.Getenv("BIEBPLEIN_SMTP_PASSWORD"),
		From: os.Getenv("BIEBPLEIN_SMTP_FROM"),
	}
	c.mailPort = os.Getenv("BIEBPLEIN_SMTP_PORT")
	c.mailDelay = os.Getenv("BIEBPLEIN_MAIL_DELAY")
	// A valid number is taken at once, so that the flag can override it; a wrong one is
	// kept for resolve to report.
	if v := os.Getenv("BIEBPLEIN_QUESTION_ESCALATE_DAYS"); v != "" {
		if days, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && days >= 0 {
			c.QuestionEscalateDays = days
		} else {
			c.escalateDays = v
		}
	}
	c.auditRetention = os.Getenv("BIEBPLEIN_AUDIT_RETENTION_DAYS")
	return c
}

// resolve reads the settings that must be parsed from their text (BIEBPLEIN_SMTP_PORT,
// BIEBPLEIN_MAIL_DELAY, BIEBPLEIN_QUESTION_ESCALATE_DAYS, BIEBPLEIN_AUDIT_RETENTION_DAYS), so
// that a wrong value is a clear error at start.
func (c *Config) resolve() error {
	if c.mailPort != "" {
		port, err := strconv.Atoi(c.mailPort)
		if err != nil {
			return fmt.Errorf("SMTP port %q: not a number", c.mailPort)
		}
		c.Mail.Port, c.mailPort = port, ""
	}
	if c.mailDelay != "" {
		d, err := time.ParseDuration(c.mailDelay)
		if err != nil || d < 0 {
			return fmt.Errorf("mail delay %q: use a duration such as 5m or 30s", c.mailDelay)
		}
		c.MailDelay, c.mailDelay = d, ""
	}
	if c.escalateDays != "" {
		return fmt.Errorf("question escalate days %q (BIEBPLEIN_QUESTION_ESCALATE_DAYS): use a whole number of days, 0 to turn it off", c.escalateDays)
	}
	if c.auditRetention != "" {
		days, err := strconv.Atoi(strings.TrimSpace(c.auditRetention))
		if err != nil || days < MinAuditRetentionDays {
			return fmt.Errorf("audit retention %q: use a whole number of days, at least %d", c.auditRetention, MinAuditRetentionDays)
		}
		c.AuditRetentionDays, c.auditRetention = days, ""
	}
	if c.AuditRetentionDays == 0 {
		c.AuditRetentionDays = DefaultAuditRetentionDays
	}
	return nil
}

// DatabaseURL returns the database to use: Database, or the SQLite file in DataDir.
func (c Config) DatabaseURL() string {
	if c.Database != "" {
		return c.Database
	}
	return "sqlite:" + filepath.Join(c.DataDir, "biebplein.db")
}

// Validate checks the settings that can be wrong.
func (c Config) Validate() error {
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("log format %q: use text or json", c.LogFormat)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	db := c.DatabaseURL()
	if !strings.HasPrefix(db, "sqlite:") && !strings.HasPrefix(db, "postgres://") && !strings.HasPrefix(db, "postgresql://") {
		return fmt.Errorf("database %q: use sqlite:<file> or a postgres:// URL", redact(db))
	}
	if c.QuestionEscalateDays < 0 || c.QuestionEscalateDays > 365 {
		return fmt.Errorf("question escalate days %d: use 0 (off) to 365", c.QuestionEscalateDays)
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		return fmt.Errorf("base URL %q: must start with http:// or https://", c.BaseURL)
	}
	if c.AuditRetentionDays != 0 && c.AuditRetentionDays < MinAuditRetentionDays {
		return fmt.Errorf("audit retention %d days: at least %d", c.AuditRetentionDays, MinAuditRetentionDays)
	}
	return c.Mail.Validate()
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("log level %q: use debug, info, warn or error", s)
	}
	return l, nil
}

// NewLogger returns the logger the configuration asks for.
func (c Config) NewLogger() (*slog.Logger, error) {
	level, err := parseLevel(c.LogLevel)
	if err != nil {
		return nil, err
	}
	out := c.LogOutput
	if out == nil {
		out = os.Stderr
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(out, opts)), nil
	}
	return slog.New(slog.NewTextHandler(out, opts)), nil
}

// redact hides a password in a database URL before it is logged or shown.
func redact(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	userinfo := dsn[scheme+3 : at]
	if i := strings.IndexByte(userinfo, ':'); i >= 0 {
		return dsn[:scheme+3] + userinfo[:i] + ":xxxxx" + dsn[at:]
	}
	return dsn
}
