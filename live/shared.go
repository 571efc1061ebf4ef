package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
)

// channel is the PostgreSQL notification channel of live events.
const channel = "biebplein_live"

// maxPayload is the largest notification Shared sends. PostgreSQL refuses payloads of 8000
// bytes and more; the margin leaves room should the encoding ever grow.
const maxPayload = 7000

// Shared is a Bus for several instances on one PostgreSQL database. Publish sends events
// through the database (NOTIFY), and Run listens and feeds what it hears into the hub.
// Every instance delivers the events it hears, the sender included, so a publisher never
// also delivers locally: each event reaches each subscriber once.
type Shared struct {
	n      Notifier
	hub    *Hub
	logger *slog.Logger

	// listens counts the (re)subscriptions of Run; the first closes ready.
	listens atomic.Int64
	ready   chan struct{}
}

var _ Bus = (*Shared)(nil)

// NewShared returns a Shared bus that publishes through n and delivers into h. logger
// receives notes about lost connections and malformed notifications; nil discards them.
func NewShared(n Notifier, h *Hub, logger *slog.Logger) *Shared {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Shared{n: n, hub: h, logger: logger, ready: make(chan struct{})}
}

// Publish sends ev to every instance, this one included. A notification has a size limit,
// so a long PersonIDs list is split over several events that differ only in PersonIDs; an
// event too large for that (a huge Topics list) is refused.
func (s *Shared) Publish(ctx context.Context, ev Event) error {
	payloads, err := encode(ev)
	if err != nil {
		return fmt.Errorf("live: publish %s: %w", ev.Type, err)
	}
	for _, p := range payloads {
		if err := s.n.Notify(ctx, channel, p); err != nil {
			return fmt.Errorf("live: publish %s: %w", ev.Type, err)
		}
	}
	return nil
}

// Run listens for events and delivers them to the hub until ctx ends; it blocks, so start
// it in a goroutine, once. It returns ctx.Err() at the end, or errors.ErrUnsupported at once
// when the database cannot listen (SQLite: use Local).
func (s *Shared) Run(ctx context.Context) error {
	return s.n.Listen(ctx, channel, s.subscribed, s.deliver)
}

// Ready returns a channel that is closed once Run listens for the first time: events
// published before may not reach this instance.
func (s *Shared) Ready() <-chan struct{} { return s.ready }

// subscribed is called by the notifier each time it listens, first or again.
func (s *Shared) subscribed() {
	if s.listens.Add(1) == 1 {
		close(s.ready)
		return
	}
	// What was published while the connection was down never arrives: open pages must
	// refresh, as after falling behind.
	s.logger.Info("live: listening again after a lost connection; open pages will refresh")
	s.hub.lagAll()
}

// deliver hands one notification to the hub.
func (s *Shared) deliver(payload string) {
	var ev Event
	if err := json.Unmarshal([]byte(payload), &ev); err != nil {
		// Not from this version of Biebplein, or not from Biebplein at all: nothing a page
		// could use.
		s.logger.Warn("live: malformed notification ignored", "err", err, "size", len(payload))
		return
	}
	s.hub.Publish(ev)
}

var errTooLarge = errors.New("event too large for a notification")

// encode returns ev as one or more JSON payloads of at most maxPayload bytes, splitting
// PersonIDs when needed.
func encode(ev Event) ([]string, error) {
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	if len(b) <= maxPayload {
		return []string{string(b)}, nil
	}
	ids := ev.PersonIDs
	if len(ids) == 0 {
		return nil, errTooLarge
	}
	rest := ev
	rest.PersonIDs = nil
	base, err := json.Marshal(rest)
	if err != nil {
		return nil, err
	}
	// The list adds `,"ps":[` and `]` to the rest, whose "t" always comes first, and each
	// id its quoted form plus a comma between ids: sizes can be added up exactly.
	const listOverhead = len(`,"ps":[]`)
	var payloads []string
	for len(ids) > 0 {
		size, n := len(base)+listOverhead, 0
		for ; n < len(ids); n++ {
			q, err := json.Marshal(ids[n])
			if err != nil {
				return nil, err
			}
			add := len(q)
			if n > 0 {
				add++
			}
			if size+add > maxPayload {
				break
			}
			size += add
		}
		if n == 0 {
			return nil, errTooLarge
		}
		part := rest
		part.PersonIDs = ids[:n]
		b, err := json.Marshal(part)
		if err != nil {
			return nil, err
		}
		if len(b) > maxPayload {
			return nil, fmt.Errorf("notification of %d bytes, more than %d", len(b), maxPayload)
		}
		payloads = append(payloads, string(b))
		ids = ids[n:]
	}
	return payloads, nil
}
