package bench

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestHarnessSmoke runs every phase of the harness at a small size, so that
// make test keeps it working. It checks what the phases count, never how
// fast they were: timings on a shared machine are not pass/fail.
func TestHarnessSmoke(t *testing.T) {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		t.Skip(`KUBEBUILDER_ASSETS is not set; run: KUBEBUILDER_ASSETS="$(hack/k8s-assets.sh)" go test ./test/bench/`)
	}
	if testing.Short() {
		t.Skip("the harness starts a control plane")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	var progress strings.Builder
	res, err := Run(ctx, Config{
		Sizes:             []int{200},
		LatencyChanges:    20,
		NaiveMax:          200,
		Programs:          2,
		Partners:          1000,
		FairRepeats:       1,
		YardstickEvents:   true,
		Shards:            true,
		BulkPartners:      200,
		MemoryLimit:       256 << 20,
		ImportMemoryLimit: 512 << 20,
		PhaseTimeout:      5 * time.Minute,
		Progress:          &progress,
	})
	t.Log("\n" + progress.String())
	if err != nil {
		t.Fatalf("harness: %v", err)
	}
	var table strings.Builder
	res.WriteMarkdown(&table)
	t.Log("\n" + table.String())

	if len(res.Sizes) != 1 {
		t.Fatalf("measured %d sizes, want 1", len(res.Sizes))
	}
	s := res.Sizes[0]
	// Run returns without error only once all 200 targets were Ready at the
	// level of their numbers; these check what the phases counted.
	if s.Convergence.PerSecond <= 0 || s.Yardstick.PerSecond <= 0 {
		t.Errorf("convergence %+v, yardstick %+v: want both measured", s.Convergence, s.Yardstick)
	}
	// Every workload target reaches the level it targets: the operator
	// emitted LevelReached and TargetReached for each, and the yardstick
	// wrote those same Events.
	if s.YardstickEvents != 2*200 {
		t.Errorf("the yardstick created %d Events, want the operator's 2 per target (400)", s.YardstickEvents)
	}
	if s.ConvergenceWrites < 2*200 {
		t.Errorf("the operator sent %v writes converging 200 targets and their sources, want at least one status write each", s.ConvergenceWrites)
	}
	if s.Resync.Writes != 0 {
		t.Errorf("a resync of converged objects sent %v writes, want 0", s.Resync.Writes)
	}
	if s.Resync.Reconciles < 2*200 {
		t.Errorf("the resync reconciled %v objects, want every target and source (400)", s.Resync.Reconciles)
	}
	// The naive baseline writes on every reconcile: proof that the write
	// counting sees writes when there are some.
	if s.Naive == nil || s.Naive.Resync.Writes < 2*200 {
		t.Errorf("naive baseline %+v: want its resync to write every target and source", s.Naive)
	}
	if s.Storm.NewTargetSeconds <= 0 {
		t.Errorf("restart storm %+v: want the new target's wait measured", s.Storm)
	}
	if res.Latency == nil || res.Latency.Changes != 20 {
		t.Errorf("latency %+v: want 20 changes each seen at the target", res.Latency)
	}
	if res.Memory == nil || res.Memory.RSSMiB <= 0 || res.Memory.HeapInuseMiB <= 0 {
		t.Errorf("memory %+v: want RSS and heap measured", res.Memory)
	} else if res.Memory.ImportMemoryLimitMiB != 512 || res.Memory.RestartSeconds <= 0 || res.Memory.RestartPartnerReconciles < 1000 {
		// Measured once the restarted manager has reconciled every partner
		// again, not while it is still listing them.
		t.Errorf("memory %+v: want the import at 512 MiB, then the restarted manager measured after reconciling all 1000 partners", res.Memory)
	}
	if f := res.Fair; f == nil || len(f.Runs) != 1 || f.Runs[0].Operator.PerSecond <= 0 || f.Runs[0].Yardstick.PerSecond <= 0 || f.Runs[0].YardstickEvents != 2*200 {
		t.Errorf("fair comparison %+v: want one run with both measured, the yardstick creating the operator's 400 Events", res.Fair)
	}
	// Both shards converged all 200 targets (the phase waits for every one)
	// and wrote their statuses.
	if sh := res.Sharding; sh == nil || sh.TwoShards.PerSecond <= 0 || sh.TwoShardsWrites < 2*200 {
		t.Errorf("sharding %+v: want two shards measured, with a status write per target and source", res.Sharding)
	}
	if b := res.Bulk; b == nil || b.Partners != 200 || b.CountedSeconds < b.AcceptedSeconds {
		t.Errorf("bulk import %+v: want 200 partners, counted after they were accepted", res.Bulk)
	}
}
