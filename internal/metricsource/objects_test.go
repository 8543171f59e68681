package metricsource

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// byName indexes samples; a failed sample maps to NaN.
func byName(t *testing.T, samples []Sample) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, s := range samples {
		if _, dup := out[s.Name]; dup {
			t.Fatalf("metric %s published twice", s.Name)
		}
		if !s.ObservedAt.IsZero() {
			t.Errorf("%s: observedAt %v, want zero (now, kept while unchanged)", s.Name, s.ObservedAt)
		}
		out[s.Name] = s.Value
		if s.Err != nil {
			out[s.Name] = math.NaN()
		}
	}
	return out
}

func equalMetrics(t *testing.T, got, want map[string]float64) {
	t.Helper()
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s missing, want %v", name, w)
		case math.IsNaN(w) != math.IsNaN(g) || (!math.IsNaN(w) && g != w):
			t.Errorf("%s = %v, want %v", name, g, w)
		}
	}
	for name, g := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s = %v published, not expected", name, g)
		}
	}
}

func TestSupportSamples(t *testing.T) {
	// The plan of controllers' supportPlan fixture with 4 heroes: 1000
	// contacts/week by email, 4 heroes needed now, 7 at the spring sale.
	plan := func(heroes, requiredNow, horizonGap int32, peaks ...int32) *v1alpha1.SupportPlan {
		p := &v1alpha1.SupportPlan{Status: v1alpha1.SupportPlanStatus{
			ObservedGeneration: 1, CurrentStage: "RevenueTransition", Heroes: heroes, RequiredHeroes: 7,
			Projection: &v1alpha1.SupportProjection{
				DemandNow: 1000, RequiredHeroesNow: requiredNow, CapacityGap: horizonGap,
				HeroContactShare: 0.88, PhoneVideoShare: 0.35, VolumePerHero: 250, HoursPerHero: 25,
			},
		}}
		for _, gap := range peaks {
			p.Status.Projection.Peaks = append(p.Status.Projection.Peaks, v1alpha1.PeakProjection{Name: "peak", Gap: gap})
		}
		return p
	}
	common := func(m map[string]float64) map[string]float64 {
		base := map[string]float64{
			SupportRequiredHeroes: 7, SupportDemandPerWeek: 1000,
			SupportDeflectionPercent: 12, SupportPhoneVideoSharePercent: 35, // 1-0.88, 0.35 in percent
			SupportVolumePerHero: 250, SupportHoursPerHero: 25, SupportStageIndex: 2,
		}
		for k, v := range m {
			base[k] = v
		}
		return base
	}
	cases := []struct {
		name string
		plan *v1alpha1.SupportPlan
		want map[string]float64
	}{
		{"2 heroes of 4 needed now, 7 at the peak", plan(2, 4, 5, 5), common(map[string]float64{
			SupportHeroes: 2, SupportRequiredHeroesNow: 4, SupportCapacityGap: 2, // 4 - 2
			SupportHorizonCapacityGap: 5, SupportNextPeakGap: 5,
		})},
		{"gap now closed, the peak still lacks 3", plan(4, 4, 3, 3, 1), common(map[string]float64{
			SupportHeroes: 4, SupportRequiredHeroesNow: 4, SupportCapacityGap: 0,
			SupportHorizonCapacityGap: 3, SupportNextPeakGap: 3, // the first peak, not the second
		})},
		{"more heroes than needed: no negative gap, no peak", plan(9, 4, 0), common(map[string]float64{
			SupportHeroes: 9, SupportRequiredHeroesNow: 4, SupportCapacityGap: 0,
			SupportHorizonCapacityGap: 0, SupportNextPeakGap: 0,
		})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !SupportPlanEvaluated(c.plan) {
				t.Fatal("an evaluated plan counts as not evaluated")
			}
			equalMetrics(t, byName(t, SupportSamples(c.plan)), c.want)
		})
	}

	t.Run("stage index", func(t *testing.T) {
		for stage, want := range map[string]float64{"": 0, "PreRevenue": 1, "RevenueTransition": 2, "RevenueGeneration": 3} {
			p := plan(4, 4, 0)
			p.Status.CurrentStage = stage
			if got := byName(t, SupportSamples(p))[SupportStageIndex]; got != want {
				t.Errorf("stage %q: index %v, want %v", stage, got, want)
			}
		}
	})
	t.Run("not evaluated", func(t *testing.T) {
		if SupportPlanEvaluated(&v1alpha1.SupportPlan{}) {
			t.Error("a plan without status counts as evaluated")
		}
		if got := SupportSamples(&v1alpha1.SupportPlan{}); got != nil {
			t.Errorf("a plan without projection publishes %v", got)
		}
	})
	t.Run("a non-finite figure fails its metric only", func(t *testing.T) {
		p := plan(4, 4, 0)
		p.Status.Projection.VolumePerHero = math.Inf(1)
		got := byName(t, SupportSamples(p))
		if !math.IsNaN(got[SupportVolumePerHero]) || got[SupportHoursPerHero] != 25 {
			t.Errorf("got %v", got)
		}
	})
}

func TestPartnerSamples(t *testing.T) {
	ptr := func(v float64) *float64 { return &v }
	prog := &v1alpha1.PartnerProgram{
		Spec: v1alpha1.PartnerProgramSpec{Expansion: v1alpha1.Expansion{
			Mode: "Gradual", Stages: []v1alpha1.ExpansionStage{{Name: "pilot", MaxPartners: 5}, {Name: "regional", MaxPartners: 20}},
		}},
		Status: v1alpha1.PartnerProgramStatus{
			ObservedGeneration: 2, Partners: 9, Active: 6, Stage: "regional", Expansion: "Closed",
			Metrics: []v1alpha1.ProgramMetric{
				{Name: "activationRate", Value: ptr(0.6667), Sample: 6},
				{Name: "onboardingP50", Duration: &metav1.Duration{Duration: 240 * time.Hour}, Sample: 6},
				{Name: "onboardingP90", Duration: &metav1.Duration{Duration: 266*time.Hour + 48*time.Minute}, Sample: 6},
				{Name: "revenuePerSupportHour", Value: ptr(412.5), Sample: 6},
				{Name: "automationSuccessRate", Sample: 2, Note: "too few partners (2 < 3)"},
				{Name: "retentionRate", Value: ptr(0.75), Sample: 4},
				{Name: "conversionRate", Value: ptr(0.021), Sample: 5},
				{Name: "referralsPerPartner", Value: ptr(1.5), Sample: 6},
				{Name: "somethingNew", Value: ptr(3), Sample: 6},
			},
		},
	}
	want := map[string]float64{
		PartnersTotal: 9, PartnersActive: 6,
		PartnersStageIndex:              2, // regional is the second stage
		PartnersExpansionOpen:           0, // Closed
		"partnersActivationRatePercent": 66.67, "partnersRetentionRatePercent": 75, "partnersConversionRatePercent": 2.1,
		"partnersRevenuePerSupportHour": 412.5, "partnersReferralsPerPartner": 1.5,
		"partnersOnboardingP50Days": 10,    // 240 h
		"partnersOnboardingP90Days": 11.12, // 266.8 h / 24 = 11.1167
		// automationSuccessRate has no value (too small a sample): not
		// published; somethingNew is not a metric the source knows.
	}
	if !PartnerProgramEvaluated(prog) {
		t.Fatal("an evaluated program counts as not evaluated")
	}
	equalMetrics(t, byName(t, PartnerSamples(prog)), want)

	open := &v1alpha1.PartnerProgram{Status: v1alpha1.PartnerProgramStatus{ObservedGeneration: 1, Stage: "open", Expansion: "Open"}}
	equalMetrics(t, byName(t, PartnerSamples(open)), map[string]float64{PartnersTotal: 0, PartnersActive: 0, PartnersExpansionOpen: 1})
	if PartnerProgramEvaluated(&v1alpha1.PartnerProgram{}) {
		t.Error("a program without status counts as evaluated")
	}
}

// Every name an Objects source publishes can be read by a maturity model's
// rule: Compile refuses a rule reading a name no MetricSource can report.
func TestObjectsNamesAreRuleNames(t *testing.T) {
	ptr := func(v float64) *float64 { return &v }
	prog := &v1alpha1.PartnerProgram{Status: v1alpha1.PartnerProgramStatus{Expansion: "Open"}}
	for from := range programMetrics {
		prog.Status.Metrics = append(prog.Status.Metrics, v1alpha1.ProgramMetric{Name: from, Value: ptr(1)})
	}
	plan := &v1alpha1.SupportPlan{Status: v1alpha1.SupportPlanStatus{Projection: &v1alpha1.SupportProjection{}}}
	samples := append(SupportSamples(plan), PartnerSamples(prog)...)
	if len(samples) != 12+3+len(programMetrics) {
		t.Fatalf("%d samples, want every metric once", len(samples))
	}
	reads := make([]string, len(samples))
	for i, s := range samples {
		reads[i] = "metrics." + s.Name + " >= 0.0"
	}
	obj := v1alpha1.Objective{Name: "all", Owner: v1alpha1.OwnerIT,
		Criteria: []v1alpha1.Criterion{{Level: "GrowingPains", Rule: strings.Join(reads, " && ")}}}
	spec := &v1alpha1.MaturityModelSpec{
		Levels:  []v1alpha1.Level{{Name: "Startup"}, {Name: "GrowingPains"}},
		Streams: []v1alpha1.Stream{{Name: "objects", Objectives: []v1alpha1.Objective{obj}}},
	}
	if _, errs := maturity.Compile(spec); len(errs) > 0 {
		t.Fatal(errs)
	}
	// A dotted name is what a rule cannot read: the reason the names are
	// camelCase.
	obj.Criteria = []v1alpha1.Criterion{{Level: "GrowingPains", Rule: `metrics["support.capacityGap"] <= 0.0`}}
	spec.Streams[0].Objectives = []v1alpha1.Objective{obj}
	if _, errs := maturity.Compile(spec); len(errs) == 0 {
		t.Error("a rule reading a dotted metric name compiles")
	}
}

// Re-publishing a plan whose figures did not change (its status changed
// elsewhere: a condition, a task count) leaves the values as they were,
// timestamps included, so the source's status patch is skipped; a changed
// figure alone moves to the new time.
func TestObjectsRepublishWritesNothingUnchanged(t *testing.T) {
	first := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	later := first.Add(time.Hour)
	plan := &v1alpha1.SupportPlan{Status: v1alpha1.SupportPlanStatus{ObservedGeneration: 1, Heroes: 2,
		Projection: &v1alpha1.SupportProjection{RequiredHeroesNow: 4, DemandNow: 1000}}}
	prev := Merge(nil, SupportSamples(plan), first)

	plan.Status.Tasks = &v1alpha1.TaskCounts{Open: 3}
	if again := Merge(prev, SupportSamples(plan), later); !reflect.DeepEqual(again, prev) {
		t.Errorf("unchanged figures re-published as\n%v\nwant\n%v", again, prev)
	}

	plan.Status.Heroes = 4
	for _, v := range Merge(prev, SupportSamples(plan), later) {
		changed := v.Name == SupportHeroes || v.Name == SupportCapacityGap
		if want := map[bool]time.Time{true: later, false: first}[changed]; !v.ObservedAt.Time.Equal(want) {
			t.Errorf("%s observed at %v, want %v", v.Name, v.ObservedAt.Time, want)
		}
	}
}
