package metricsource

import (
	"context"
	"errors"
	"sync"
	"testing"

	"k8s.io/apimachinery/pkg/types"
)

// gate is a fetch that blocks until released or canceled, and says when it
// started and how it ended.
type gate struct {
	started, ended chan struct{}
	release        chan []Sample
	ctxErr         error
}

func newGate() *gate {
	return &gate{started: make(chan struct{}), ended: make(chan struct{}), release: make(chan []Sample, 1)}
}

func (g *gate) fetch(ctx context.Context) ([]Sample, error) {
	close(g.started)
	defer close(g.ended)
	select {
	case s := <-g.release:
		return s, nil
	case <-ctx.Done():
		g.ctxErr = ctx.Err()
		return nil, ctx.Err()
	}
}

// notifications records notify calls, in order.
type notifications struct {
	mu   sync.Mutex
	keys []types.NamespacedName
	ch   chan types.NamespacedName
}

func newNotifications() *notifications {
	return &notifications{ch: make(chan types.NamespacedName, 100)}
}

func (n *notifications) notify(_ context.Context, key types.NamespacedName) {
	n.mu.Lock()
	n.keys = append(n.keys, key)
	n.mu.Unlock()
	n.ch <- key
}

func key(ns, name string) types.NamespacedName {
	return types.NamespacedName{Namespace: ns, Name: name}
}

func (p *Poller) isRunning(k types.NamespacedName) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.running[k] != nil
}

func TestPollerLimits(t *testing.T) {
	n := newNotifications()
	p := NewPoller(3, 2, n.notify)
	t.Cleanup(p.Stop)
	gates := map[types.NamespacedName]*gate{}
	submit := func(k types.NamespacedName) {
		gates[k] = newGate()
		p.Submit(k, 1, gates[k].fetch)
	}
	a1, a2, a3, b1, c1 := key("a", "1"), key("a", "2"), key("a", "3"), key("b", "1"), key("c", "1")
	for _, k := range []types.NamespacedName{a1, a2, a3, b1, c1} {
		submit(k)
	}
	// Namespace a holds its two slots; b takes the third; a3 and c1 wait.
	for k, want := range map[types.NamespacedName]bool{a1: true, a2: true, a3: false, b1: true, c1: false} {
		if got := p.isRunning(k); got != want {
			t.Errorf("%s running = %v, want %v", k, got, want)
		}
	}
	if !p.Pending(a3, 1) || p.Pending(a3, 2) {
		t.Errorf("a3 waiting: Pending(gen 1) must hold, Pending(gen 2) not")
	}

	// a1 ends: the oldest waiting poll that fits starts. a3 was submitted
	// before c1 and namespace a has a free slot again.
	gates[a1].release <- []Sample{{Name: "x", Value: 1}}
	if got := <-n.ch; got != a1 {
		t.Fatalf("notified %s, want %s", got, a1)
	}
	<-gates[a3].started
	if p.isRunning(c1) {
		t.Error("c1 runs beyond the limit of 3")
	}
	// b1 ends: c1 gets its slot although namespace a has polls waiting.
	gates[b1].release <- nil
	<-n.ch
	<-gates[c1].started

	r, ok := p.Take(a1, 1)
	if !ok || r.Generation != 1 || len(r.Samples) != 1 || r.Samples[0].Value != 1 {
		t.Errorf("Take(a1) = %+v, %v", r, ok)
	}
	if _, ok := p.Take(a1, 1); ok {
		t.Error("a result is taken once")
	}
}

func TestPollerSupersedes(t *testing.T) {
	n := newNotifications()
	p := NewPoller(4, 4, n.notify)
	t.Cleanup(p.Stop)
	k := key("a", "src")

	old := newGate()
	p.Submit(k, 1, old.fetch)
	<-old.started
	p.Submit(k, 1, newGate().fetch) // already running: nothing happens
	if !p.Pending(k, 1) {
		t.Fatal("gen 1 must be pending")
	}

	// A new generation cancels the running poll and starts once it ended.
	next := newGate()
	p.Submit(k, 2, next.fetch)
	<-old.ended
	if !errors.Is(old.ctxErr, context.Canceled) {
		t.Errorf("superseded poll ended with %v, want canceled", old.ctxErr)
	}
	<-next.started
	next.release <- []Sample{{Name: "x", Value: 2}}
	if got := <-n.ch; got != k {
		t.Fatalf("notified %s", got)
	}
	if r, ok := p.Take(k, 2); !ok || r.Samples[0].Value != 2 {
		t.Errorf("Take(gen 2) = %+v, %v", r, ok)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.keys) != 1 {
		t.Errorf("notified %d times, want once (the superseded poll is silent)", len(n.keys))
	}
}

func TestPollerResultOfAnotherGenerationIsDropped(t *testing.T) {
	n := newNotifications()
	p := NewPoller(4, 4, n.notify)
	t.Cleanup(p.Stop)
	k := key("a", "src")
	g := newGate()
	p.Submit(k, 1, g.fetch)
	g.release <- nil
	<-n.ch
	if _, ok := p.Take(k, 2); ok {
		t.Error("a result of generation 1 was taken for generation 2")
	}
	if _, ok := p.Take(k, 1); ok {
		t.Error("the dropped result is still there")
	}
}

func TestPollerForget(t *testing.T) {
	n := newNotifications()
	p := NewPoller(1, 1, n.notify)
	t.Cleanup(p.Stop)
	running, waiting := key("a", "running"), key("b", "waiting")
	g, w := newGate(), newGate()
	p.Submit(running, 1, g.fetch)
	p.Submit(waiting, 1, w.fetch)
	<-g.started
	p.Forget(waiting)
	p.Forget(running)
	<-g.ended
	if p.Pending(running, 1) || p.Pending(waiting, 1) {
		t.Error("forgotten polls are still pending")
	}
	// The slot is free again: a new source runs at once.
	other := newGate()
	p.Submit(key("c", "other"), 1, other.fetch)
	<-other.started
	other.release <- nil
	if got := <-n.ch; got != key("c", "other") {
		t.Errorf("notified %s, want only c/other", got)
	}
}

func TestPollerStop(t *testing.T) {
	p := NewPoller(2, 2, func(context.Context, types.NamespacedName) { t.Error("notified after Stop") })
	g := newGate()
	p.Submit(key("a", "x"), 1, g.fetch)
	<-g.started
	p.Stop() // returns once the running poll has ended
	select {
	case <-g.ended:
	default:
		t.Fatal("Stop returned before the poll ended")
	}
	p.Submit(key("a", "y"), 1, func(context.Context) ([]Sample, error) {
		t.Error("a poll started after Stop")
		return nil, nil
	})
}
