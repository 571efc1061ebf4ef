package api

import (
	"time"

	"github.com/biebplein/biebplein"
)

// tokenJSON is an API token without its secret.
type tokenJSON struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	// Current marks the token the request itself was made with.
	Current bool `json:"current"`
}

func newToken(t *biebplein.APIToken, current *biebplein.APIToken) tokenJSON {
	out := tokenJSON{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.UTC(), Current: current != nil && current.ID == t.ID}
	if t.LastUsedAt != nil {
		used := t.LastUsedAt.UTC()
		out.LastUsedAt = &used
	}
	return out
}
