package partners

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// benchProgram is a Gradual program of 4 types and 4 steps with every
// target set, and n partners in every phase, from a fixed seed.
func benchProgram(n int) (*v1alpha1.PartnerProgramSpec, []*v1alpha1.Partner, []bool) {
	prog := program()
	prog.PartnerTypes = append(prog.PartnerTypes,
		v1alpha1.PartnerType{Name: "TechProvider", RevenueShare: v1alpha1.RevenueShare{Tiers: []v1alpha1.RevenueTier{{Percent: 5}, {FromRevenue: 1e4, Percent: 15}}}},
		v1alpha1.PartnerType{Name: "GrowthOperator", RevenueShare: v1alpha1.RevenueShare{Percent: ptr(35.0)}})
	prog.Onboarding.Steps = append(prog.Onboarding.Steps, v1alpha1.OnboardingStep{Name: "go-live"})
	prog.Targets = v1alpha1.PartnerTargets{
		ActivationRate: ptr(0.6), OnboardingP50: dur(7 * Day), OnboardingP90: dur(14 * Day), RevenuePerSupportHour: ptr(100.0),
		AutomationSuccessRate: ptr(0.8), RetentionRate: ptr(0.8), ConversionRate: ptr(0.02), ReferralsPerPartner: ptr(0.5),
	}
	prog.Expansion = gradual().Expansion
	names := []string{"Affiliate", "Distributor", "TechProvider", "GrowthOperator"}
	rng := rand.New(rand.NewPCG(1, 2))
	ps := make([]*v1alpha1.Partner, n)
	admitted := make([]bool, n)
	for i := range ps {
		j := ago(time.Duration(rng.IntN(400*24)) * time.Hour)
		var opts []func(*v1alpha1.Partner)
		at := make([]time.Time, rng.IntN(5))
		last := j
		for k := range at {
			last = last.Add(time.Duration(1+rng.IntN(72)) * time.Hour)
			at[k] = last
		}
		opts = append(opts, ofType(names[i%len(names)]), done(at...))
		if rng.IntN(3) > 0 {
			opts = append(opts, contributed(j.Add(time.Duration(rng.IntN(60*24))*time.Hour)))
		}
		if rng.IntN(10) == 0 {
			opts = append(opts, left(j.Add(time.Duration(rng.IntN(200*24))*time.Hour)))
		}
		opts = append(opts, results(v1alpha1.PartnerResults{
			Revenue: float64(rng.IntN(10000)), SupportHours: float64(rng.IntN(20)), Visits: int64(rng.IntN(1000)),
			Conversions: int64(rng.IntN(20)), Referrals: int64(rng.IntN(3)), AutomatedTasks: int64(rng.IntN(10)), ManualTasks: int64(rng.IntN(5)),
		}))
		ps[i] = partner(fmt.Sprintf("partner-%05d", i), j, opts...)
		admitted[i] = rng.IntN(4) > 0
	}
	return prog, ps, admitted
}

// BenchmarkProgram10k is one reconcile of a 10,000-partner program: every
// partner derived, the metrics, the risks and the admissions.
func BenchmarkProgram10k(b *testing.B) {
	prog, ps, admitted := benchProgram(10000)
	states := make([]State, len(ps))
	b.ReportAllocs()
	for b.Loop() {
		for i, p := range ps {
			states[i] = Derive(p, prog, admitted[i], now)
		}
		ms := Metrics(ps, states, prog, -1, now)
		_ = Risks(prog, ps, states, ms)
		if len(Admit(ps, admitted, 8000, now)) == 0 {
			b.Fatal("no one admitted")
		}
	}
}

// TestBenchProgramIsMixed keeps the benchmark honest: every phase present,
// every metric judged.
func TestBenchProgramIsMixed(t *testing.T) {
	prog, ps, admitted := benchProgram(10000)
	states := make([]State, len(ps))
	phases := map[v1alpha1.PartnerPhase]int{}
	for i, p := range ps {
		if problems := Validate(p, prog); len(problems) > 0 {
			t.Fatalf("%s: %v", p.Name, problems)
		}
		states[i] = Derive(p, prog, admitted[i], now)
		phases[states[i].Phase]++
	}
	if len(phases) != 5 {
		t.Errorf("phases %v, want all five", phases)
	}
	ms := Metrics(ps, states, prog, -1, now)
	checkFinite(t, ms)
	for _, m := range ms {
		if m.Value == nil && m.Duration == nil {
			t.Errorf("not judged: %s", show(m))
		}
	}
}
