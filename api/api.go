// Package api serves the JSON API of Biebplein, version 1, under /api/v1/ (see the contract in
// API.md and the reference in docs/api.md).
//
// Handlers parse the request, call the service with the acting person in the context and
// render the answer; the rules live in the service and the domain. Every answer is JSON, errors
// included: {"error": {"code", "message", "fields"?}}, with the message in the caller's language.
package api

import (
	"log/slog"
	"sync"

	"github.com/biebplein/biebplein/i18n"
	"github.com/biebplein/biebplein/service"
)

// Options configure a Server.
type Options struct {
	Service *service.Service
	Bundle  *i18n.Bundle
	// Logger receives problems the API notices itself (a missing translation); request errors
	// go to the request log through httpx.NoteError. Nil discards.
	Logger *slog.Logger
	// TrustProxy takes the client's address from X-Forwarded-For (for sign-in throttling);
	// set it only behind a proxy that sets that header.
	TrustProxy bool
}

// Server is the JSON API.
type Server struct {
	svc        *service.Service
	bundle     *i18n.Bundle
	logger     *slog.Logger
	trustProxy bool
	// buffers holds *bytes.Buffer for encoding answers (writeJSON).
	buffers sync.Pool
}

// New returns the API server. Service and Bundle are required.
func New(opts Options) *Server {
	if opts.Service == nil || opts.Bundle == nil {
		panic("api: New needs a Service and a Bundle")
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Server{svc: opts.Service, bundle: opts.Bundle, logger: logger, trustProxy: opts.TrustProxy}
}
