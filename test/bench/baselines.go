package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/workers"
)

// convergedStatuses are the statuses the operator wrote for the sources
// and targets of one namespace, by name, and the Events it emitted for them
// (none unless Config.YardstickEvents): the yardstick writes the same.
type convergedStatuses struct {
	sources map[string]v1alpha1.MetricSourceStatus
	targets map[string]v1alpha1.MaturityTargetStatus
	events  map[regarding][]eventsv1.Event
}

func (h *harness) convergedStatuses(ctx context.Context, ns string) (*convergedStatuses, error) {
	sources := &v1alpha1.MetricSourceList{}
	targets := &v1alpha1.MaturityTargetList{}
	if err := h.client.List(ctx, sources, client.InNamespace(ns)); err != nil {
		return nil, err
	}
	if err := h.client.List(ctx, targets, client.InNamespace(ns)); err != nil {
		return nil, err
	}
	st := &convergedStatuses{sources: map[string]v1alpha1.MetricSourceStatus{}, targets: map[string]v1alpha1.MaturityTargetStatus{}}
	for _, s := range sources.Items {
		st.sources[s.Name] = s.Status
	}
	for _, t := range targets.Items {
		st.targets[t.Name] = t.Status
	}
	if h.cfg.YardstickEvents {
		events, err := h.operatorEvents(ctx, ns, st.targets)
		if err != nil {
			return nil, err
		}
		st.events = events
	}
	return st, nil
}

// yardstick is the API work convergence cannot do without, done by a plain
// client loop with the operator stopped: create n sources and targets,
// write each one's converged status with one merge patch and create the
// Events the operator emitted for it, on as many goroutines as the harness
// creates with. st holds the statuses and Events the operator wrote when
// it converged namespace bench-<n>, so both write the same bytes.
// It runs on the control plane the operator just converged on, which
// already holds the operator's objects: fresh.go compares both from the
// same start.
func (h *harness) yardstick(ctx context.Context, n int, st *convergedStatuses) (Throughput, int, error) {
	ns := fmt.Sprintf("bench-yardstick-%d", n)
	if err := createNamespace(ctx, h.client, ns); err != nil {
		return Throughput{}, 0, err
	}
	hooks, err := startInProcess(ctx, h.rest, h.cluster, "")
	if err != nil {
		return Throughput{}, 0, err
	}
	tp, events, err := h.writeYardstick(ctx, ns, n, st)
	if stopErr := hooks.stop(); err == nil {
		err = stopErr
	}
	if err != nil {
		return Throughput{}, 0, err
	}
	return tp, events, deleteNamespace(ctx, h.client, ns, h.cfg.PhaseTimeout)
}

// writeYardstick creates n sources and targets in ns, patches each status
// to st's and creates st's Events for each, and returns how fast and how
// many Events it created; something must serve the webhooks.
func (h *harness) writeYardstick(ctx context.Context, ns string, n int, st *convergedStatuses) (Throughput, int, error) {
	var events atomic.Int64
	start := time.Now()
	err := workers.Parallel(ctx, n, h.cfg.Workers, func(ctx context.Context, i int) error {
		src := h.work.source(ns, i, h.work.variants[h.work.variantOf(i)].values)
		if err := h.client.Create(ctx, src); err != nil {
			return err
		}
		tgt := h.work.target(ns, i)
		if err := h.client.Create(ctx, tgt); err != nil {
			return err
		}
		patch := client.MergeFrom(src.DeepCopy())
		src.Status = st.sources[sourceName(i)]
		if err := h.client.Status().Patch(ctx, src, patch); err != nil {
			return err
		}
		patch = client.MergeFrom(tgt.DeepCopy())
		tgt.Status = st.targets[targetName(i)]
		if err := h.client.Status().Patch(ctx, tgt, patch); err != nil {
			return err
		}
		if err := h.writeEvents(ctx, st, "MetricSource", src, &events); err != nil {
			return err
		}
		return h.writeEvents(ctx, st, "MaturityTarget", tgt, &events)
	})
	if err != nil {
		return Throughput{}, 0, fmt.Errorf("yardstick: %w", err)
	}
	return throughput(n, time.Since(start)), int(events.Load()), nil
}

// naive runs the same workload through the naive baseline (naive.go) in a
// namespace of its own, with the operator stopped, then restarts it and
// counts the writes of its resync.
func (h *harness) naive(ctx context.Context, n int) (*Naive, error) {
	ns := fmt.Sprintf("bench-naive-%d", n)
	if err := createNamespace(ctx, h.client, ns); err != nil {
		return nil, err
	}
	p, err := startInProcess(ctx, h.rest, h.cluster, ns)
	if err != nil {
		return nil, err
	}
	alive := func() error { return nil }
	start := time.Now()
	keys, err := h.createPairs(ctx, ns, 0, n)
	var last time.Time
	if err == nil {
		last, err = h.tracker.waitDone(ctx, keys, h.cfg.PhaseTimeout, alive)
	}
	if stopErr := p.stop(); err == nil {
		err = stopErr
	}
	if err != nil {
		return nil, fmt.Errorf("naive convergence of %d: %w", n, err)
	}
	out := &Naive{Convergence: throughput(n, last.Sub(start))}

	p, err = startInProcess(ctx, h.rest, h.cluster, ns)
	if err != nil {
		return nil, err
	}
	resyncStart := time.Now()
	names := p.naive
	m, err := waitNaiveIdle(ctx, map[string]float64{names.target: float64(n), names.source: float64(n)}, h.cfg.PhaseTimeout)
	out.Resync = Resync{Writes: float64(p.writes.Load()), Seconds: time.Since(resyncStart).Seconds()}
	if stopErr := p.stop(); err == nil {
		err = stopErr
	}
	if err != nil {
		return nil, fmt.Errorf("naive resync of %d: %w", n, err)
	}
	out.Resync.Reconciles = m.reconciles(names.target) + m.reconciles(names.source)
	return out, deleteNamespace(ctx, h.client, ns, h.cfg.PhaseTimeout)
}

// gatherInProcess reads controller-runtime's metrics registry of the harness
// process, where the naive controllers count their reconciles.
func gatherInProcess(context.Context) (metricSet, error) {
	families, err := metrics.Registry.Gather()
	if err != nil {
		return nil, err
	}
	set := metricSet{}
	for _, f := range families {
		set[f.GetName()] = f
	}
	return set, nil
}

// waitNaiveIdle waits until the naive controllers reached want reconciles
// and have nothing ready or running.
func waitNaiveIdle(ctx context.Context, want map[string]float64, timeout time.Duration) (metricSet, error) {
	m, _, err := settle(ctx, timeout, gatherInProcess, func(m metricSet) bool {
		for controller, min := range want {
			if m.reconciles(controller) < min ||
				m.sum("workqueue_depth", map[string]string{"name": controller}) > 0 ||
				m.sum("controller_runtime_active_workers", map[string]string{"controller": controller}) > 0 {
				return false
			}
		}
		return true
	}, func() error { return nil })
	return m, err
}
