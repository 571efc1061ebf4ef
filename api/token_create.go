package api

import (
	"net/http"
	"time"

	"github.com/biebplein/biebplein/httpx"
	"github.com/biebplein/biebplein/service"
)

type tokenCreateRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
	// TOTPCode is the second factor (a code of the app or a recovery code) for accounts with
	// two-factor on.
	TOTPCode string `json:"totp_code"`
}

type tokenCreated struct {
	ID        string    `json:"id"`
	Token     string    `json:"token"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// tokenCreate makes an API token from an e-mail address and password:
// POST /api/v1/tokens. It needs no authentication and is throttled like signing in; with
// two-factor on, totp_code is needed too.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) {
	var req tokenCreateRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	c := service.Credentials{
		Email: req.Email, Password: req.Password, Code: req.TOTPCode,
		IP: httpx.ClientIP(r, s.trustProxy), UserAgent: r.UserAgent(),
	}
	t, secret, err := s.svc.CreateTokenWithPassword(r.Context(), c, req.Name)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, tokenCreated{ID: t.ID, Token: secret, Name: t.Name, CreatedAt: t.CreatedAt.UTC()})
}
