package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/biebplein/biebplein/api"
	"github.com/biebplein/biebplein/demo"
	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/live"
	"github.com/biebplein/biebplein/mail"
	"github.com/biebplein/biebplein/media"
	"github.com/biebplein/biebplein/notify"
	"github.com/biebplein/biebplein/service"
	"github.com/biebplein/biebplein/store"
	"github.com/biebplein/biebplein/web"
)

// Main is the whole program. Run starts it and returns once it is serving; Close stops it.
type Main struct {
	Config Config

	Logger  *slog.Logger
	Bundle  *i18n.Bundle
	Store   *store.DB
	Service *service.Service
	// URL is where the server listens, known after Run (useful with Addr ":0").
	URL string
	// SetupURL is the one-time link for the first administrator, when the site is empty.
	SetupURL string
	// Demo describes the demo network when Config.Demo loaded one.
	Demo *demo.Summary

	// Hub delivers live events to this instance's open pages; Events raises them (through
	// PostgreSQL between instances).
	Hub    *live.Hub
	Events live.Bus

	server *http.Server
	debug  *http.Server // pprof, when BIEBPLEIN_PPROF_ADDR is set
	done   chan struct{}
	// background ends the outbox worker and the live listener; live streams end with it.
	background context.Context
	stop       context.CancelFunc
	wg         sync.WaitGroup
}

// NewMain returns a Main for cfg.
func NewMain(cfg Config) *Main {
	if cfg.Stdout == nil {
		cfg.Stdout = os.Stdout
	}
	background, stop := context.WithCancel(context.Background())
	return &Main{Config: cfg, done: make(chan struct{}), background: background, stop: stop}
}

// Open sets up logging, the catalogues, the store (migrating it) and the service, without
// serving. The command line's other subcommands use it.
func (m *Main) Open(ctx context.Context) error {
	if err := m.Config.resolve(); err != nil {
		return err
	}
	if err := m.Config.Validate(); err != nil {
		return err
	}
	logger, err := m.Config.NewLogger()
	if err != nil {
		return err
	}
	m.Logger = logger
	if m.Bundle, err = i18n.Load(); err != nil {
		return err
	}
	m.Store, err = store.Open(ctx, m.Config.DatabaseURL(), store.Options{Logger: logger, Migrate: true})
	if err != nil {
		return fmt.Errorf("open database %s: %w", redact(m.Config.DatabaseURL()), err)
	}
	m.Hub = live.NewHub()
	m.Events = live.Local(m.Hub)
	if m.Store.Dialect() == "postgres" {
		m.Events = live.NewShared(m.Store, m.Hub, m.Logger)
	}
	m.Service = m.newService(m.Config.BaseURL)
	return nil
}

func (m *Main) newService(baseURL string) *service.Service {
	return service.New(m.Store, service.Options{BaseURL: baseURL, Password: m.Config.Password, Logger: m.Logger,
		MailDelay: m.Config.MailDelay, MailConfigured: m.Config.Mail.Enabled(), Events: m.Events, Hub: m.Hub,
		RequireAdminTOTP: m.Config.RequireAdminTOTP})
}

// startBackground starts what runs beside the server: the live listener between instances
// (PostgreSQL) and the outbox worker, when mail is configured.
func (m *Main) startBackground(baseURL string) error {
	if shared, ok := m.Events.(*live.Shared); ok {
		m.wg.Go(func() {
			if err := shared.Run(m.background); err != nil && m.background.Err() == nil {
				m.Logger.Error("live updates stopped", "error", err)
			}
		})
		select {
		case <-shared.Ready():
		case <-time.After(10 * time.Second):
			m.Logger.Warn("live updates: not listening yet; they start when the database answers")
		}
	}
	if !m.Config.Mail.Enabled() {
		m.Logger.Info("mail is not configured (BIEBPLEIN_SMTP_HOST): e-mail waits in the outbox")
		return nil
	}
	w, err := notify.New(m.Store, mail.NewSMTP(m.Config.Mail), m.Bundle, notify.Options{BaseURL: baseURL, Logger: m.Logger})
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	m.wg.Go(func() { _ = w.Run(m.background) })
	return nil
}

// Run opens everything, loads the demo network when asked, listens and serves in the
// background. It returns when the server accepts connections.
func (m *Main) Run(ctx context.Context) error {
	if err := m.Open(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.URL = "http://" + displayAddr(ln.Addr().String())
	baseURL := strings.TrimSuffix(m.Config.BaseURL, "/")
	if baseURL == "" {
		baseURL = m.URL
	}
	m.Service = m.newService(baseURL)

	if m.Config.Demo {
		sum, err := demo.Load(ctx, m.Store, m.Service)
		switch {
		case errors.Is(err, demo.ErrNotEmpty):
			fmt.Fprintln(m.Config.Stdout, m.Bundle.T(OperatorLocale(), "cli.demo_skipped"))
		case err != nil:
			ln.Close()
			return fmt.Errorf("load demo network: %w", err)
		}
		m.Demo = sum
	}
	// Every site has the "Vraag en antwoord" space (issue 5).
	if _, err := m.Service.EnsureQuestionSpace(ctx); err != nil {
		ln.Close()
		return fmt.Errorf("make the question space: %w", err)
	}
	if m.SetupURL, err = m.Service.SetupLink(ctx); err != nil {
		ln.Close()
		return fmt.Errorf("make setup link: %w", err)
	}

	handler, err := m.handler(baseURL)
	if err != nil {
		ln.Close()
		return err
	}
	m.server = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	if err := m.startBackground(baseURL); err != nil {
		ln.Close()
		return err
	}
	// Live streams never end by themselves: end them when the server shuts down.
	m.server.RegisterOnShutdown(func() { m.stop(); m.Hub.Close() })
	m.wg.Add(2)
	go func() {
		defer m.wg.Done()
		if err := m.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("server stopped", "error", err)
		}
	}()
	go func() {
		defer m.wg.Done()
		m.housekeeping()
	}()
	if err := m.serveProfiles(); err != nil {
		return err
	}
	m.Logger.Info("listening", "url", m.URL, "database", redact(m.Config.DatabaseURL()))
	m.announce(baseURL)
	return nil
}

// handler assembles the site: health checks, the API and the web pages, behind the
// middleware every request passes.
func (m *Main) handler(baseURL string) (http.Handler, error) {
	secure := strings.HasPrefix(baseURL, "https://")
	files, err := media.NewStore(filepath.Join(m.Config.DataDir, "files"), media.Limits{})
	if err != nil {
		return nil, err
	}
	w, err := web.New(web.Options{
		Service: m.Service, Bundle: m.Bundle, Logger: m.Logger,
		BaseURL: baseURL, SecureCookies: secure, TrustProxy: m.Config.TrustProxy, Media: files,
		AuditRetentionDays: m.Config.AuditRetentionDays,
	})
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	a := api.New(api.Options{Service: m.Service, Bundle: m.Bundle, Logger: m.Logger, TrustProxy: m.Config.TrustProxy})

	mux := http.NewServeMux()
	mux.Handle("GET /healthz", httpx.Route(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})))
	mux.Handle("GET /readyz", httpx.Route(http.HandlerFunc(m.ready)))
	mux.Handle("/api/v1/", a.Handler())
	mux.Handle("/", w.Handler())

	var h http.Handler = mux
	cop := http.NewCrossOriginProtection()
	// The "stop these e-mails" link: its token is the authorisation, and mail programs that
	// post it (RFC 8058) may do so from a web page of their own.
	cop.AddInsecureBypassPattern("POST /unsubscribe/{token}")
	h = cop.Handler(h)
	h = httpx.Recover(m.Logger, h)
	h = httpx.SecureHeaders(h)
	h = httpx.LogRequests(m.Logger, h)
	return h, nil
}

// ready answers 200 when the database answers within two seconds, 503 otherwise.
func (m *Main) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := m.Store.Ping(ctx); err != nil {
		httpx.NoteError(r, err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "database unreachable\n")
		return
	}
	_, _ = io.WriteString(w, "ok\n")
}

// housekeeping prunes old sign-in failures, read notifications, the record of sent mail and
// audit events past their retention, recounts the topics that tag suggestions rank by and
// forwards unanswered questions to the advisors, every hour until Close (the topics also once
// at start).
func (m *Main) housekeeping() {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	m.countTopics()
	for {
		select {
		case <-m.done:
			return
		case now := <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := m.Store.PruneFailures(ctx, now.Add(-24*time.Hour)); err != nil {
				m.Logger.Warn("prune sign-in failures", "error", err)
			}
			// Read notifications for half a year, the record of sent mail for a month.
			if _, err := m.Store.PruneNotifications(ctx, now.AddDate(0, -6, 0), now.AddDate(0, -1, 0)); err != nil {
				m.Logger.Warn("prune notifications", "error", err)
			}
			m.pruneAudit(ctx, now)
			cancel()
			m.countTopics()
			m.escalateQuestions()
		}
	}
}

// escalateQuestions forwards the questions nobody answered in QuestionEscalateDays to the
// advisors (issue 5). Each question is marked in the transaction of its notifications, so
// several instances may run it at the same time.
func (m *Main) escalateQuestions() {
	if m.Config.QuestionEscalateDays <= 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n, err := m.Service.EscalateQuestions(ctx, time.Duration(m.Config.QuestionEscalateDays)*24*time.Hour)
	if err != nil && ctx.Err() == nil {
		m.Logger.Warn("escalate questions", "error", err)
	}
	if n > 0 {
		m.Logger.Info("questions forwarded to the advisors", "questions", n)
	}
}

// pruneAudit removes the audit events older than the retention (AuditRetentionDays).
func (m *Main) pruneAudit(ctx context.Context, now time.Time) {
	days := m.Config.AuditRetentionDays
	n, err := m.Store.PruneAudit(ctx, now.AddDate(0, 0, -days))
	if err != nil {
		m.Logger.Warn("prune audit log", "error", err)
		return
	}
	if n > 0 {
		m.Logger.Info("pruned audit log", "events", n, "retention_days", days)
	}
}

// countTopics recounts the topics of posts in public groups for the tag suggestions.
func (m *Main) countTopics() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := m.Store.CountTopics(ctx); err != nil && ctx.Err() == nil {
		m.Logger.Warn("count topics", "error", err)
	}
}

// Close stops accepting requests, lets requests in flight finish (up to 20 seconds) and
// closes the database.
func (m *Main) Close() error {
	var errs []error
	if m.debug != nil {
		_ = m.debug.Close()
	}
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := m.server.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	select {
	case <-m.done:
	default:
		close(m.done)
	}
	m.stop()
	m.wg.Wait()
	if m.Store != nil {
		if err := m.Store.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" || host == "127.0.0.1" || host == "::1" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// announce tells the operator where the site is and how to get in.
func (m *Main) announce(baseURL string) {
	t := m.Bundle.For(OperatorLocale())
	out := m.Config.Stdout
	fmt.Fprintln(out, t.T("cli.serving", baseURL))
	if m.SetupURL != "" {
		fmt.Fprintln(out, t.T("cli.setup_link", m.SetupURL))
	}
	if m.Demo != nil {
		fmt.Fprintln(out, t.T("cli.demo_loaded", m.Demo.Organisations, m.Demo.People))
		fmt.Fprintln(out, t.T("cli.demo_admin", m.Demo.AdminEmail, m.Demo.Password))
		fmt.Fprintln(out, t.T("cli.demo_volunteer", m.Demo.VolunteerEmail, m.Demo.Password))
	}
}

// OperatorLocale picks the language of messages to the operator from LANG: English when it
// starts with "en", Dutch otherwise.
func OperatorLocale() string {
	for _, v := range []string{os.Getenv("LC_ALL"), os.Getenv("LC_MESSAGES"), os.Getenv("LANG")} {
		if v != "" {
			if strings.HasPrefix(v, "en") {
				return "en"
			}
			return "nl"
		}
	}
	return "nl"
}

// serveProfiles serves the runtime profiles of net/http/pprof on a listener of their own
// when BIEBPLEIN_PPROF_ADDR names one (for example 127.0.0.1:6060), to profile the server
// under load (see bench). The profiles reveal internals: never expose that address.
func (m *Main) serveProfiles() error {
	addr := m.Config.PprofAddr
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s for profiles: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	m.debug = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = m.debug.Serve(ln) }()
	m.Logger.Warn("serving profiles", "addr", ln.Addr().String())
	return nil
}
