package controllers

import (
	"context"
	"sync"
	"time"

	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// DefaultPartnerCoalesceWindow is how long a PartnerProgram gathers the
// changes of its partners into one pass (--partner-coalesce-window).
const DefaultPartnerCoalesceWindow = time.Second

// coalescing is an event handler that enqueues the requests mapFn returns
// for an event at most once per window each. A pass over a PartnerProgram
// lists and aggregates all of its partners, so one pass per partner change
// makes a bulk import of n partners cost n passes over up to n partners;
// with coalescing it costs one pass per window.
//
// The first event after a quiet window is enqueued at once, so a single
// change is seen without delay. An event inside the window is enqueued
// for the window's end, where the workqueue, which keeps one entry per
// request and the earliest time it was asked for, merges all of them into
// one pass; that pass opens the next window. A pass reads every partner
// from the cache, so a change is never lost, only folded into the next
// pass; admission, decided in that pass from the partners' join order,
// stays first come, first served.
type coalescing struct {
	window time.Duration
	clock  clock.PassiveClock // real time: the workqueue's delays are real time
	mapFn  handler.MapFunc

	mu sync.Mutex
	// windows holds, per request, the end of its current window, and
	// whether a pass is already due then.
	windows map[reconcile.Request]coalesceWindow
}

type coalesceWindow struct {
	end     time.Time
	pending bool
}

// pruneAt is the number of windows kept before the closed ones are
// dropped: one per program seen recently, a few dozen in practice.
const pruneAt = 1024

func newCoalescing(window time.Duration, clk clock.PassiveClock, mapFn handler.MapFunc) *coalescing {
	return &coalescing{window: window, clock: clk, mapFn: mapFn, windows: map[reconcile.Request]coalesceWindow{}}
}

// handler returns the event handler: an update enqueues the requests of
// both the old and the new object, as handler.EnqueueRequestsFromMapFunc
// does.
func (c *coalescing) handler() handler.EventHandler {
	type queue = workqueue.TypedRateLimitingInterface[reconcile.Request]
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q queue) { c.enqueue(ctx, q, e.Object) },
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q queue) { c.enqueue(ctx, q, e.ObjectOld, e.ObjectNew) },
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q queue) { c.enqueue(ctx, q, e.Object) },
		GenericFunc: func(ctx context.Context, e event.GenericEvent, q queue) {
			c.enqueue(ctx, q, e.Object)
		},
	}
}

func (c *coalescing) enqueue(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request], objs ...client.Object) {
	seen := map[reconcile.Request]bool{}
	for _, obj := range objs {
		for _, req := range c.mapFn(ctx, obj) {
			if seen[req] {
				continue
			}
			seen[req] = true
			if delay := c.delay(req); delay > 0 {
				q.AddAfter(req, delay)
			} else {
				q.Add(req)
			}
		}
	}
}

// delay is how long from now the pass that takes in an event for req
// starts: 0 for the first event after a quiet window, the time left to
// the window's end otherwise.
func (c *coalescing) delay(req reconcile.Request) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	w, ok := c.windows[req]
	if ok && w.pending && !now.Before(w.end) {
		// The pass due at the window's end has started: it opened the
		// next window.
		w = coalesceWindow{end: w.end.Add(c.window)}
	}
	if !ok || !now.Before(w.end) {
		c.prune(now)
		c.windows[req] = coalesceWindow{end: now.Add(c.window)}
		return 0
	}
	w.pending = true
	c.windows[req] = w
	return w.end.Sub(now)
}

// prune drops the windows that closed without a pass due, once there are
// many: a deleted program's window must not stay forever.
func (c *coalescing) prune(now time.Time) {
	if len(c.windows) < pruneAt {
		return
	}
	for req, w := range c.windows {
		if !w.pending && !now.Before(w.end) {
			delete(c.windows, req)
		}
	}
}
