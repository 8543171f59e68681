package maturity

import (
	"sync"
	"sync/atomic"

	"k8s.io/apimachinery/pkg/types"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Cache compiles each MaturityModel once per (UID, generation): every
// target that uses a model, on every periodic re-evaluation, shares one
// compilation. Only the newest generation per UID is kept, so an edited
// model does not leak its old programs. Safe for concurrent use.
type Cache struct {
	mu      sync.Mutex
	entries map[types.UID]*cacheEntry
	// compilations counts Compile calls, so tests and benchmarks can assert
	// that evaluation never compiles.
	compilations atomic.Int64
}

// cacheEntry compiles outside the cache lock (compiling is the slow part)
// while sync.Once still makes concurrent callers for the same generation
// wait for one compilation instead of each doing their own.
type cacheEntry struct {
	generation int64
	once       sync.Once
	model      *Model
	errs       []FieldError
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{entries: map[types.UID]*cacheEntry{}}
}

// Get returns the compiled model, or its defects, for m's generation.
//
// An object older than the cached generation (a lagging informer) is
// compiled without replacing the newer entry. An object without a UID
// (never stored by an API server) is compiled every time: its key could
// collide with another such object.
func (c *Cache) Get(m *v1alpha1.MaturityModel) (*Model, []FieldError) {
	if m == nil {
		return nil, []FieldError{{Field: "spec", Message: "no MaturityModel given"}}
	}
	if m.UID == "" {
		return c.compile(&m.Spec)
	}
	c.mu.Lock()
	e := c.entries[m.UID]
	switch {
	case e == nil || e.generation < m.Generation:
		e = &cacheEntry{generation: m.Generation}
		c.entries[m.UID] = e
	case e.generation > m.Generation:
		c.mu.Unlock()
		return c.compile(&m.Spec)
	}
	c.mu.Unlock()
	e.once.Do(func() { e.model, e.errs = c.compile(&m.Spec) })
	return e.model, e.errs
}

func (c *Cache) compile(spec *v1alpha1.MaturityModelSpec) (*Model, []FieldError) {
	c.compilations.Add(1)
	return Compile(spec)
}

// Compilations is the total number of compilations the cache has done.
func (c *Cache) Compilations() int64 { return c.compilations.Load() }

// Forget drops a model's compilation, for example when it is deleted.
func (c *Cache) Forget(uid types.UID) {
	c.mu.Lock()
	delete(c.entries, uid)
	c.mu.Unlock()
}
