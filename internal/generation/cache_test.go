package generation

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

func TestCache(t *testing.T) {
	var c Cache[int64]
	var builds atomic.Int64
	build := func(v int64) func() int64 { return func() int64 { builds.Add(1); return v } }
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

	steps := []struct {
		name       string
		uid        string
		gen        int64
		want       int64
		wantBuilds int64
	}{
		{"first get builds", "a", 1, 1, 1},
		{"same generation is cached", "a", 1, 1, 1},
		{"new generation rebuilds", "a", 2, 2, 2},
		{"older generation builds without replacing", "a", 1, 1, 3},
		{"the newer entry is still cached", "a", 2, 2, 3},
		{"no UID builds every time", "", 2, 2, 4},
		{"no UID builds every time, again", "", 2, 2, 5},
	}
	for _, s := range steps {
		if got := c.Get(types.UID(s.uid), s.gen, t0, build(s.gen)); got != s.want || builds.Load() != s.wantBuilds {
			t.Errorf("%s: got %d after %d builds, want %d after %d", s.name, got, builds.Load(), s.want, s.wantBuilds)
		}
	}

	c.Forget("a")
	if c.Len() != 0 {
		t.Fatalf("Forget left %d entries", c.Len())
	}

	c.Get("old", 1, t0, build(1))
	c.Get("fresh", 1, t0.Add(90*time.Minute), build(1))
	c.Sweep(t0.Add(2*time.Hour), time.Hour)
	if c.Len() != 1 {
		t.Errorf("Sweep kept %d entries, want only the recently used one", c.Len())
	}
	c.Get("late", 1, t0.Add(2*time.Hour), build(1))
	c.Sweep(t0.Add(2*time.Hour+time.Minute), time.Hour)
	if c.Len() != 2 {
		t.Errorf("a second Sweep within idle ran again: %d entries", c.Len())
	}
}

func TestCacheBuildsOncePerGenerationUnderConcurrency(t *testing.T) {
	var c Cache[int]
	var builds atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			c.Get("a", 7, time.Time{}, func() int { builds.Add(1); return 7 })
		})
	}
	wg.Wait()
	if builds.Load() != 1 {
		t.Errorf("%d builds for one generation, want 1", builds.Load())
	}
}
