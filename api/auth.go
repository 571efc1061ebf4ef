package api

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/httpx"
)

// CSRFHeader is the header that must repeat the session's CSRF token when a browser calls an
// unsafe method with the session cookie instead of a bearer token.
const CSRFHeader = "X-CSRF-Token"

type tokenKey struct{}

// tokenFrom returns the API token the request was signed in with, or nil (cookie).
func tokenFrom(ctx context.Context) *biebplein.APIToken {
	t, _ := ctx.Value(tokenKey{}).(*biebplein.APIToken)
	return t
}

// signedIn runs next with the acting person in the context, or answers unauthorized.
func (s *Server) signedIn(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, err := s.authenticate(r)
		r = r.WithContext(ctx)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		next(w, r)
	})
}

// adminOnly is signedIn for administrators' routes. Anyone else gets not_found before the
// body is read, so that the route does not reveal itself by validating input. The service
// checks again; this only decides what a non-administrator learns.
func (s *Server) adminOnly(next http.HandlerFunc) http.Handler {
	return s.signedIn(func(w http.ResponseWriter, r *http.Request) {
		if !biebplein.IsAdmin(biebplein.ActorFrom(r.Context())) {
			s.writeError(w, r, biebplein.Errorf(biebplein.CodeNotFound, msgRouteNotFound))
			return
		}
		next(w, r)
	})
}

// authenticate signs the request in from a bearer token or, failing that, from the browser's
// session cookie. A bearer token wins when both are present. The returned context carries the
// actor whenever one was found, even with an error (so that a CSRF refusal is in their
// language).
func (s *Server) authenticate(r *http.Request) (context.Context, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(strings.TrimSpace(h), " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return ctx, biebplein.Errorf(biebplein.CodeUnauthorized, msgAuthorizationInvalid)
		}
		t, p, err := s.svc.AuthenticateToken(ctx, token)
		if err != nil {
			if biebplein.ErrorCode(err) == biebplein.CodeUnauthorized {
				err = biebplein.Errorf(biebplein.CodeUnauthorized, msgTokenInvalid)
			}
			return ctx, err
		}
		return context.WithValue(biebplein.NewContext(ctx, p), tokenKey{}, t), nil
	}
	c, err := r.Cookie(httpx.SessionCookie)
	if err != nil || c.Value == "" {
		return ctx, biebplein.Errorf(biebplein.CodeUnauthorized, "error.unauthorized")
	}
	sess, p, err := s.svc.Authenticate(ctx, c.Value)
	if err != nil {
		return ctx, err
	}
	ctx = httpx.WithSession(ctx, sess, p)
	if !safeMethod(r.Method) {
		got := r.Header.Get(CSRFHeader)
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) != 1 {
			return ctx, biebplein.Errorf(biebplein.CodeForbidden, msgCSRFHeader)
		}
	}
	return ctx, nil
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}
