package maturity

import (
	"fmt"
	"sync"
	"testing"
)

func TestCacheCompilesOncePerGeneration(t *testing.T) {
	c := NewCache()
	m1 := modelObject("uid-1", 1, scaleupSpec())

	first, errs := c.Get(m1)
	if first == nil || len(errs) > 0 {
		t.Fatalf("Get: %v", errs)
	}
	for range 5 {
		if again, _ := c.Get(m1.DeepCopy()); again != first {
			t.Fatal("same generation returned a different compilation")
		}
		first.Evaluate(scaleupMetrics(), lvHighPerformance)
	}
	if n := c.Compilations(); n != 1 {
		t.Fatalf("compilations = %d, want 1", n)
	}

	// A new generation recompiles and replaces the old one.
	m2 := modelObject("uid-1", 2, climbing)
	second, _ := c.Get(m2)
	if second == first || second.ObjectiveCount() != 1 || c.Compilations() != 2 {
		t.Fatalf("generation 2: model %p (first %p), compilations %d; want a new model and 2", second, first, c.Compilations())
	}
	if again, _ := c.Get(m2); again != second || c.Compilations() != 2 {
		t.Errorf("generation 2 again: model %p, compilations %d; want the cached one and 2", again, c.Compilations())
	}

	// A lagging informer's older object is compiled for that caller but
	// does not evict the newer generation.
	if old, _ := c.Get(m1); old == nil || old.ObjectiveCount() != 21 {
		t.Errorf("old generation: %v", old)
	}
	if again, _ := c.Get(m2); again != second {
		t.Error("an older generation evicted the newer one")
	}
	if n := c.Compilations(); n != 3 {
		t.Errorf("compilations = %d, want 3", n)
	}

	// Other UIDs are independent; Forget drops one.
	if _, errs := c.Get(modelObject("uid-2", 1, climbing)); len(errs) > 0 {
		t.Fatal(errs)
	}
	c.Forget("uid-1")
	if n := c.models.Len(); n != 1 {
		t.Errorf("after Forget %d models cached, want only uid-2", n)
	}
	if again, _ := c.Get(m2); again == second {
		t.Error("a forgotten model was not recompiled")
	}
}

func TestCacheErrorsAreCached(t *testing.T) {
	c := NewCache()
	bad := modelObject("bad", 1, modelSpec(nil, stream("s", obj("o", nil, crit("Startup", "metrics.x +")))))
	for range 3 {
		m, errs := c.Get(bad)
		if m != nil || len(errs) != 1 {
			t.Fatalf("Get = %v, %v; want one error", m, errs)
		}
	}
	if n := c.Compilations(); n != 1 {
		t.Errorf("compilations = %d, want 1", n)
	}
}

func TestCacheWithoutUIDCompilesEveryTime(t *testing.T) {
	c := NewCache()
	a, b := modelObject("", 1, climbing), modelObject("", 1, scaleupSpec())
	ma, _ := c.Get(a)
	mb, _ := c.Get(b)
	if ma.ObjectiveCount() != 1 || mb.ObjectiveCount() != 21 || c.Compilations() != 2 || c.models.Len() != 0 {
		t.Errorf("objects without UID shared a compilation (%d, %d objectives; %d compilations)",
			ma.ObjectiveCount(), mb.ObjectiveCount(), c.Compilations())
	}
	if m, errs := c.Get(nil); m != nil || len(errs) != 1 {
		t.Errorf("Get(nil) = %v, %v", m, errs)
	}
}

// TestCacheConcurrent has many goroutines ask for the same and for
// different models at once: each (UID, generation) compiles exactly once.
func TestCacheConcurrent(t *testing.T) {
	c := NewCache()
	const uids = 4
	spec := scaleupSpec()
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			m := modelObject(fmt.Sprintf("uid-%d", g%uids), 1, spec)
			for range 20 {
				compiled, errs := c.Get(m)
				if compiled == nil || len(errs) > 0 {
					t.Errorf("Get: %v", errs)
					return
				}
				compiled.Evaluate(scaleupMetrics(), lvHighPerformance)
			}
		})
	}
	wg.Wait()
	if n := c.Compilations(); n != uids {
		t.Errorf("compilations = %d, want %d", n, uids)
	}
}
