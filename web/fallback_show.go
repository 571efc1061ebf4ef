package web

import (
	"net/http"
	"strings"

	"github.com/biebplein/biebplein"
)

// fallback answers every request no route takes: signed-out visitors are sent to sign in
// (so that nobody learns which pages exist), others get 405 when the path exists for another
// method and 404 otherwise.
func (s *Server) fallback(w http.ResponseWriter, r *http.Request) {
	if biebplein.ActorFrom(r.Context()) == nil {
		s.toLogin(w, r)
		return
	}
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "" {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.renderError(w, r, http.StatusMethodNotAllowed, "error.method_not_allowed")
		return
	}
	s.notFound(w, r)
}
