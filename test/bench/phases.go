package bench

import (
	"context"
	"fmt"
	"slices"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/workers"
)

// Controller names of the operator, as its metrics label them.
const (
	targetController  = "maturitytarget"
	sourceController  = "metricsource"
	partnerController = "partner"
)

func benchNamespace(n int) string { return fmt.Sprintf("bench-%d", n) }

// createPairs creates the MetricSource and the MaturityTarget of every index
// in [from, to) in ns, and registers the level each target must reach.
func (h *harness) createPairs(ctx context.Context, ns string, from, to int) ([]types.NamespacedName, error) {
	keys := make([]types.NamespacedName, 0, to-from)
	for i := from; i < to; i++ {
		key := types.NamespacedName{Namespace: ns, Name: targetName(i)}
		h.tracker.expect(key, h.work.variants[h.work.variantOf(i)].level)
		keys = append(keys, key)
	}
	err := workers.Parallel(ctx, to-from, h.cfg.Workers, func(ctx context.Context, k int) error {
		i := from + k
		src, tgt := h.work.source(ns, i, h.work.variants[h.work.variantOf(i)].values), h.work.target(ns, i)
		if h.shard != nil {
			if key := h.shard(i); key != "" {
				src.Labels = map[string]string{v1alpha1.ShardLabel: key}
				tgt.Labels = map[string]string{v1alpha1.ShardLabel: key}
			}
		}
		if err := h.client.Create(ctx, src); err != nil {
			return fmt.Errorf("creating MetricSource %s/%s: %w", ns, sourceName(i), err)
		}
		if err := h.client.Create(ctx, tgt); err != nil {
			return fmt.Errorf("creating MaturityTarget %s/%s: %w", ns, targetName(i), err)
		}
		return nil
	})
	return keys, err
}

// convergence creates n sources and targets with the operator running and
// waits until every target is Ready at the level of its numbers.
func (h *harness) convergence(ctx context.Context, n int) (Throughput, float64, error) {
	ns := benchNamespace(n)
	if err := createNamespace(ctx, h.client, ns); err != nil {
		return Throughput{}, 0, err
	}
	before, err := scrape(ctx, h.mgr)
	if err != nil {
		return Throughput{}, 0, err
	}
	start := time.Now()
	keys, err := h.createPairs(ctx, ns, 0, n)
	if err != nil {
		return Throughput{}, 0, err
	}
	last, err := h.tracker.waitDone(ctx, keys, h.cfg.PhaseTimeout, h.mgr.Err)
	if err != nil {
		return Throughput{}, 0, fmt.Errorf("convergence of %d: %w", n, err)
	}
	after, err := scrape(ctx, h.mgr)
	if err != nil {
		return Throughput{}, 0, err
	}
	// The operator's own writes: the harness's creates are not in its metrics.
	return throughput(n, last.Sub(start)), after.writes() - before.writes(), nil
}

// waitIdle scrapes the operator until each controller of minReconciles has
// finished at least that many reconciles and no controller has work ready
// or running, and returns the last scrape and when the operator was first
// seen so.
func (h *harness) waitIdle(ctx context.Context, minReconciles map[string]float64) (metricSet, time.Time, error) {
	m, since, err := settle(ctx, h.cfg.PhaseTimeout, func(ctx context.Context) (metricSet, error) { return scrape(ctx, h.mgr) }, func(m metricSet) bool {
		for controller, min := range minReconciles {
			if m.reconciles(controller) < min {
				return false
			}
		}
		return m.idle()
	}, h.mgr.Err)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("the operator (want reconciles %v): %w", minReconciles, err)
	}
	return m, since, nil
}

// settle scrapes until done holds for two scrapes in a row, and returns
// the last scrape and when the first of the two started.
func settle(ctx context.Context, timeout time.Duration, scrape func(context.Context) (metricSet, error),
	done func(metricSet) bool, alive func() error) (metricSet, time.Time, error) {
	deadline := time.Now().Add(timeout)
	inARow := 0
	var since time.Time
	for {
		start := time.Now()
		m, err := scrape(ctx)
		if err != nil {
			return nil, time.Time{}, err
		}
		// A scrape of 100,000 objects' gauges is tens of MB of text the
		// manager builds and the harness parses: polling back to back would
		// make the harness the manager's heaviest load. It polls at most a
		// tenth of the time, as often as every 250 ms when scrapes are small.
		interval := max(250*time.Millisecond, 10*time.Since(start))
		if done(m) {
			if inARow++; inARow == 1 {
				since = start
			}
		} else {
			inARow = 0
		}
		if inARow == 2 {
			return m, since, nil
		}
		if err := alive(); err != nil {
			return nil, time.Time{}, err
		}
		if time.Now().After(deadline) {
			return nil, time.Time{}, fmt.Errorf("not settled within %v", timeout)
		}
		select {
		case <-ctx.Done():
			return nil, time.Time{}, ctx.Err()
		case <-time.After(interval):
		}
	}
}

// resync restarts the operator over n converged targets, which reconciles
// every object again from its initial list, and counts the writes it sends.
func (h *harness) resync(ctx context.Context, n int) (Resync, error) {
	if err := h.restartOperator(); err != nil {
		return Resync{}, err
	}
	m, idle, err := h.waitIdle(ctx, map[string]float64{targetController: float64(n), sourceController: float64(n)})
	if err != nil {
		return Resync{}, fmt.Errorf("resync of %d: %w", n, err)
	}
	return Resync{
		Reconciles: m.reconciles(targetController) + m.reconciles(sourceController),
		Writes:     m.writes(),
		Seconds:    idle.Sub(h.mgr.Started).Seconds(),
	}, nil
}

// restartStorm restarts the operator over n converged targets and, as soon
// as it reconciles the first of them, creates target n and its source, and
// measures how long the new target waits for its status.
func (h *harness) restartStorm(ctx context.Context, n int) (Storm, error) {
	if err := h.restartOperator(); err != nil {
		return Storm{}, err
	}
	deadline := time.Now().Add(h.cfg.PhaseTimeout)
	for {
		m, err := scrape(ctx, h.mgr)
		if err != nil {
			return Storm{}, err
		}
		if m.reconciles(targetController) > 0 {
			break
		}
		if time.Now().After(deadline) {
			return Storm{}, fmt.Errorf("the restarted operator reconciled no target within %v", h.cfg.PhaseTimeout)
		}
		select {
		case <-ctx.Done():
			return Storm{}, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	created := time.Now()
	keys, err := h.createPairs(ctx, benchNamespace(n), n, n+1)
	if err != nil {
		return Storm{}, err
	}
	done, err := h.tracker.waitDone(ctx, keys, h.cfg.PhaseTimeout, h.mgr.Err)
	if err != nil {
		return Storm{}, fmt.Errorf("new target during the restart of %d: %w", n, err)
	}
	// How far the restart had got through the old targets when the new one
	// was done: the priority queue puts its events before the initial list.
	atDone, err := scrape(ctx, h.mgr)
	if err != nil {
		return Storm{}, err
	}
	_, idle, err := h.waitIdle(ctx, map[string]float64{targetController: float64(n + 1)})
	if err != nil {
		return Storm{}, err
	}
	return Storm{
		NewTargetSeconds:        done.Sub(created).Seconds(),
		ReconciledBeforeNewDone: int(atDone.reconciles(targetController)),
		RestartSeconds:          idle.Sub(h.mgr.Started).Seconds(),
	}, nil
}

// latency switches the numbers of one GrowingPains target's source at a time
// to HighPerformance (or back) and measures the time from the spec change
// to the target reporting the new level, as the harness's watch sees it.
func (h *harness) latency(ctx context.Context, n, changes int) (Latency, error) {
	ns := benchNamespace(n)
	var candidates []int
	for i := range n {
		if h.work.variantOf(i) == h.work.growingPains {
			candidates = append(candidates, i)
		}
	}
	if len(candidates) == 0 {
		return Latency{}, fmt.Errorf("no GrowingPains target among %d", n)
	}
	current := map[int]int{}
	samples := make([]time.Duration, 0, changes)
	for k := range changes {
		i := candidates[k%len(candidates)]
		from, ok := current[i]
		if !ok {
			from = h.work.growingPains
		}
		to := h.work.highPerformance
		if from == h.work.highPerformance {
			to = h.work.growingPains
		}
		src := &v1alpha1.MetricSource{}
		if err := h.client.Get(ctx, types.NamespacedName{Namespace: ns, Name: sourceName(i)}, src); err != nil {
			return Latency{}, err
		}
		patch := client.MergeFrom(src.DeepCopy())
		src.Spec.Reported.Values = h.work.variants[to].values
		at := h.tracker.whenLevel(types.NamespacedName{Namespace: ns, Name: targetName(i)}, h.work.variants[to].level)
		changed := time.Now()
		if err := h.client.Patch(ctx, src, patch); err != nil {
			return Latency{}, err
		}
		select {
		case seen := <-at:
			samples = append(samples, seen.Sub(changed))
		case <-time.After(30 * time.Second):
			return Latency{}, fmt.Errorf("target %s did not report %s within 30s of its source's change", targetName(i), h.work.variants[to].level)
		case <-ctx.Done():
			return Latency{}, ctx.Err()
		}
		current[i] = to
	}
	return summarizeLatency(samples), nil
}

func summarizeLatency(samples []time.Duration) Latency {
	slices.Sort(samples)
	pick := func(q float64) float64 {
		i := int(q*float64(len(samples)) + 0.5)
		i = min(max(i-1, 0), len(samples)-1)
		return float64(samples[i]) / float64(time.Millisecond)
	}
	return Latency{Changes: len(samples), P50Millis: pick(0.50), P99Millis: pick(0.99), MaxMillis: pick(1)}
}
