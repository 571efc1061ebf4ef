package store

import (
	"sync"
	"unsafe"

	biebplein "github.com/biebplein/biebplein"
)

// epochCache holds values read at one feed epoch, by key, within a budget of bytes. It is
// what the feed heads and the post cards are kept in. It is safe for concurrent use.
//
// A value read at an older epoch than the newest seen can never be used again (every read
// compares the epoch it read first), so the cache keeps only the newest epoch's: a newer
// epoch empties it, an older one is not kept. Under writes that keeps it small; read only,
// it fills up to its budget, and then makes room by dropping entries chosen at random (the
// order of a map), so that it stays near its budget instead of emptying all at once and
// filling again, which would make the server's memory rise and fall with it.
//
// Sizes are estimates (estimateHead, estimateCard) of what an entry holds on the heap: they
// bound the memory of the cache, within a small factor, not its exact bytes. With the
// server's garbage collector target (GOGC 200, cmd/biebplein) a full cache costs up to about
// three times its budget in resident memory.
type epochCache[V any] struct {
	budget  int // bytes the entries may hold at most
	max     int // entries at most, however small
	mu      sync.RWMutex
	epoch   int64
	entries map[string]sizedEntry[V]
	bytes   int
}

type sizedEntry[V any] struct {
	v    V
	size int
}

func newEpochCache[V any](budget, max int) *epochCache[V] {
	return &epochCache[V]{budget: budget, max: max, epoch: -1, entries: map[string]sizedEntry[V]{}}
}

// get returns the value of key read at epoch, if the cache has it.
func (c *epochCache[V]) get(epoch int64, key string) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if epoch != c.epoch {
		var zero V
		return zero, false
	}
	e, ok := c.entries[key]
	return e.v, ok
}

// put keeps v, of about size bytes, as the value of key read at epoch. A value of an older
// epoch than the cache's is not kept; a newer epoch empties the cache first. When the entry
// does not fit, entries chosen at random make room; one larger than the whole budget is not
// kept.
func (c *epochCache[V]) put(epoch int64, key string, v V, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case epoch < c.epoch:
		return
	case epoch > c.epoch:
		c.epoch, c.entries, c.bytes = epoch, map[string]sizedEntry[V]{}, 0
	}
	if size > c.budget {
		return
	}
	if old, ok := c.entries[key]; ok {
		c.bytes -= old.size
		delete(c.entries, key)
	}
	for k, e := range c.entries {
		if c.bytes+size <= c.budget && len(c.entries) < c.max {
			break
		}
		c.bytes -= e.size
		delete(c.entries, k)
	}
	c.entries[key] = sizedEntry[V]{v, size}
	c.bytes += size
}

// usage returns the number of entries and their estimated bytes, for tests.
func (c *epochCache[V]) usage() (entries, bytes int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries), c.bytes
}

// The estimates: a string costs its header and its bytes; a map entry about twice its key
// and value (buckets are not full, and hold control bytes).
const (
	stringCost   = int(unsafe.Sizeof(""))
	pointerCost  = int(unsafe.Sizeof(uintptr(0)))
	mapEntryCost = 2 * (stringCost + pointerCost)
	groupCost    = int(unsafe.Sizeof(biebplein.Group{}))
)

// estimateHead returns about how many bytes a head holds.
func estimateHead(key string, h *head) int {
	n := stringCost + len(key) + int(unsafe.Sizeof(*h))
	for _, id := range h.ids {
		n += stringCost + len(id)
	}
	for _, p := range h.pinned {
		n += int(unsafe.Sizeof(p)) + len(p.id)
	}
	// Each post's entry (its key has its own bytes: it was scanned apart from the ids), and
	// each group once, shared by the posts of the group.
	seen := map[*biebplein.Group]bool{}
	for id, g := range h.groups {
		n += mapEntryCost + len(id)
		if !seen[g] {
			seen[g] = true
			n += groupCost + len(g.ID) + len(g.Visibility) + len(g.OrganisationID)
		}
	}
	return n
}

// estimateCard returns about how many bytes the card of post p holds: the post with its
// texts and its parts.
func estimateCard(key string, p *biebplein.Post) int {
	n := stringCost + len(key) + int(unsafe.Sizeof(card{})) + int(unsafe.Sizeof(*p))
	n += len(p.ID) + len(p.Group.ID) + len(p.Group.Name) + len(p.Author.ID) + len(p.Author.Name) +
		len(p.Body) + len(p.HTML) + len(p.Text) + len(p.AcceptedCommentID) + len(p.DeletedBy)
	for _, m := range p.Mentions {
		n += int(unsafe.Sizeof(m)) + len(m.Kind) + len(m.ID) + len(m.Name)
	}
	for _, t := range p.Topics {
		n += stringCost + len(t)
	}
	n += len(p.Reactions) * (stringCost + 8) * 2
	for _, c := range p.Comments {
		n += pointerCost + int(unsafe.Sizeof(*c)) + len(c.ID) + len(c.PostID) + len(c.ParentID) + len(c.Author.ID) +
			len(c.Author.Name) + len(c.Body) + len(c.HTML) + len(c.Text)
		for _, m := range c.Mentions {
			n += int(unsafe.Sizeof(m)) + len(m.Kind) + len(m.ID) + len(m.Name)
		}
	}
	for _, a := range p.Attachments {
		n += pointerCost + int(unsafe.Sizeof(*a)) + len(a.ID) + len(a.PostID) + len(a.Kind) + len(a.ContentType) + len(a.Name)
	}
	if p.Poll != nil {
		n += int(unsafe.Sizeof(*p.Poll))
		for _, o := range p.Poll.Options {
			n += pointerCost + int(unsafe.Sizeof(*o)) + len(o.ID) + len(o.Label)
		}
	}
	return n
}
