package bench

import (
	"strings"
	"testing"
)

func TestSpread(t *testing.T) {
	for _, tc := range []struct {
		xs          []float64
		lo, mid, hi float64
	}{
		{nil, 0, 0, 0},
		{[]float64{1.2}, 1.2, 1.2, 1.2},
		{[]float64{1.3, 0.9}, 0.9, 0.9, 1.3},
		{[]float64{1.1, 0.8, 1.0}, 0.8, 1.0, 1.1},
	} {
		lo, mid, hi := spread(tc.xs)
		if lo != tc.lo || mid != tc.mid || hi != tc.hi {
			t.Errorf("spread(%v) = %v, %v, %v; want %v, %v, %v", tc.xs, lo, mid, hi, tc.lo, tc.mid, tc.hi)
		}
	}
}

func TestGoals(t *testing.T) {
	r := &Results{
		Sizes:   []Size{{N: 1000}, {N: 10000, Resync: Resync{Writes: 3}}},
		Latency: &Latency{Targets: 1000, Changes: 200, P99Millis: 151},
		Memory:  &Memory{Targets: 10001, RSSMiB: 300, Import: PartnerImport{Partners: 100000}},
		Fair:    &Fair{N: 200, Runs: []FairRun{{}, {}}, MinRatio: 0.95, MedianRatio: 0.95, MaxRatio: 1.1},
	}
	got := map[string]goalRow{}
	for _, g := range r.goals() {
		got[strings.Fields(g.goal)[0]] = g
	}
	for first, want := range map[string]string{
		"RSS": verdictMissed, "convergence": verdictMet, "zero": verdictMissed, "reaction": verdictMet, "bulk": "-",
	} {
		if got[first].verdict != want {
			t.Errorf("goal %q: verdict %q, want %q", got[first].goal, got[first].verdict, want)
		}
	}
	if !strings.Contains(got["convergence"].measured, "at 200 targets") {
		t.Errorf("a fair comparison below the goal's size must say so: %q", got["convergence"].measured)
	}
	if strings.Contains(got["RSS"].measured, "goal's size") {
		t.Errorf("memory measured at the goal's sizes: %q", got["RSS"].measured)
	}
}
