package bench

import (
	"fmt"
	"io"
	"strings"
)

// The goals of issue #18, each next to what this run measured. A figure
// taken at smaller sizes than its goal's (the -quick mode) says so in its
// cell: it checks the harness, not the goal.
const (
	goalRSSMiB         = 256
	goalRatio          = 0.9
	goalP99Millis      = 250
	goalBulkRatio      = 2
	goalMemoryTargets  = 10000
	goalMemoryPartners = 100000
	goalLatencyTargets = 1000
	goalBulkPartners   = 10000
	goalFairTargets    = 10000
	notMeasured        = "not measured"
	verdictMet         = "met"
	verdictMissed      = "missed"
)

type goalRow struct{ goal, measured, verdict string }

func verdictOf(ok bool) string {
	if ok {
		return verdictMet
	}
	return verdictMissed
}

// atSize notes a measurement taken at another size than its goal's.
func atSize(got, want int, unit string) string {
	if got == want {
		return ""
	}
	return fmt.Sprintf(" (at %d %s, goal's size %d)", got, unit, want)
}

func (r *Results) goals() []goalRow {
	rows := []goalRow{}
	row := goalRow{goal: fmt.Sprintf("RSS <= %d MiB at %d targets + %d partners", goalRSSMiB, goalMemoryTargets, goalMemoryPartners), measured: notMeasured, verdict: "-"}
	if m := r.Memory; m != nil {
		row.measured = fmt.Sprintf("%.0f MiB (heap in use %.0f, live %.0f)%s%s", m.RSSMiB, m.HeapInuseMiB, m.LiveHeapMiB,
			atSize(m.Targets-1, goalMemoryTargets, "targets"), atSize(m.Import.Partners, goalMemoryPartners, "partners"))
		row.verdict = verdictOf(m.RSSMiB <= goalRSSMiB)
	}
	rows = append(rows, row)

	row = goalRow{goal: fmt.Sprintf("convergence >= %.1f of the yardstick, fresh control planes", goalRatio), measured: notMeasured, verdict: "-"}
	if f := r.Fair; f != nil && len(f.Runs) > 0 {
		row.measured = fmt.Sprintf("median %.2f (min %.2f, max %.2f over %d runs)%s", f.MedianRatio, f.MinRatio, f.MaxRatio, len(f.Runs),
			atSize(f.N, goalFairTargets, "targets"))
		row.verdict = verdictOf(f.MedianRatio >= goalRatio)
	}
	rows = append(rows, row)

	row = goalRow{goal: "zero writes on a resync of converged objects", measured: notMeasured, verdict: "-"}
	if len(r.Sizes) > 0 {
		writes := make([]string, 0, len(r.Sizes))
		zero := true
		for _, s := range r.Sizes {
			writes = append(writes, fmt.Sprintf("%.0f at %d", s.Resync.Writes, s.N))
			zero = zero && s.Resync.Writes == 0
		}
		row.measured, row.verdict = strings.Join(writes, ", "), verdictOf(zero)
	}
	rows = append(rows, row)

	row = goalRow{goal: fmt.Sprintf("reaction latency p99 < %d ms at %d targets", goalP99Millis, goalLatencyTargets), measured: notMeasured, verdict: "-"}
	if l := r.Latency; l != nil {
		row.measured = fmt.Sprintf("%.0f ms over %d changes%s", l.P99Millis, l.Changes, atSize(l.Targets, goalLatencyTargets, "targets"))
		row.verdict = verdictOf(l.P99Millis < goalP99Millis)
	}
	rows = append(rows, row)

	row = goalRow{goal: fmt.Sprintf("bulk import of %d partners in one program counted within %dx the API server's acceptance", goalBulkPartners, goalBulkRatio), measured: notMeasured, verdict: "-"}
	if b := r.Bulk; b != nil {
		row.measured = fmt.Sprintf("%.2fx (%.1f s / %.1f s)%s", b.Ratio, b.CountedSeconds, b.AcceptedSeconds, atSize(b.Partners, goalBulkPartners, "partners"))
		row.verdict = verdictOf(b.Ratio <= goalBulkRatio)
	}
	return append(rows, row)
}

func (r *Results) writeGoals(w io.Writer) {
	p := func(format string, args ...any) { _, _ = fmt.Fprintf(w, format, args...) }
	p("\n| goal | measured | verdict |\n|---|---|---|\n")
	for _, g := range r.goals() {
		p("| %s | %s | %s |\n", g.goal, g.measured, g.verdict)
	}
}
