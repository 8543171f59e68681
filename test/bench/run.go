// Package bench is the scale harness of the operator (make bench-scale): it
// starts the local control plane, runs the built manager binary against it
// and measures convergence against a plain client loop and a naive
// reconciler, the writes of a full resync, the reaction to a metric change,
// a new target's wait during a restart, and memory with many partners.
// Figures are ratios and counts taken in one run: absolute times on a
// shared machine vary, so nothing here is a pass/fail timing.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// Config says what to measure.
type Config struct {
	// Root is the repository root; found from the working directory when empty.
	Root string
	// WorkDir holds the manager binary, its log and the control plane's
	// state; a temporary directory, removed afterwards, when empty.
	WorkDir string
	// Sizes are the target counts, measured in increasing order. Latency is
	// measured at the first, memory at the last.
	Sizes []int
	// Workers is how many goroutines create objects and patch statuses.
	Workers int
	// ManagerArgs are extra flags for the manager (worker counts, QPS).
	ManagerArgs []string
	// LatencyChanges is how many metric changes the latency phase makes.
	LatencyChanges int
	// NaiveMax is the largest size the naive baseline runs at: it lists
	// every target on every source event, so its cost grows as n².
	NaiveMax int
	// Programs and Partners size the memory phase.
	Programs, Partners int
	// HeapProfile, when set, is where the operator's heap profile is
	// written at the end of the memory phase.
	HeapProfile string
	// MemoryLimit is the container limit in bytes the manager gets as
	// MEMORY_LIMIT in the memory and bulk import phases, as the Deployment
	// sets it (0: none).
	MemoryLimit int64
	// ImportMemoryLimit, when set, is the MEMORY_LIMIT the manager imports
	// the memory phase's partners under; it is then restarted with
	// MemoryLimit and measured once idle: the steady state of a manager
	// sized for its objects, not for importing them all at once.
	ImportMemoryLimit int64
	// FairRepeats is how many times the fair comparison runs the operator
	// and the yardstick, each on a fresh control plane, alternating which
	// goes first (0 skips it); FairSize is its target count (0: the
	// largest size).
	FairRepeats, FairSize int
	// YardstickEvents makes the yardstick also create the Events the
	// operator emitted for each object, so that both do the same API work
	// (yardstick_events.go); false compares with the statuses alone.
	YardstickEvents bool
	// Shards runs the convergence workload on two shards, on a fresh
	// control plane, next to one replica.
	Shards bool
	// BulkPartners are created in one program on a fresh control plane
	// (0 skips the bulk import).
	BulkPartners int
	// PhaseTimeout bounds every wait.
	PhaseTimeout time.Duration
	// Progress receives one line per phase; nil discards them.
	Progress io.Writer
}

func (c *Config) defaults() error {
	if len(c.Sizes) == 0 {
		c.Sizes = []int{1000, 10000}
	}
	slices.Sort(c.Sizes)
	if c.Sizes[0] < 1 {
		return errors.New("sizes must be positive")
	}
	if c.Workers <= 0 {
		c.Workers = 8
	}
	if c.PhaseTimeout <= 0 {
		c.PhaseTimeout = 30 * time.Minute
	}
	if c.Programs <= 0 {
		c.Programs = 1
	}
	if c.FairSize <= 0 {
		c.FairSize = c.Sizes[len(c.Sizes)-1]
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	if c.Root == "" {
		root, err := localcp.RepoRoot()
		if err != nil {
			return err
		}
		c.Root = root
	}
	return nil
}

// harness is one run: the control plane, the operator and the observers.
type harness struct {
	cfg     Config
	work    *workload
	cluster *localcp.Cluster
	rest    *rest.Config
	client  client.Client
	tracker *tracker
	mgrBin  string
	mgrLog  string
	mgr     *localcp.Manager
	workDir string
	// env is the manager's extra environment (MEMORY_LIMIT).
	env []string
	// shard, when set, is the shard label value of the i-th source and
	// target ("" for none).
	shard func(i int) string
}

func (h *harness) logf(format string, args ...any) {
	_, _ = fmt.Fprintf(h.cfg.Progress, "%s  %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func (h *harness) startOperator() error {
	m, err := h.cluster.StartManager(localcp.ManagerOptions{
		Binary: h.mgrBin, Log: h.mgrLog, Metrics: true, Pprof: true, Args: h.cfg.ManagerArgs, Env: h.env,
	})
	if err != nil {
		return err
	}
	h.mgr = m
	return nil
}

func (h *harness) stopOperator() error {
	if h.mgr == nil {
		return nil
	}
	err := h.mgr.Stop()
	h.mgr = nil
	return err
}

func (h *harness) restartOperator() error {
	if err := h.stopOperator(); err != nil {
		return err
	}
	return h.startOperator()
}

// Run measures what cfg says and returns the figures.
func Run(ctx context.Context, cfg Config) (res *Results, err error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	began := time.Now()
	h := &harness{cfg: cfg, tracker: newTracker()}
	if h.work, err = loadWorkload(cfg.Root); err != nil {
		return nil, err
	}
	h.workDir = cfg.WorkDir
	if h.workDir == "" {
		if h.workDir, err = os.MkdirTemp("", "scaleup-bench-"); err != nil {
			return nil, err
		}
		defer func() { _ = os.RemoveAll(h.workDir) }()
	}
	h.mgrBin, h.mgrLog = filepath.Join(h.workDir, "manager"), filepath.Join(h.workDir, "manager.log")
	// The harness's own managers (webhooks, naive baseline) log here.
	harnessLog, err := os.Create(filepath.Join(h.workDir, "harness.log"))
	if err != nil {
		return nil, err
	}
	defer func() { _ = harnessLog.Close() }()
	ctrllog.SetLogger(zap.New(zap.WriteTo(harnessLog)))
	h.logf("building the manager")
	if err := localcp.BuildManager(ctx, cfg.Root, h.mgrBin); err != nil {
		return nil, err
	}
	res = &Results{Date: began.UTC(), Machine: machine(), ManagerArgs: cfg.ManagerArgs, Workers: cfg.Workers, YardstickEvents: cfg.YardstickEvents, MemoryLimitMiB: mib(uint64(cfg.MemoryLimit))}
	defer func() { res.Duration = time.Since(began).Seconds() }()
	if err := h.sharedPhases(ctx, res); err != nil {
		return res, err
	}
	// Each of these starts from a control plane of its own, after the
	// shared one is gone, so that none inherits another's objects.
	if err := h.freshPhases(ctx, res); err != nil {
		return res, err
	}
	return res, nil
}

// sharedPhases runs the phases that share one control plane: every size,
// then memory.
func (h *harness) sharedPhases(ctx context.Context, res *Results) (err error) {
	cfg := h.cfg
	h.logf("starting the control plane")
	stopCluster, err := h.startCluster(ctx, "cluster")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, stopCluster()) }()
	if err := h.startOperator(); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, h.stopOperator()) }()
	if err := h.createModel(ctx); err != nil {
		return err
	}
	for k, n := range cfg.Sizes {
		size, err := h.measureSize(ctx, n, k == 0, res)
		if err != nil {
			return err
		}
		res.Sizes = append(res.Sizes, size)
		if k < len(cfg.Sizes)-1 {
			h.logf("n=%d: deleting its namespace", n)
			if err := deleteNamespace(ctx, h.client, benchNamespace(n), cfg.PhaseTimeout); err != nil {
				return err
			}
		}
		if err := h.startOperator(); err != nil {
			return err
		}
	}
	if cfg.Partners > 0 {
		last := cfg.Sizes[len(cfg.Sizes)-1]
		// As the Deployment runs it: MEMORY_LIMIT sets the Go runtime's
		// soft limit, so the RSS is the one a user would see.
		h.env = memoryLimitEnv(cfg.MemoryLimit)
		if err := h.restartOperator(); err != nil {
			return err
		}
		h.logf("memory: %d targets, %d partners in %d programs", last+1, cfg.Partners, cfg.Programs)
		if res.Memory, err = h.memory(ctx, last+1); err != nil {
			return err
		}
	}
	return nil
}

// startCluster starts a control plane in the work directory's subdirectory
// name, connects the harness's client and tracker to it, and returns what
// stops it all and removes its state.
func (h *harness) startCluster(ctx context.Context, name string) (stop func() error, err error) {
	dir := filepath.Join(h.workDir, name)
	h.cluster, err = localcp.Start(localcp.Options{
		Dir:        dir,
		CRDDir:     filepath.Join(h.cfg.Root, "config", "crd", "bases"),
		WebhookDir: filepath.Join(h.cfg.Root, "config", "webhook"),
		// Etcd's fsyncs on this shared disk would set every figure; a
		// cluster's etcd has a dedicated SSD.
		EtcdNoFsync: true,
	})
	if err != nil {
		return nil, err
	}
	ctx, stopWatching := context.WithCancel(ctx) // before the control plane stops
	stop = func() error {
		stopWatching()
		err := h.cluster.Stop()
		return errors.Join(err, os.RemoveAll(dir))
	}
	h.rest = unthrottled(h.cluster.Env.Config)
	if h.client, err = client.New(h.rest, client.Options{Scheme: scheme}); err != nil {
		return nil, errors.Join(err, stop())
	}
	if err := h.startTracker(ctx); err != nil {
		return nil, errors.Join(err, stop())
	}
	return stop, nil
}

func (h *harness) createModel(ctx context.Context) error {
	if err := h.client.Create(ctx, h.work.model.DeepCopy()); err != nil {
		return fmt.Errorf("creating the model: %w", err)
	}
	return nil
}

// measureSize runs every phase for n targets and leaves the operator
// stopped.
func (h *harness) measureSize(ctx context.Context, n int, first bool, res *Results) (Size, error) {
	s := Size{N: n}
	var err error
	h.logf("n=%d: convergence", n)
	if s.Convergence, s.ConvergenceWrites, err = h.convergence(ctx, n); err != nil {
		return s, err
	}
	// What the yardstick writes: taken now, before the latency phase
	// changes levels and adds Events of its own.
	converged, err := h.convergedStatuses(ctx, benchNamespace(n))
	if err != nil {
		return s, err
	}
	h.logf("n=%d: converged at %.0f targets/s; resync", n, s.Convergence.PerSecond)
	if s.Resync, err = h.resync(ctx, n); err != nil {
		return s, err
	}
	h.logf("n=%d: resync wrote %.0f times; restart storm", n, s.Resync.Writes)
	if s.Storm, err = h.restartStorm(ctx, n); err != nil {
		return s, err
	}
	if first && h.cfg.LatencyChanges > 0 {
		h.logf("n=%d: new target waited %.2fs; latency of %d changes", n, s.Storm.NewTargetSeconds, h.cfg.LatencyChanges)
		lat, err := h.latency(ctx, n, h.cfg.LatencyChanges)
		if err != nil {
			return s, err
		}
		lat.Targets = n
		res.Latency = &lat
	}
	if err := h.stopOperator(); err != nil {
		return s, err
	}
	h.logf("n=%d: yardstick", n)
	if s.Yardstick, s.YardstickEvents, err = h.yardstick(ctx, n, converged); err != nil {
		return s, err
	}
	s.Ratio = s.Convergence.PerSecond / s.Yardstick.PerSecond
	h.logf("n=%d: yardstick %.0f targets/s, ratio %.2f", n, s.Yardstick.PerSecond, s.Ratio)
	if n <= h.cfg.NaiveMax {
		h.logf("n=%d: naive baseline", n)
		if s.Naive, err = h.naive(ctx, n); err != nil {
			return s, err
		}
		h.logf("n=%d: naive %.0f targets/s, resync wrote %.0f times", n, s.Naive.Convergence.PerSecond, s.Naive.Resync.Writes)
	}
	return s, nil
}

// startTracker starts the harness's own informer on MaturityTargets.
func (h *harness) startTracker(ctx context.Context) error {
	c, err := cache.New(h.rest, cache.Options{
		Scheme:   scheme,
		ByObject: map[client.Object]cache.ByObject{&v1alpha1.MaturityTarget{}: {Transform: trimTarget}},
	})
	if err != nil {
		return err
	}
	if err := h.tracker.start(ctx, c); err != nil {
		return err
	}
	go func() { _ = c.Start(ctx) }()
	if !c.WaitForCacheSync(ctx) {
		return errors.New("the harness's MaturityTarget informer did not sync")
	}
	return nil
}
