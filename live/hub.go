package live

import (
	"sync"
	"sync/atomic"
)

// subscriptionBuffer is how many events a subscription holds for a reader that is busy
// writing to its browser; more than a burst of posts, few enough that a stuck page costs
// little.
const subscriptionBuffer = 32

// Hub delivers events to the subscribers of this process. It is safe for concurrent use;
// the zero value is not usable, call NewHub.
type Hub struct {
	// mu is held for reading while publishing, so that publishers run side by side and a
	// subscription is never closed while an event is sent on it.
	mu sync.RWMutex
	// subs is a slice rather than a map: publishing walks it, and a slice is the fastest
	// thing to walk when thousands of pages are open.
	subs []*Subscription
	// closed is set by Close: new subscriptions are closed at once.
	closed bool
}

// NewHub returns a hub without subscribers.
func NewHub() *Hub { return &Hub{} }

// Subscription is one subscriber of a hub, normally one open page.
type Subscription struct {
	// C receives the events the subscriber wants. It is closed by Close.
	C <-chan Event

	c     chan Event
	wants func(Event) bool
	hub   *Hub
	i     int // index in hub.subs, -1 once closed; guarded by hub.mu

	// lagged is set when an event was dropped; lag wakes a reader waiting on C.
	lagged atomic.Bool
	lag    chan struct{}
}

// Subscribe registers a subscriber. wants decides per event whether the subscriber gets it
// (nil wants everything); it is called on the publisher's goroutine, possibly by several
// publishers at once, while the hub is locked: it must be fast, safe for concurrent use, do
// no I/O and not call the hub. Close the subscription when done with it.
//
// When the subscriber does not keep up and C is full, the hub does not wait: it drops the
// event and marks the subscription lagged (see Lagged), so that the page can be told to
// refresh.
func (h *Hub) Subscribe(wants func(Event) bool) *Subscription {
	c := make(chan Event, subscriptionBuffer)
	s := &Subscription{C: c, c: c, wants: wants, hub: h, lag: make(chan struct{}, 1)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		s.i = -1
		close(s.c)
		return s
	}
	s.i = len(h.subs)
	h.subs = append(h.subs, s)
	return s
}

// Close closes every subscription, now and later, so that the streams of open pages end
// when the server shuts down (they would otherwise hold it up until its deadline).
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, s := range h.subs {
		s.i = -1
		close(s.c)
	}
	h.subs = nil
}

// Publish delivers ev to every subscriber that wants it, without waiting for any of them.
// It is safe for concurrent use.
func (h *Hub) Publish(ev Event) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, s := range h.subs {
		if s.wants != nil && !s.wants(ev) {
			continue
		}
		select {
		case s.c <- ev:
		default:
			s.markLagged()
		}
	}
}

// Len returns the number of subscribers.
func (h *Hub) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.subs)
}

// lagAll marks every subscription lagged: events may have been lost for all of them.
func (h *Hub) lagAll() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, s := range h.subs {
		s.markLagged()
	}
}

// Close unsubscribes and closes C. Calling it again does nothing.
func (s *Subscription) Close() {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.i < 0 {
		return
	}
	// Move the last subscription into the gap rather than shifting the rest.
	last := len(h.subs) - 1
	h.subs[s.i] = h.subs[last]
	h.subs[s.i].i = s.i
	h.subs[last] = nil
	h.subs = h.subs[:last]
	s.i = -1
	close(s.c)
}

// Lagged reports whether events were dropped for this subscription since the last call
// (or since it was made), and clears the mark.
func (s *Subscription) Lagged() bool { return s.lagged.Swap(false) }

func (s *Subscription) markLagged() {
	if s.lagged.Swap(true) {
		// Already marked: the reader has been woken and not yet looked.
		return
	}
	select {
	case s.lag <- struct{}{}:
	default:
	}
}

// drain discards the events waiting in C: after a lag the page refreshes everything, which
// covers them.
func (s *Subscription) drain() {
	for range len(s.c) {
		select {
		case <-s.c:
		default:
			return
		}
	}
}
