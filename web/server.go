// Package web serves the HTML pages of Biebplein: signing in, setting up the site, accepting
// an invitation, the people directory, one's own profile and the administration pages.
//
// Handlers parse the request, call the service and render a typed page struct with one of the
// embedded templates; they hold no business rules. Every route is listed in routes.go, one
// handler per file named noun_verb.go. Every visible text comes from the i18n catalogue.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"
	_ "time/tzdata" // Europe/Amsterdam must load on machines without a zoneinfo database

	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/media"
	"github.com/biebplein/biebplein/service"
)

//go:embed templates static
var embedded embed.FS

// Options configure the web server.
type Options struct {
	Service *service.Service
	Bundle  *i18n.Bundle
	Logger  *slog.Logger
	// BaseURL is where the site is reached, without trailing slash.
	BaseURL string
	// SecureCookies marks cookies Secure (the site is served over https).
	SecureCookies bool
	// TrustProxy makes httpx.ClientIP trust the last X-Forwarded-For address.
	TrustProxy bool
	// Media keeps the files attached to posts; without it uploads are refused and files
	// are not found.
	Media *media.Store
	// AuditRetentionDays is how long the audit log keeps an event, for its page to say.
	AuditRetentionDays int
}

// Server renders the HTML site.
type Server struct {
	svc    *service.Service
	media  *media.Store
	bundle *i18n.Bundle
	logger *slog.Logger
	opts   Options

	pages      map[string]pageTemplate
	staticFS   fs.FS
	staticHash map[string]string // file name -> short content hash, for cache busting
	zone       *time.Location
	mux        *http.ServeMux

	// pageSize is how many people one page of a list shows; tests make it small.
	pageSize int
}

// New checks the options, parses every template and checks every catalogue key they use, so
// that a broken template or a missing text fails at start-up rather than at a request.
func New(opts Options) (*Server, error) {
	if opts.Service == nil || opts.Bundle == nil {
		return nil, errors.New("web: Service and Bundle are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	zone, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		// Cannot happen with time/tzdata linked in; winter time is the lesser evil then.
		opts.Logger.Warn("time zone Europe/Amsterdam not found; using +01:00", "error", err)
		zone = time.FixedZone("CET", 60*60)
	}
	staticFS, err := fs.Sub(embedded, "static")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s := &Server{
		svc: opts.Service, media: opts.Media, bundle: opts.Bundle, logger: opts.Logger, opts: opts,
		staticFS: staticFS, zone: zone, pageSize: 20,
	}
	if s.staticHash, err = hashFiles(staticFS); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if missing := s.missingKeys(); len(missing) > 0 {
		return nil, fmt.Errorf("web: catalogue keys missing: %v", missing)
	}
	s.mux = http.NewServeMux()
	s.routes()
	return s, nil
}

// Handler returns the handler of every HTML route (everything but the JSON API and the health
// checks, which the app mounts beside it).
func (s *Server) Handler() http.Handler { return s.mux }

// hashFiles returns a short SHA-256 of every file in fsys, keyed by path.
func hashFiles(fsys fs.FS) (map[string]string, error) {
	out := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		out[path] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return out, err
}
