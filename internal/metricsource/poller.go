package metricsource

import (
	"context"
	"slices"
	"sync"

	"k8s.io/apimachinery/pkg/types"
)

// Limits of the polls in flight. A poll takes at most MaxTimeout, so one
// namespace's slow sources hold at most MaxPollsPerNamespace slots for that
// long, and other namespaces' sources keep being polled.
const (
	// MaxPolls is how many polls a manager runs at once.
	MaxPolls = 16
	// MaxPollsPerNamespace is how many of them one namespace may hold.
	MaxPollsPerNamespace = 2
)

// PollResult is what one poll of a source's generation read.
type PollResult struct {
	Generation int64
	Samples    []Sample
	Err        error
}

// FetchFunc reads a source; ctx ends when the poll is superseded or the
// manager stops.
type FetchFunc func(ctx context.Context) ([]Sample, error)

// Poller runs polls in goroutines of their own, so a slow provider never
// holds a reconcile worker: a reconcile submits a poll and returns; when the
// poll ends the poller keeps its result and calls notify, and the next
// reconcile takes the result. Polls wait their turn in the order they were
// submitted, skipping those whose namespace holds its share. Safe for
// concurrent use.
type Poller struct {
	maxInFlight, maxPerNamespace int
	notify                       func(context.Context, types.NamespacedName)

	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu           sync.Mutex
	waiting      []*pollJob // oldest first; at most one per key
	running      map[types.NamespacedName]*pollJob
	perNamespace map[string]int
	results      map[types.NamespacedName]PollResult
	stopped      bool
}

type pollJob struct {
	key        types.NamespacedName
	generation int64
	fetch      FetchFunc
	cancel     context.CancelFunc
	// discard drops the result of a superseded or forgotten poll, and its
	// notification with it.
	discard bool
}

// NewPoller returns a poller that runs at most maxInFlight polls, at most
// maxPerNamespace of one namespace, and calls notify (with a context that
// ends when the poller stops) when a poll's result is there.
func NewPoller(maxInFlight, maxPerNamespace int, notify func(context.Context, types.NamespacedName)) *Poller {
	ctx, stop := context.WithCancel(context.Background())
	return &Poller{
		maxInFlight: max(1, maxInFlight), maxPerNamespace: max(1, maxPerNamespace), notify: notify,
		ctx: ctx, stop: stop,
		running: map[types.NamespacedName]*pollJob{}, perNamespace: map[string]int{},
		results: map[types.NamespacedName]PollResult{},
	}
}

// Pending says whether a poll of key's generation is waiting, running, or
// done and not yet taken: submitting it again would change nothing.
func (p *Poller) Pending(key types.NamespacedName, generation int64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.results[key]; ok && r.Generation == generation {
		return true
	}
	if j := p.running[key]; j != nil && !j.discard && j.generation == generation {
		return true
	}
	if j := p.waitingJob(key); j != nil && j.generation == generation {
		return true
	}
	return false
}

// Submit asks for a poll of key's generation, unless one is pending. A
// poll of another generation is superseded: dropped if it waits, canceled
// if it runs (the new one starts once it has ended), its result discarded.
func (p *Poller) Submit(key types.NamespacedName, generation int64, fetch FetchFunc) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return
	}
	if r, ok := p.results[key]; ok {
		if r.Generation == generation {
			return
		}
		delete(p.results, key)
	}
	if j := p.running[key]; j != nil && !j.discard {
		if j.generation == generation {
			return
		}
		j.discard = true
		j.cancel()
	}
	if j := p.waitingJob(key); j != nil {
		j.generation, j.fetch = generation, fetch
		return
	}
	p.waiting = append(p.waiting, &pollJob{key: key, generation: generation, fetch: fetch})
	p.dispatch()
}

// Take returns and forgets key's result, if its poll is done and read the
// given generation; a result of another generation is dropped.
func (p *Poller) Take(key types.NamespacedName, generation int64) (PollResult, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.results[key]
	if !ok {
		return PollResult{}, false
	}
	delete(p.results, key)
	return r, r.Generation == generation
}

// Forget drops everything about key (its source was deleted): a waiting
// poll, the result, and a running poll, canceled.
func (p *Poller) Forget(key types.NamespacedName) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiting = slices.DeleteFunc(p.waiting, func(j *pollJob) bool { return j.key == key })
	delete(p.results, key)
	if j := p.running[key]; j != nil {
		j.discard = true
		j.cancel()
	}
}

// Start implements manager.Runnable: the poller runs until ctx ends, then
// cancels its polls and waits for them.
func (p *Poller) Start(ctx context.Context) error {
	<-ctx.Done()
	p.Stop()
	return nil
}

// Stop cancels every poll, waits for them to end and accepts no more.
func (p *Poller) Stop() {
	p.mu.Lock()
	p.stopped = true
	p.waiting = nil
	p.mu.Unlock()
	p.stop()
	p.wg.Wait()
}

func (p *Poller) waitingJob(key types.NamespacedName) *pollJob {
	for _, j := range p.waiting {
		if j.key == key {
			return j
		}
	}
	return nil
}

// dispatch starts waiting polls, oldest first, while slots are free. A poll
// whose key still has a superseded poll running waits for it to end, so a
// source never has two polls in flight. Called with p.mu held.
func (p *Poller) dispatch() {
	kept := p.waiting[:0]
	for _, j := range p.waiting {
		if len(p.running) >= p.maxInFlight || p.running[j.key] != nil || p.perNamespace[j.key.Namespace] >= p.maxPerNamespace {
			kept = append(kept, j)
			continue
		}
		p.run(j)
	}
	clear(p.waiting[len(kept):])
	p.waiting = kept
}

func (p *Poller) run(j *pollJob) {
	ctx, cancel := context.WithCancel(p.ctx)
	j.cancel = cancel
	p.running[j.key] = j
	p.perNamespace[j.key.Namespace]++
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		samples, err := j.fetch(ctx)
		cancel()
		if p.finish(j, PollResult{Generation: j.generation, Samples: samples, Err: err}) {
			p.notify(p.ctx, j.key)
		}
	}()
}

// finish records a poll's end and starts the polls waiting for its slot; it
// says whether the result was kept.
func (p *Poller) finish(j *pollJob, r PollResult) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.running, j.key)
	if p.perNamespace[j.key.Namespace]--; p.perNamespace[j.key.Namespace] <= 0 {
		delete(p.perNamespace, j.key.Namespace)
	}
	keep := !j.discard && !p.stopped
	if keep {
		p.results[j.key] = r
	}
	if !p.stopped {
		p.dispatch()
	}
	return keep
}
