package controllers

import (
	"context"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// recordingQueue records how each request was enqueued: at once (0) or
// after a delay.
type recordingQueue struct {
	workqueue.TypedRateLimitingInterface[reconcile.Request]
	adds []time.Duration
}

func (q *recordingQueue) Add(reconcile.Request) { q.adds = append(q.adds, 0) }
func (q *recordingQueue) AddAfter(_ reconcile.Request, d time.Duration) {
	q.adds = append(q.adds, d)
}

func TestCoalescingEnqueuesOncePerWindow(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clk := clocktesting.NewFakePassiveClock(start)
	h := newCoalescing(time.Second, clk, programOfPartner).handler()
	q := &recordingQueue{}
	partner := &v1alpha1.Partner{}
	partner.Namespace, partner.Spec.ProgramRef.Name = "shop", "resellers"
	at := func(offset time.Duration) {
		clk.SetTime(start.Add(offset))
		h.Update(context.Background(), event.UpdateEvent{ObjectOld: partner, ObjectNew: partner}, q)
	}
	at(0)                      // quiet: at once, opens [0s, 1s)
	at(100 * time.Millisecond) // in the window: at its end
	at(900 * time.Millisecond) // same end: the queue merges it with the one before
	at(1200 * time.Millisecond)
	at(2500 * time.Millisecond) // the pass at 1s opened [1s, 2s), this one is after the pass at 2s
	at(5 * time.Second)         // quiet again
	want := []time.Duration{0, 900 * time.Millisecond, 100 * time.Millisecond, 800 * time.Millisecond,
		500 * time.Millisecond, 0}
	if len(q.adds) != len(want) {
		t.Fatalf("enqueued %v, want %v", q.adds, want)
	}
	for i := range want {
		if q.adds[i] != want[i] {
			t.Errorf("event %d enqueued after %v, want %v (all: %v)", i, q.adds[i], want[i], q.adds)
		}
	}
}

func TestCoalescingKeepsProgramsApart(t *testing.T) {
	clk := clocktesting.NewFakePassiveClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	c := newCoalescing(time.Second, clk, func(_ context.Context, o client.Object) []reconcile.Request {
		return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: "shop", Name: o.GetName()}}}
	})
	a, b := reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "shop", Name: "a"}},
		reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "shop", Name: "b"}}
	if c.delay(a) != 0 || c.delay(b) != 0 {
		t.Error("a program's window delayed another program's first pass")
	}
	if c.delay(a) != time.Second {
		t.Error("a second change in the window was not delayed to its end")
	}
}
