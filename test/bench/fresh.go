package bench

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// The phases here each start from a control plane of their own holding
// nothing but the model: a figure taken on an etcd that already holds
// another phase's objects is not comparable with one that does not.

// onFreshControlPlane runs phase with a harness of its own on a new control
// plane (the same manager binary, its own tracker and manager log), and
// stops and removes it all afterwards.
func (h *harness) onFreshControlPlane(ctx context.Context, name string, phase func(*harness) error) (err error) {
	sub := &harness{
		cfg: h.cfg, work: h.work, tracker: newTracker(), workDir: h.workDir,
		mgrBin: h.mgrBin, mgrLog: filepath.Join(h.workDir, name+"-manager.log"),
	}
	h.logf("%s: starting a fresh control plane", name)
	stop, err := sub.startCluster(ctx, name)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, sub.stopOperator(), stop()) }()
	return phase(sub)
}

// freshPhases runs the fair comparison, the bulk import and sharding
// (last: on this machine two shards are the slowest phase).
func (h *harness) freshPhases(ctx context.Context, res *Results) error {
	n := h.cfg.FairSize
	if h.cfg.FairRepeats > 0 {
		fair, err := h.fair(ctx, n, h.cfg.FairRepeats)
		if err != nil {
			return err
		}
		res.Fair = fair
	}
	if h.cfg.BulkPartners > 0 {
		h.logf("bulk import: %d partners in one program", h.cfg.BulkPartners)
		if err := h.onFreshControlPlane(ctx, "bulk", func(sub *harness) (err error) {
			sub.env = memoryLimitEnv(h.cfg.MemoryLimit)
			if err := sub.startOperator(); err != nil {
				return err
			}
			if _, _, err := sub.waitIdle(ctx, nil); err != nil {
				return err
			}
			res.Bulk, err = sub.importPartners(ctx, "bench-bulk", 1, h.cfg.BulkPartners)
			return err
		}); err != nil {
			return err
		}
		h.logf("bulk import: accepted in %.1f s, counted in %.1f s (%.2fx)", res.Bulk.AcceptedSeconds, res.Bulk.CountedSeconds, res.Bulk.Ratio)
	}
	if h.cfg.Shards {
		s := &Sharding{N: n}
		if res.Fair != nil {
			s.OneReplica = res.Fair.medianOperator()
		} else if err := h.onFreshControlPlane(ctx, "one-replica", func(sub *harness) (err error) {
			s.OneReplica, err = sub.freshConvergence(ctx, n)
			return err
		}); err != nil {
			return err
		}
		h.logf("sharding: %d targets on two shards", n)
		if err := h.onFreshControlPlane(ctx, "two-shards", func(sub *harness) (err error) {
			s.TwoShards, s.TwoShardsWrites, err = sub.twoShards(ctx, n)
			return err
		}); err != nil {
			return err
		}
		s.Ratio = s.TwoShards.PerSecond / s.OneReplica.PerSecond
		h.logf("sharding: one replica %.0f targets/s, two shards %.0f targets/s (%.2fx)", s.OneReplica.PerSecond, s.TwoShards.PerSecond, s.Ratio)
		res.Sharding = s
	}
	return nil
}

// freshConvergence starts the operator, creates the model and converges n
// targets; it leaves the operator running.
func (h *harness) freshConvergence(ctx context.Context, n int) (Throughput, error) {
	if err := h.startOperator(); err != nil {
		return Throughput{}, err
	}
	if err := h.createModel(ctx); err != nil {
		return Throughput{}, err
	}
	tp, _, err := h.convergence(ctx, n)
	return tp, err
}

// fair runs the operator's convergence and the yardstick repeats times
// each, every one on a fresh control plane, the operator first on even
// runs and the yardstick first on odd ones.
func (h *harness) fair(ctx context.Context, n, repeats int) (*Fair, error) {
	out := &Fair{N: n}
	var statuses *convergedStatuses // from the first run, operator first
	for r := range repeats {
		run := FairRun{OperatorFirst: r%2 == 0}
		operator := func() error {
			h.logf("fair %d/%d: operator, %d targets", r+1, repeats, n)
			return h.onFreshControlPlane(ctx, "fair-operator-"+strconv.Itoa(r), func(sub *harness) (err error) {
				if run.Operator, err = sub.freshConvergence(ctx, n); err != nil {
					return err
				}
				if statuses == nil {
					statuses, err = sub.convergedStatuses(ctx, benchNamespace(n))
				}
				return err
			})
		}
		yardstick := func() error {
			h.logf("fair %d/%d: yardstick, %d targets", r+1, repeats, n)
			return h.onFreshControlPlane(ctx, "fair-yardstick-"+strconv.Itoa(r), func(sub *harness) error {
				hooks, err := startInProcess(ctx, sub.rest, sub.cluster, "")
				if err != nil {
					return err
				}
				if err = sub.createModel(ctx); err == nil {
					if err = createNamespace(ctx, sub.client, benchNamespace(n)); err == nil {
						run.Yardstick, run.YardstickEvents, err = sub.writeYardstick(ctx, benchNamespace(n), n, statuses)
					}
				}
				return errors.Join(err, hooks.stop())
			})
		}
		phases := []func() error{operator, yardstick}
		if !run.OperatorFirst {
			slices.Reverse(phases)
		}
		for _, phase := range phases {
			if err := phase(); err != nil {
				return out, err
			}
		}
		run.Ratio = run.Operator.PerSecond / run.Yardstick.PerSecond
		h.logf("fair %d/%d: operator %.0f/s, yardstick %.0f/s, ratio %.2f", r+1, repeats, run.Operator.PerSecond, run.Yardstick.PerSecond, run.Ratio)
		out.Runs = append(out.Runs, run)
	}
	out.summarize()
	return out, nil
}

// twoShards converges n targets with two managers, as README's Sharding
// section runs them: one caches the objects labelled
// sharding.fluxcd.io/key=shard1 and serves the webhooks (which admit every
// shard's objects), the other those without the label. Odd targets and
// their sources carry the label. It returns the throughput and both
// managers' writes.
func (h *harness) twoShards(ctx context.Context, n int) (Throughput, float64, error) {
	const shard = "shard1"
	labelled, err := h.cluster.StartManager(localcp.ManagerOptions{
		Binary: h.mgrBin, Log: h.mgrLog, Metrics: true,
		Args: append([]string{"--watch-label-selector=" + v1alpha1.ShardLabel + "=" + shard}, h.cfg.ManagerArgs...),
	})
	if err != nil {
		return Throughput{}, 0, err
	}
	h.mgr = labelled // stopped with the harness
	unlabelled, err := h.cluster.StartManager(localcp.ManagerOptions{
		Binary: h.mgrBin, Log: h.mgrLog + ".default", Metrics: true, NoWebhooks: true,
		Args: append([]string{"--watch-label-selector=!" + v1alpha1.ShardLabel}, h.cfg.ManagerArgs...),
	})
	if err != nil {
		return Throughput{}, 0, err
	}
	defer func() { _ = unlabelled.Stop() }()
	if err := h.createModel(ctx); err != nil {
		return Throughput{}, 0, err
	}
	h.shard = func(i int) string {
		if i%2 == 1 {
			return shard
		}
		return ""
	}
	ns := benchNamespace(n)
	if err := createNamespace(ctx, h.client, ns); err != nil {
		return Throughput{}, 0, err
	}
	start := time.Now()
	keys, err := h.createPairs(ctx, ns, 0, n)
	if err != nil {
		return Throughput{}, 0, err
	}
	alive := func() error { return errors.Join(labelled.Err(), unlabelled.Err()) }
	last, err := h.tracker.waitDone(ctx, keys, h.cfg.PhaseTimeout, alive)
	if err != nil {
		return Throughput{}, 0, fmt.Errorf("convergence of %d on two shards: %w", n, err)
	}
	var writes float64
	for _, m := range []*localcp.Manager{labelled, unlabelled} {
		set, err := scrape(ctx, m)
		if err != nil {
			return Throughput{}, 0, err
		}
		writes += set.writes()
	}
	return throughput(n, last.Sub(start)), writes, nil
}

// memoryLimitEnv is the manager's environment for a container limit of
// limit bytes (none for 0), as config/manager sets it.
func memoryLimitEnv(limit int64) []string {
	if limit <= 0 {
		return nil
	}
	return []string{"MEMORY_LIMIT=" + strconv.FormatInt(limit, 10)}
}
