// Command scalebench runs the scale harness (test/bench) and prints its
// figures as markdown; make bench-scale runs it with the full sizes.
//
//	KUBEBUILDER_ASSETS="$(hack/k8s-assets.sh)" go run ./test/bench/cmd/scalebench -sizes 1000,10000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/scaleup-operator/scaleup-operator/test/bench"
)

func main() {
	var (
		cfg         bench.Config
		sizes, args string
		out         string
	)
	flag.StringVar(&sizes, "sizes", "1000,10000", "Comma-separated target counts; latency is measured at the first, memory at the last.")
	flag.IntVar(&cfg.Workers, "workers", 8, "Goroutines the harness creates and patches with.")
	flag.StringVar(&args, "manager-args", "", "Extra manager flags, space-separated (e.g. --max-concurrent-reconciles=8).")
	flag.IntVar(&cfg.LatencyChanges, "latency-changes", 200, "Metric changes in the latency phase (0 skips it).")
	flag.IntVar(&cfg.NaiveMax, "naive-max", 1000, "Largest size the naive baseline runs at.")
	flag.IntVar(&cfg.Programs, "programs", 10, "PartnerPrograms in the memory phase.")
	flag.IntVar(&cfg.Partners, "partners", 100000, "Partners in the memory phase (0 skips it).")
	flag.IntVar(&cfg.FairRepeats, "repeats", 2, "Runs of the fair comparison (operator and yardstick each on a fresh control plane, alternating which goes first; 0 skips it).")
	flag.IntVar(&cfg.FairSize, "fair-size", 0, "Targets in the fair comparison and the sharding phase (0: the largest of -sizes).")
	flag.BoolVar(&cfg.YardstickEvents, "yardstick-events", true, "The yardstick also creates the Events the operator emitted for each object (LevelReached, TargetReached), "+
		"so both do the same API work; false: statuses only.")
	flag.BoolVar(&cfg.Shards, "shards", true, "Run the convergence workload on two shards next to one replica.")
	flag.IntVar(&cfg.BulkPartners, "bulk-partners", 10000, "Partners created in one program in the bulk import (0 skips it).")
	flag.Int64Var(&cfg.MemoryLimit, "memory-limit", 256<<20, "Container memory limit in bytes the manager gets as MEMORY_LIMIT in the memory and bulk import phases, as the Deployment sets it (0: none).")
	flag.Int64Var(&cfg.ImportMemoryLimit, "import-memory-limit", 0, "MEMORY_LIMIT in bytes the manager imports the memory phase's partners under; "+
		"it is then restarted with -memory-limit and measured once idle (0: the whole phase at -memory-limit).")
	flag.DurationVar(&cfg.PhaseTimeout, "phase-timeout", 30*time.Minute, "Longest wait of any phase.")
	flag.StringVar(&out, "out", "bin/bench/results.json", "Where the figures are written as JSON.")
	flag.StringVar(&cfg.HeapProfile, "heap-profile", "bin/bench/heap.pprof", "Where the operator's heap profile is written after the memory phase (empty: not taken).")
	quick := flag.Bool("quick", false, "Every phase at small sizes (200 targets, 2,000 partners in 2 programs, 50 latency changes, "+
		"1,000 partners in the bulk import): a check during development in minutes, not a measurement. "+
		"Overrides -sizes, -partners, -programs, -latency-changes, -naive-max, -fair-size, -bulk-partners.")
	flag.Parse()
	if *quick {
		sizes, cfg.Partners, cfg.Programs, cfg.LatencyChanges, cfg.NaiveMax = "200", 2000, 2, 50, 200
		cfg.FairSize, cfg.BulkPartners = 200, 1000
		cfg.PhaseTimeout = min(cfg.PhaseTimeout, 5*time.Minute)
	}

	for s := range strings.SplitSeq(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "-sizes: %q is not a positive count\n", s)
			os.Exit(2)
		}
		cfg.Sizes = append(cfg.Sizes, n)
	}
	cfg.ManagerArgs = strings.Fields(args)
	cfg.Progress = os.Stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := bench.Run(ctx, cfg)
	if res != nil {
		res.WriteMarkdown(os.Stdout)
		if werr := res.WriteJSON(out); werr != nil {
			fmt.Fprintln(os.Stderr, werr)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "scalebench:", err)
		os.Exit(1)
	}
}
