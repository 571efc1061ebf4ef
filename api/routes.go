package api

import (
	"net/http"

	"github.com/biebplein/biebplein/httpx"
)

// Handler returns every route of the API, with full paths under /api/v1/. Paths that match
// no route answer JSON not_found; a known path with another method answers 405.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.Handler) { mux.Handle(pattern, httpx.Route(h)) }

	handle("POST /api/v1/tokens", http.HandlerFunc(s.tokenCreate))
	handle("GET /api/v1/tokens", s.signedIn(s.tokenList))
	handle("DELETE /api/v1/tokens/{id}", s.signedIn(s.tokenDelete))

	handle("GET /api/v1/me", s.signedIn(s.meShow))
	handle("PATCH /api/v1/me", s.signedIn(s.meUpdate))

	handle("GET /api/v1/organisations", s.signedIn(s.organisationList))
	handle("POST /api/v1/organisations", s.adminOnly(s.organisationCreate))
	handle("GET /api/v1/organisations/{id}", s.signedIn(s.organisationShow))

	handle("GET /api/v1/people", s.signedIn(s.personList))
	handle("POST /api/v1/people", s.adminOnly(s.personCreate))
	handle("GET /api/v1/people/{id}", s.signedIn(s.personShow))

	handle("/api/v1/", s.unknownRoute(mux))
	return mux
}
