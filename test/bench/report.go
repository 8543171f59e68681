package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
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
	Workers  int      `json:"workers"`
	Sizes    []Size   `json:"sizes"`
	Latency  *Latency `json:"latency,omitempty"`
	Memory   *Memory  `json:"memory,omitempty"`
	Duration float64  `json:"durationSeconds"`
}

// Size are the figures for N targets (each with its MetricSource).
type Size struct {
	N int `json:"n"`
	// Yardstick: create n sources and targets and patch each status once,
	// from a plain client loop.
	Yardstick Throughput `json:"yardstick"`
	// Convergence: create them with the operator running until every
	// target is Ready at its level.
	Convergence Throughput `json:"convergence"`
	// Ratio is convergence targets/s over yardstick targets/s (goal >= 0.8).
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
	P99Millis float64 `json:"p99Millis"` // goal: < 1000
	MaxMillis float64 `json:"maxMillis"`
}

// Memory is the operator's memory with targets, programs and partners.
type Memory struct {
	Targets  int `json:"targets"`
	Programs int `json:"programs"`
	Partners int `json:"partners"`
	// TargetsOnlyRSSMiB is before the partners were created.
	TargetsOnlyRSSMiB float64 `json:"targetsOnlyRssMiB"`
	RSSMiB            float64 `json:"rssMiB"` // goal: < 150
	PeakRSSMiB        float64 `json:"peakRssMiB"`
	HeapInuseMiB      float64 `json:"heapInuseMiB"`
	// PartnersSeconds is from the first partner created to every program
	// counting all of its partners.
	PartnersSeconds float64 `json:"partnersSeconds"`
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
	p("Machine: %s. Operator flags: %s. Harness workers: %d. Run took %.0f s.\n\n",
		r.Machine, strings.Join(r.ManagerArgs, " "), r.Workers, r.Duration)
	p("| targets | yardstick | operator | ratio (goal >= 0.8) | naive baseline | resync writes: operator (goal 0) / naive | new target during restart (goal < 2 s) | full restart |\n")
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
		p("\nReaction latency, %d changes over %d targets: p50 %.0f ms, p99 %.0f ms (goal < 1000 ms), max %.0f ms.\n",
			l.Changes, l.Targets, l.P50Millis, l.P99Millis, l.MaxMillis)
	}
	if m := r.Memory; m != nil {
		p("\nMemory with %d targets: RSS %.0f MiB; with %d partners in %d programs added: RSS %.0f MiB (goal < 150), peak %.0f MiB, heap in use %.0f MiB (partners counted in %.0f s).\n",
			m.Targets, m.TargetsOnlyRSSMiB, m.Partners, m.Programs, m.RSSMiB, m.PeakRSSMiB, m.HeapInuseMiB, m.PartnersSeconds)
	}
}
