// Package generation caches what is built from an object's spec (compiled
// rules, compiled expressions) once per object generation: the spec of a
// generation never changes, so neither does what is built from it.
package generation

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// Cache keeps, per object UID, the value built for its newest generation.
// Building happens outside the lock; concurrent callers for the same
// generation wait for one build. Safe for concurrent use.
type Cache[V any] struct {
	mu        sync.Mutex
	entries   map[types.UID]*entry[V]
	lastSweep time.Time
}

type entry[V any] struct {
	generation int64
	lastUsed   time.Time // guarded by Cache.mu
	once       sync.Once
	value      V
}

// Get returns the value built for (uid, gen), calling build at most once
// per generation. An object older than the cached generation (a lagging
// informer) is built without replacing the newer entry, and an object
// without a UID (never stored by an API server) is built every time, as
// its key could collide with another such object's. now stamps the entry
// for Sweep.
func (c *Cache[V]) Get(uid types.UID, gen int64, now time.Time, build func() V) V {
	if uid == "" {
		return build()
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[types.UID]*entry[V]{}
	}
	e := c.entries[uid]
	switch {
	case e == nil || e.generation < gen:
		e = &entry[V]{generation: gen}
		c.entries[uid] = e
	case e.generation > gen:
		c.mu.Unlock()
		return build()
	}
	e.lastUsed = now
	c.mu.Unlock()
	e.once.Do(func() { e.value = build() })
	return e.value
}

// Forget drops an object's entry, for example when it is deleted.
func (c *Cache[V]) Forget(uid types.UID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, uid)
}

// Sweep drops entries not used for idle, at most once per idle: for owners
// of a cache that never hear of deletions.
func (c *Cache[V]) Sweep(now time.Time, idle time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.lastSweep) < idle {
		return
	}
	c.lastSweep = now
	for uid, e := range c.entries {
		if now.Sub(e.lastUsed) > idle {
			delete(c.entries, uid)
		}
	}
}

// Len is the number of cached objects.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
