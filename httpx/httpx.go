// Package httpx is the HTTP plumbing shared by the web pages and the JSON API: error codes
// mapped to statuses (in one place), request logging, security headers, panic recovery, the
// session cookie and signing in from it.
package httpx

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/biebplein/biebplein"
)

// Status maps a domain error code to an HTTP status.
func Status(code string) int {
	switch code {
	case biebplein.CodeInvalid:
		return http.StatusBadRequest
	case biebplein.CodeUnauthorized:
		return http.StatusUnauthorized
	case biebplein.CodeForbidden:
		return http.StatusForbidden
	case biebplein.CodeNotFound:
		return http.StatusNotFound
	case biebplein.CodeConflict:
		return http.StatusConflict
	case biebplein.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case biebplein.CodeRateLimited:
		return http.StatusTooManyRequests
	case biebplein.CodeUnavailable:
		return http.StatusServiceUnavailable
	case "":
		return http.StatusOK
	}
	return http.StatusInternalServerError
}

// requestInfo is shared by the outer request logger and the per-route wrapper, which knows
// the matched pattern.
type requestInfo struct {
	pattern string
	err     error
}

type infoKey struct{}

// Route wraps a handler registered on a ServeMux so that the request log shows the matched
// pattern (the mux sets r.Pattern only on the request it passes on).
func Route(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
			info.pattern = r.Pattern
		}
		h.ServeHTTP(w, r)
	})
}

// NoteError records an internal error for the request log line; it is never shown to users.
func NoteError(r *http.Request, err error) {
	if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
		info.err = err
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (flushing for live updates).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// LogRequests writes one log line per request: method, route pattern (never the raw path with
// its tokens), status, duration and size. Internal errors noted by handlers are added.
func LogRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		pattern := info.pattern
		if pattern == "" {
			pattern = "(unmatched)"
		}
		attrs := []any{
			"method", r.Method, "pattern", pattern, "status", sw.status,
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000, "bytes", sw.bytes,
		}
		level := slog.LevelInfo
		if info.err != nil {
			attrs = append(attrs, "error", info.err.Error())
			level = slog.LevelError
		}
		logger.Log(r.Context(), level, "request", attrs...)
	})
}

// ContentSecurityPolicy allows scripts, styles and images from the site itself only: no
// inline script, no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// SecureHeaders sets the security headers on every response.
func SecureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// Recover turns a panic into a plain 500 answer (the stack goes to the log only).
func Recover(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.Error("panic", "pattern", r.Pattern, "panic", v, "stack", string(debug.Stack()))
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte("500\n"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// ClientIP returns the address of the client: the connection's peer, or, when trustProxy is
// set, the last address in X-Forwarded-For (the one our own proxy added).
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			for i := len(last) - 1; i >= 0; i-- {
				if last[i] == ',' {
					last = last[i+1:]
					break
				}
			}
			if ip := net.ParseIP(trimSpace(last)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func trimSpace(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}
