package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// targetState is what the tracker keeps of a MaturityTarget.
type targetState struct {
	level  string
	ready  bool   // Ready=True for the current generation
	reason string // the Ready condition's reason, for reports of what is stuck
}

// tracker watches MaturityTargets through an informer of its own and
// records, the moment the watch delivers it, when each target reached the
// state a phase waits for. It only reads: the watch is what `kubectl get -w`
// costs the API server.
type tracker struct {
	mu       sync.Mutex
	expected map[types.NamespacedName]string    // the level each target must reach
	done     map[types.NamespacedName]time.Time // first time Ready at the expected level
	states   map[types.NamespacedName]targetState
	waiters  []levelWaiter
	changed  chan struct{} // closed and replaced on every recorded change
}

// levelWaiter is told when a target reports a level.
type levelWaiter struct {
	key   types.NamespacedName
	level string
	at    chan time.Time
}

func newTracker() *tracker {
	return &tracker{
		expected: map[types.NamespacedName]string{},
		done:     map[types.NamespacedName]time.Time{},
		states:   map[types.NamespacedName]targetState{},
		changed:  make(chan struct{}),
	}
}

// start runs the informer on c until ctx ends. The transform keeps only what
// the tracker reads, so watching 10,000 targets costs the harness little.
func (t *tracker) start(ctx context.Context, c cache.Cache) error {
	inf, err := c.GetInformer(ctx, &v1alpha1.MaturityTarget{})
	if err != nil {
		return err
	}
	_, err = inf.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
		AddFunc:    func(o any) { t.observe(o) },
		UpdateFunc: func(_, o any) { t.observe(o) },
	})
	return err
}

// trimTarget is the informer's transform: name, generation, level, Ready.
func trimTarget(o any) (any, error) {
	tg, ok := o.(*v1alpha1.MaturityTarget)
	if !ok {
		return o, nil
	}
	trimmed := &v1alpha1.MaturityTarget{ObjectMeta: metav1.ObjectMeta{
		Namespace: tg.Namespace, Name: tg.Name, Generation: tg.Generation, ResourceVersion: tg.ResourceVersion,
	}}
	trimmed.Status.CurrentLevel = tg.Status.CurrentLevel
	trimmed.Status.ObservedGeneration = tg.Status.ObservedGeneration
	if c := meta.FindStatusCondition(tg.Status.Conditions, v1alpha1.ConditionReady); c != nil {
		trimmed.Status.Conditions = []metav1.Condition{*c}
	}
	return trimmed, nil
}

func (t *tracker) observe(o any) {
	now := time.Now()
	tg, ok := o.(*v1alpha1.MaturityTarget)
	if !ok {
		return
	}
	key := types.NamespacedName{Namespace: tg.Namespace, Name: tg.Name}
	ready := meta.FindStatusCondition(tg.Status.Conditions, v1alpha1.ConditionReady)
	st := targetState{level: tg.Status.CurrentLevel}
	if ready != nil {
		st.reason = ready.Reason
		st.ready = ready.Status == metav1.ConditionTrue && ready.ObservedGeneration == tg.Generation &&
			tg.Status.ObservedGeneration == tg.Generation
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	t.states[key] = st
	if want, ok := t.expected[key]; ok && st.ready && st.level == want {
		if _, seen := t.done[key]; !seen {
			t.done[key] = now
		}
	}
	kept := t.waiters[:0]
	for _, w := range t.waiters {
		if w.key == key && st.ready && st.level == w.level {
			w.at <- now
			continue
		}
		kept = append(kept, w)
	}
	t.waiters = kept
	close(t.changed)
	t.changed = make(chan struct{})
}

// expect registers the level a target must reach; call it before creating it.
func (t *tracker) expect(key types.NamespacedName, level string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.expected[key] = level
	delete(t.done, key)
}

// whenLevel returns a channel that receives the time the target is next
// seen Ready at level; register it before making the change.
func (t *tracker) whenLevel(key types.NamespacedName, level string) <-chan time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := levelWaiter{key: key, level: level, at: make(chan time.Time, 1)}
	t.waiters = append(t.waiters, w)
	return w.at
}

// waitDone waits until every key is Ready at its expected level and returns
// the time the last one got there. On timeout it says how many are missing
// and where the first few stand.
func (t *tracker) waitDone(ctx context.Context, keys []types.NamespacedName, timeout time.Duration, alive func() error) (time.Time, error) {
	deadline := time.After(timeout)
	check := time.NewTicker(time.Second)
	defer check.Stop()
	for {
		t.mu.Lock()
		last, missing := time.Time{}, 0
		for _, k := range keys {
			at, ok := t.done[k]
			if !ok {
				missing++
				continue
			}
			if at.After(last) {
				last = at
			}
		}
		changed := t.changed
		t.mu.Unlock()
		if missing == 0 {
			return last, nil
		}
		select {
		case <-changed:
		case <-check.C:
			if err := alive(); err != nil {
				return time.Time{}, err
			}
		case <-deadline:
			return time.Time{}, fmt.Errorf("%d of %d targets not Ready at their level after %v: %s", missing, len(keys), timeout, t.stuck(keys, 3))
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		}
	}
}

// stuck describes up to n targets of keys that are not done.
func (t *tracker) stuck(keys []types.NamespacedName, n int) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := ""
	for _, k := range keys {
		if _, ok := t.done[k]; ok {
			continue
		}
		st, seen := t.states[k]
		out += fmt.Sprintf("%s (want %s; seen=%v level=%q ready=%v reason=%s) ", k, t.expected[k], seen, st.level, st.ready, st.reason)
		if n--; n == 0 {
			break
		}
	}
	return out
}
