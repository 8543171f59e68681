package bench

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Results are the figures of one harness run, as written to results.json.
type Results struct {
	Date    time.Time `json:"date"`
	Machine string    `json:"machine"`
	// ManagerArgs are the flags the operator ran with beyond the connection.
	ManagerArgs []string `json:"managerArgs"`
	// Workers is how many goroutines the harness creates and patches with.
	Workers int `json:"workers"`
	// YardstickEvents: the yardstick also created the operator's Events.
	YardstickEvents bool     `json:"yardstickEvents"`
	Sizes           []Size   `json:"sizes"`
	Latency         *Latency `json:"latency,omitempty"`
	Memory          *Memory  `json:"memory,omitempty"`
	// MemoryLimitMiB is the container limit the manager got as MEMORY_LIMIT
	// in the memory and bulk import phases (0: none).
	MemoryLimitMiB float64        `json:"memoryLimitMiB"`
	Fair           *Fair          `json:"fair,omitempty"`
	Sharding       *Sharding      `json:"sharding,omitempty"`
	Bulk           *PartnerImport `json:"bulkImport,omitempty"`
	Duration       float64        `json:"durationSeconds"`
}

// Size are the figures for N targets (each with its MetricSource).
type Size struct {
	N int `json:"n"`
	// Yardstick: create n sources and targets, patch each status once and
	// create the operator's Events for each (see Results.YardstickEvents),
	// from a plain client loop.
	Yardstick Throughput `json:"yardstick"`
	// YardstickEvents are the Events the yardstick created.
	YardstickEvents int `json:"yardstickEvents"`
	// Convergence: create them with the operator running until every
	// target is Ready at its level.
	Convergence Throughput `json:"convergence"`
	// Ratio is convergence targets/s over yardstick targets/s, the yardstick
	// running after the operator on the same control plane (see Fair).
	Ratio float64 `json:"ratio"`
	// ConvergenceWrites are the operator's write requests while converging.
	ConvergenceWrites float64 `json:"convergenceWrites"`
	Resync            Resync  `json:"resync"`
	Storm             Storm   `json:"restartStorm"`
	Naive             *Naive  `json:"naive,omitempty"`
}

// Throughput is n objects in a time.
type Throughput struct {
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"targetsPerSecond"`
}

func throughput(n int, d time.Duration) Throughput {
	return Throughput{Seconds: d.Seconds(), PerSecond: float64(n) / d.Seconds()}
}

// Resync is a full resync of converged objects (a restart re-lists them all).
type Resync struct {
	Reconciles float64 `json:"reconciles"`
	Writes     float64 `json:"writes"` // goal: 0
	Seconds    float64 `json:"seconds"`
}

// Storm is a restart with one new target created while the rest re-list.
type Storm struct {
	NewTargetSeconds float64 `json:"newTargetSeconds"` // goal: < 2
	// ReconciledBeforeNewDone is how many targets the restart had
	// reconciled when the new one was Ready.
	ReconciledBeforeNewDone int     `json:"reconciledBeforeNewDone"`
	RestartSeconds          float64 `json:"restartSeconds"`
}

// Naive are the naive baseline's figures for the same workload.
type Naive struct {
	Convergence Throughput `json:"convergence"`
	Resync      Resync     `json:"resync"`
}

// Latency is from a MetricSource change to its target's new level.
type Latency struct {
	Targets   int     `json:"targets"`
	Changes   int     `json:"changes"`
	P50Millis float64 `json:"p50Millis"`
	P99Millis float64 `json:"p99Millis"` // goal: < 250 at 1,000 targets
	MaxMillis float64 `json:"maxMillis"`
}

// Memory is the operator's memory with targets, programs and partners.
type Memory struct {
	Targets int `json:"targets"`
	// TargetsOnlyRSSMiB is before the partners were created.
	TargetsOnlyRSSMiB float64 `json:"targetsOnlyRssMiB"`
	RSSMiB            float64 `json:"rssMiB"` // goal: <= 256
	PeakRSSMiB        float64 `json:"peakRssMiB"`
	// RSSFileMiB is the part of RSSMiB that is pages of files, mostly the
	// manager's binary: the kernel can reclaim them when a container runs
	// short of memory, unlike the rest.
	RSSFileMiB   float64 `json:"rssFileMiB"`
	HeapInuseMiB float64 `json:"heapInuseMiB"`
	// LiveHeapMiB is the heap a garbage collection left live
	// (go_memstats_heap_alloc_bytes right after the harness has one run).
	LiveHeapMiB float64 `json:"liveHeapMiB"`
	// Import is how the partners were imported.
	Import PartnerImport `json:"import"`
	// ImportMemoryLimitMiB is the MEMORY_LIMIT of the import when it
	// differs (Config.ImportMemoryLimit); RestartSeconds is then how long
	// the manager restarted with the memory phase's limit took to be idle,
	// and RestartPartnerReconciles the partners it had reconciled by then.
	ImportMemoryLimitMiB     float64 `json:"importMemoryLimitMiB,omitempty"`
	RestartSeconds           float64 `json:"restartSeconds,omitempty"`
	RestartPartnerReconciles float64 `json:"restartPartnerReconciles,omitempty"`
	// CachedBytes is the heap an object of each kind takes in the
	// operator's cache, as its cache transform leaves it.
	CachedBytes map[string]float64 `json:"cachedBytes"`
}

// PartnerImport is partners created at once in programs.
type PartnerImport struct {
	Programs int `json:"programs"`
	Partners int `json:"partners"`
	// AcceptedSeconds is from the first partner created to the API server
	// having accepted the last: the yardstick of the import.
	AcceptedSeconds float64 `json:"acceptedSeconds"`
	// CountedSeconds is from the first partner created to every program
	// counting all of its partners.
	CountedSeconds float64 `json:"countedSeconds"`
	// Ratio is CountedSeconds over AcceptedSeconds (goal: <= 2).
	Ratio float64 `json:"ratio"`
	// AllocatedPerPartner and WritesPerPartner are the bytes the operator
	// allocated and the write requests it sent while the partners were
	// imported, per partner.
	AllocatedPerPartner float64 `json:"allocatedPerPartner"`
	WritesPerPartner    float64 `json:"writesPerPartner"`
}

// Fair compares the operator's convergence with the yardstick's, each
// from a fresh control plane, in alternating order.
type Fair struct {
	N    int       `json:"n"`
	Runs []FairRun `json:"runs"`
	// MinRatio, MedianRatio and MaxRatio are the spread over the runs
	// (goal: >= 0.9).
	MinRatio    float64 `json:"minRatio"`
	MedianRatio float64 `json:"medianRatio"`
	MaxRatio    float64 `json:"maxRatio"`
}

// FairRun is one operator run and one yardstick run.
type FairRun struct {
	OperatorFirst bool       `json:"operatorFirst"`
	Operator      Throughput `json:"operator"`
	Yardstick     Throughput `json:"yardstick"`
	// YardstickEvents are the Events the yardstick created.
	YardstickEvents int     `json:"yardstickEvents"`
	Ratio           float64 `json:"ratio"`
}

func (f *Fair) summarize() {
	ratios := make([]float64, len(f.Runs))
	for i, r := range f.Runs {
		ratios[i] = r.Ratio
	}
	f.MinRatio, f.MedianRatio, f.MaxRatio = spread(ratios)
}

// medianOperator is the operator's median throughput over the runs.
func (f *Fair) medianOperator() Throughput {
	runs := slices.Clone(f.Runs)
	slices.SortFunc(runs, func(a, b FairRun) int { return cmp.Compare(a.Operator.PerSecond, b.Operator.PerSecond) })
	return runs[(len(runs)-1)/2].Operator
}

// spread is the minimum, median (the lower middle of an even count) and
// maximum of xs.
func spread(xs []float64) (lo, median, hi float64) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	xs = slices.Sorted(slices.Values(xs))
	return xs[0], xs[(len(xs)-1)/2], xs[len(xs)-1]
}

// Sharding is the convergence workload on one replica and on two shards,
// each from a fresh control plane.
type Sharding struct {
	N          int        `json:"n"`
	OneReplica Throughput `json:"oneReplica"`
	TwoShards  Throughput `json:"twoShards"`
	// TwoShardsWrites are both managers' write requests.
	TwoShardsWrites float64 `json:"twoShardsWrites"`
	// Ratio is two shards' targets/s over one replica's.
	Ratio float64 `json:"ratio"`
}

// machine describes the CPU the figures were taken on.
func machine() string {
	model := runtime.GOARCH
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%d CPUs, %s, %s/%s", runtime.NumCPU(), model, runtime.GOOS, runtime.GOARCH)
}

// WriteJSON writes r to path, creating its directory.
func (r *Results) WriteJSON(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// WriteMarkdown writes r as the tables of the README's Performance section.
func (r *Results) WriteMarkdown(w io.Writer) {
	p := func(format string, args ...any) { _, _ = fmt.Fprintf(w, format, args...) }
	yardstick := "statuses only"
	if r.YardstickEvents {
		yardstick = "statuses and the operator's Events"
	}
	p("Machine: %s. Operator flags: %s. Harness workers: %d. Yardstick writes %s. Run took %.0f s.\n\n",
		r.Machine, strings.Join(r.ManagerArgs, " "), r.Workers, yardstick, r.Duration)
	p("| targets | yardstick | operator | ratio, same control plane after the operator | naive baseline | resync writes: operator (goal 0) / naive | new target during restart (goal < 2 s) | full restart |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.Sizes {
		naive, naiveWrites := "not run", "-"
		if s.Naive != nil {
			naive = fmt.Sprintf("%.0f/s (%.2fx)", s.Naive.Convergence.PerSecond, s.Naive.Convergence.PerSecond/s.Yardstick.PerSecond)
			naiveWrites = fmt.Sprintf("%.0f", s.Naive.Resync.Writes)
		}
		p("| %d | %.0f/s | %.0f/s | %.2f | %s | %.0f / %s | %.2f s, %d of %d re-listed targets still queued | %.1f s |\n",
			s.N, s.Yardstick.PerSecond, s.Convergence.PerSecond, s.Ratio, naive,
			s.Resync.Writes, naiveWrites, s.Storm.NewTargetSeconds, max(s.N-s.Storm.ReconciledBeforeNewDone, 0), s.N, s.Storm.RestartSeconds)
	}
	if l := r.Latency; l != nil {
		p("\nReaction latency, %d changes over %d targets: p50 %.0f ms, p99 %.0f ms, max %.0f ms.\n",
			l.Changes, l.Targets, l.P50Millis, l.P99Millis, l.MaxMillis)
	}
	if m := r.Memory; m != nil {
		p("\nMemory (MEMORY_LIMIT %.0f MiB) with %d targets and as many sources: RSS %.0f MiB; with %d partners in %d programs added: RSS %.0f MiB (%.0f MiB of it pages of the binary), peak %.0f MiB, heap in use %.0f MiB, live heap %.0f MiB.\n",
			r.MemoryLimitMiB, m.Targets, m.TargetsOnlyRSSMiB, m.Import.Partners, m.Import.Programs, m.RSSMiB, m.RSSFileMiB, m.PeakRSSMiB, m.HeapInuseMiB, m.LiveHeapMiB)
		kinds := slices.Sorted(maps.Keys(m.CachedBytes))
		for i, k := range kinds {
			kinds[i] = fmt.Sprintf("%s %.1f KiB", k, m.CachedBytes[k]/1024)
		}
		p("\nHeap per cached object: %s.\n", strings.Join(kinds, ", "))
		p("\nImport of those partners: %s.\n", m.Import.describe())
		if m.ImportMemoryLimitMiB > 0 {
			p("\nThe import ran with MEMORY_LIMIT %.0f MiB; the manager was then restarted with %.0f MiB and measured once idle (%.1f s after its start).\n",
				m.ImportMemoryLimitMiB, r.MemoryLimitMiB, m.RestartSeconds)
		}
	}
	if f := r.Fair; f != nil {
		p("\nFair comparison at %d targets, each phase on a fresh control plane:\n\n| run | first | operator | yardstick | Events the yardstick created | ratio |\n|---:|---|---:|---:|---:|---:|\n", f.N)
		for i, run := range f.Runs {
			first := "yardstick"
			if run.OperatorFirst {
				first = "operator"
			}
			p("| %d | %s | %.0f/s | %.0f/s | %d | %.2f |\n", i+1, first, run.Operator.PerSecond, run.Yardstick.PerSecond, run.YardstickEvents, run.Ratio)
		}
		p("\nRatio over %d runs: min %.2f, median %.2f, max %.2f.\n", len(f.Runs), f.MinRatio, f.MedianRatio, f.MaxRatio)
	}
	if s := r.Sharding; s != nil {
		p("\nSharding at %d targets, each on a fresh control plane: one replica %.0f/s, two shards %.0f/s (%.2fx, %.0f writes).\n",
			s.N, s.OneReplica.PerSecond, s.TwoShards.PerSecond, s.Ratio, s.TwoShardsWrites)
	}
	if b := r.Bulk; b != nil {
		p("\nBulk import on a fresh control plane (MEMORY_LIMIT %.0f MiB): %s.\n", r.MemoryLimitMiB, b.describe())
	}
	r.writeGoals(w)
}

func (i *PartnerImport) describe() string {
	return fmt.Sprintf("%d partners in %d program(s) accepted by the API server in %.1f s, counted by their programs in %.1f s (%.2fx); "+
		"the operator allocated %.0f KiB and sent %.2f writes per partner",
		i.Partners, i.Programs, i.AcceptedSeconds, i.CountedSeconds, i.Ratio, i.AllocatedPerPartner/1024, i.WritesPerPartner)
}
