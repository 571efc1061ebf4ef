// Package service carries out what people ask of Biebplein: it checks who is acting (from the
// context), applies the domain's rules and calls the store. The web pages, the JSON API and
// the command line all go through it, so a rule is written once.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/auth"
	"github.com/biebplein/biebplein/live"
	"github.com/biebplein/biebplein/render"
)

// Options configure a Service.
type Options struct {
	// BaseURL is where the site is reached, without trailing slash; used in links.
	BaseURL string
	// Password are the argon2id parameters for new hashes (auth.DefaultParams when zero).
	Password auth.Params
	// Throttle limits failed sign-ins; DefaultThrottle when zero.
	Throttle Throttle
	// Now returns the current time; time.Now when nil. Tests set it to move the clock.
	Now    func() time.Time
	Logger *slog.Logger
	// MailDelay is how long an immediate e-mail waits (DefaultMailDelay when zero).
	MailDelay time.Duration
	// Events receives live events for open pages; none are raised when nil.
	Events live.Bus
	// MailConfigured says whether a mail server is set (for the administrators' page).
	MailConfigured bool
	// Hub delivers live events to the open pages of this instance (OpenLive); without it
	// pages get no live updates.
	Hub *live.Hub
	// RequireAdminTOTP is the site setting "two-factor required for administrators": an
	// administrator without it is sent to enrolment before anything else (TOTPRequired).
	RequireAdminTOTP bool
}

// Throttle limits failed sign-ins within a window, per account and per network address.
type Throttle struct {
	Window     time.Duration
	PerAccount int
	PerAddress int
}

// DefaultThrottle allows five failures per account and twenty per address in fifteen minutes.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, PerAccount: 5, PerAddress: 20}

// Service is the domain's entry point.
type Service struct {
	store    biebplein.Store
	opts     Options
	logger   *slog.Logger
	renderer *render.Renderer
	// dummyHash is checked against when an e-mail address has no account, so that a wrong
	// address takes as long as a wrong password.
	dummyHash string
}

// New returns a Service on store.
func New(store biebplein.Store, opts Options) *Service {
	if opts.Password == (auth.Params{}) {
		opts.Password = auth.DefaultParams
	}
	if opts.Throttle == (Throttle{}) {
		opts.Throttle = DefaultThrottle
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MailDelay == 0 {
		opts.MailDelay = DefaultMailDelay
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dummy, _ := auth.HashPassword(auth.NewToken(), opts.Password)
	return &Service{store: store, opts: opts, logger: opts.Logger, dummyHash: dummy, renderer: newRenderer(opts.BaseURL)}
}

// Store returns the underlying store, for health checks.
func (s *Service) Store() biebplein.Store { return s.store }

func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }

// System returns a context acting as the system itself: an administrator that is nobody.
// The command line uses it; web and API never do.
func System(ctx context.Context) context.Context {
	return biebplein.NewContext(ctx, &biebplein.Person{ID: "", Name: "system", Admin: true, Kind: biebplein.KindStaff})
}

// errNotFound is the one answer for "does not exist or may not be seen".
func errNotFound() error { return biebplein.Errorf(biebplein.CodeNotFound, "error.not_found") }

func errUnauthorized() error {
	return biebplein.Errorf(biebplein.CodeUnauthorized, "error.unauthorized")
}

// requireActor returns the signed-in actor or unauthorized.
func requireActor(ctx context.Context) (*biebplein.Person, error) {
	a := biebplein.ActorFrom(ctx)
	if a == nil || !a.Active() {
		return nil, errUnauthorized()
	}
	return a, nil
}

// requireAdmin returns the actor when they are an administrator. Anyone else gets not_found,
// so that admin pages and routes do not reveal that they exist.
func requireAdmin(ctx context.Context) (*biebplein.Person, error) {
	a, err := requireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !biebplein.IsAdmin(a) {
		return nil, errNotFound()
	}
	return a, nil
}

func fieldError(code, field, key string) error {
	return &biebplein.Error{Code: code, Message: key, Fields: map[string]string{field: key}}
}
