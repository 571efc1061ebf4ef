package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/biebplein/biebplein"
)

// probeMethods are the methods tried to tell a wrong method from an unknown path.
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// unknownRoute answers what no route of mux matches (it is mux's catch-all "/api/v1/"): 405
// with an Allow header when the path exists for other methods, else not_found.
func (s *Server) unknownRoute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range probeMethods {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != r.Pattern {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			s.writeError(w, r, biebplein.Errorf(biebplein.CodeNotFound, msgRouteNotFound))
			return
		}
		if slices.Contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.writeMethodNotAllowed(w, r)
	})
}
