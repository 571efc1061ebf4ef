package httpx

import (
	"context"
	"net/http"
	"time"

	"github.com/biebplein/biebplein"
	"github.com/biebplein/biebplein/service"
)

// SessionCookie is the name of the cookie holding the session token.
const SessionCookie = "biebplein_session"

// SetSessionCookie stores the session token in an HttpOnly, SameSite=Lax cookie, Secure when
// the site is served over https.
func SetSessionCookie(w http.ResponseWriter, token string, expires time.Time, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
}

// ClearSessionCookie removes the session cookie.
func ClearSessionCookie(w http.ResponseWriter, secure bool) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	})
}

type sessionKey struct{}

// SessionFrom returns the browser session of the request, or nil (signed out, or a bearer
// token was used).
func SessionFrom(ctx context.Context) *biebplein.Session {
	s, _ := ctx.Value(sessionKey{}).(*biebplein.Session)
	return s
}

// WithSession returns ctx carrying the session and its person as the actor.
func WithSession(ctx context.Context, s *biebplein.Session, p *biebplein.Person) context.Context {
	return biebplein.NewContext(context.WithValue(ctx, sessionKey{}, s), p)
}

// CookieAuth signs the request in from the session cookie, when there is a valid one. An
// unknown or expired cookie just leaves the request signed out; a failing database calls
// onError (which answers 503 in the caller's format).
func CookieAuth(svc *service.Service, onError func(http.ResponseWriter, *http.Request, error), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(SessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		sess, p, err := svc.Authenticate(r.Context(), c.Value)
		switch biebplein.ErrorCode(err) {
		case "":
			next.ServeHTTP(w, r.WithContext(WithSession(r.Context(), sess, p)))
		case biebplein.CodeUnauthorized:
			next.ServeHTTP(w, r)
		default:
			onError(w, r, err)
		}
	})
}

// Unavailable reports whether err means the database (or another dependency) is down, as
// opposed to a bug; such errors are answered with 503.
func Unavailable(err error) bool {
	return biebplein.ErrorCode(err) == biebplein.CodeUnavailable
}
