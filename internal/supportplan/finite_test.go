package supportplan

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

// checkStatusFinite fails unless every number of the status is finite and
// the status encodes as JSON: one infinity fails every status patch and
// freezes the plan on its last status.
func checkStatusFinite(t *testing.T, st *v1alpha1.SupportPlanStatus) {
	t.Helper()
	if p := st.Projection; p != nil {
		fs := []float64{p.DemandNow, p.DemandAtHorizon, p.MinutesPerContact, p.HeroContactShare,
			p.VolumePerHero, p.HoursPerHero, p.PhoneVideoShare}
		levers := []*v1alpha1.CapacityLevers{p.LeversNow}
		for _, pk := range p.Peaks {
			fs = append(fs, pk.WeeklyDemand)
			levers = append(levers, pk.Levers)
		}
		for _, l := range levers {
			if l != nil {
				fs = append(fs, l.Deflect.FromPercent, l.Deflect.ToPercent, l.ShiftChannels.MovePercent, l.ShiftChannels.AsyncMinutesPerContact)
			}
		}
		for i, f := range fs {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				t.Fatalf("number %d of the projection is %v: %+v", i, f, p)
			}
		}
	}
	for _, b := range st.Blocking {
		for _, v := range b.Values {
			if strings.Contains(v, "Inf") || strings.Contains(v, "NaN") {
				t.Errorf("blocking rule %s shows %q", b.Objective, v)
			}
		}
	}
	if _, err := json.Marshal(st); err != nil {
		t.Fatalf("status does not encode: %v", err)
	}
}

// FuzzStatusFinite runs a plan with fuzzed numbers, in the spec and from
// metrics (which no schema bounds), through Input, Project, ApplyStatus,
// Figures and the stage rules as the controller does: the status it writes
// is finite and encodes, or support.Validate refuses the input.
func FuzzStatusFinite(f *testing.F) {
	type seed struct {
		contacts, growth, mult, handling, conc float64
		heroes                                 int32
		metricContacts, metricGrowth           float64
		metricHeroes                           float64
		fromMetrics                            bool
	}
	for _, s := range []seed{
		{1400, 0.35, 3, 9, 1, 6, 1400, 0.35, 6, false},
		{1e9, 100, 100, 1440, 1, 1, 0, 0, 0, false},  // every bound at once
		{1e9, 0, 1, 1440, 1, 1, 1e307, 100, 1, true}, // volumePerHero=+Inf used to freeze the plan
		{1e307, 0, 1, 9, 1, 1, 1e305, 0, 1, true},    // above the schema's bound, as a stored object may be
		{1, 0, 1, 9, 1, 1, math.MaxFloat64, 1e300, 5e-324, true},
		{5e-324, 5e-324, 5e-324, 5e-324, 1, 100000, 5e-324, -0.999999, 3e9, true}, // denormals, the most heroes
		{0, 0, 1, 0, 1, 0, 0, 0, 0, true},
		{-1, -1, -1, -1, -1, -1, -1e307, -1e307, -1e307, true},
	} {
		f.Add(s.contacts, s.growth, s.mult, s.handling, s.conc, s.heroes, s.metricContacts, s.metricGrowth, s.metricHeroes, s.fromMetrics)
	}
	f.Fuzz(func(t *testing.T, contacts, growth, mult, handling, conc float64, heroes int32,
		metricContacts, metricGrowth, metricHeroes float64, fromMetrics bool) {
		spec := baseSpec()
		spec.Demand.ContactsPerWeek, spec.Demand.YearlyGrowth, spec.Team.Heroes = contacts, growth, heroes
		spec.Demand.Horizon = nil
		spec.PeakSeasons = []v1alpha1.PeakSeason{
			{Name: "black-friday", Start: "11-20", End: "12-05", Multiplier: mult},
			{Name: "holidays", Start: "12-01", End: "01-05", WrapsNewYear: true, Multiplier: mult},
			{Name: "cyber-week", Rule: &v1alpha1.PeakRule{Month: 11, Weekday: "Thursday", Week: 4, OffsetDays: 1, Days: 4}, Multiplier: mult},
			{Name: "easter", Easter: &v1alpha1.EasterPeak{OffsetDays: -2, Days: 4}, Multiplier: mult},
		}
		spec.Channels[1].HandlingMinutes, spec.Channels[1].Concurrency = handling, &conc
		metrics := maturity.Metrics{}
		if fromMetrics {
			spec.MetricInputs = []v1alpha1.MetricInput{
				{Field: "demand.contactsPerWeek", Metric: "contacts"},
				{Field: "demand.yearlyGrowth", Metric: "growth"},
				{Field: "team.heroes", Metric: "agents"},
			}
			metrics["contacts"] = maturity.Metric{Value: metricContacts, Source: "feed"}
			metrics["growth"] = maturity.Metric{Value: metricGrowth, Source: "feed"}
			metrics["agents"] = maturity.Metric{Value: metricHeroes, Source: "feed"}
		}
		in, err := Input(spec, metrics, now)
		if err != nil {
			t.Fatalf("Input: %v", err)
		}
		p, err := support.Project(in)
		if err != nil {
			return // refused, with the field and its bound in the message
		}
		st := &v1alpha1.SupportPlanStatus{}
		ApplyStatus(st, in, p)
		for name, m := range Figures(in, p, spec) {
			if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
				t.Fatalf("figure %s is %v", name, m.Value)
			}
			metrics[name] = m
		}
		model, errs := maturity.Compile(StageModel(spec))
		if len(errs) > 0 {
			t.Fatalf("stage model: %v", errs)
		}
		target, _ := model.LevelIndex(string(spec.TargetStage))
		ApplyStages(st, model, model.Evaluate(metrics, target))
		checkStatusFinite(t, st)
	})
}

// FuzzApplyStatusGuard: even a projection that breaks its promise of
// finite numbers (NaN, infinities, the largest float) is written finite.
func FuzzApplyStatusGuard(f *testing.F) {
	for _, x := range []float64{1e305, 1e307, math.MaxFloat64, -math.MaxFloat64, 5e-324, 0, -1, math.Inf(1), math.Inf(-1), math.NaN()} {
		f.Add(x, x, x)
	}
	f.Fuzz(func(t *testing.T, a, b, c float64) {
		start := date(2026, time.November, 20)
		levers := &support.Levers{Heroes: 2, DeflectionNow: a, DeflectionNeeded: b, ShiftShare: c, AsyncMinutes: a}
		pk := support.PeakProjection{Name: "black-friday", Start: start, End: start.AddDate(0, 0, 5), WeeklyDemand: c, RequiredHeroes: 3, Levers: levers}
		p := support.Projection{
			DemandNow: a, DemandAtHorizon: b, MinutesPerContact: c, HeroContactShare: a,
			VolumePerHero: b, HoursPerHero: c, PhoneVideoShare: a, Peaks: []support.PeakProjection{pk}, NextPeak: &pk,
			NowLevers: levers,
		}
		st := &v1alpha1.SupportPlanStatus{}
		in := support.Input{Heroes: 1}
		ApplyStatus(st, in, p)
		checkStatusFinite(t, st)
		for name, m := range Figures(in, p, baseSpec()) {
			if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
				t.Fatalf("figure %s is %v", name, m.Value)
			}
		}
	})
}

// TestStatusAtTheBounds: the largest demand the schema admits, and a
// metric far beyond it, as the plan shows them.
func TestStatusAtTheBounds(t *testing.T) {
	spec := baseSpec()
	spec.Demand.ContactsPerWeek, spec.Team.Heroes = support.MaxContactsPerWeek, 1
	in, p := project(t, spec, nil)
	st := &v1alpha1.SupportPlanStatus{}
	ApplyStatus(st, in, p)
	checkStatusFinite(t, st)
	if st.Projection.DemandNow != 1e9 || st.Projection.VolumePerHero != 1e9*0.9*0.8 {
		t.Errorf("demandNow %v, volumePerHero %v; want 1e9 and 7.2e8", st.Projection.DemandNow, st.Projection.VolumePerHero)
	}

	spec.MetricInputs = []v1alpha1.MetricInput{{Field: "demand.contactsPerWeek", Metric: "contacts"}}
	in, err := Input(spec, maturity.Metrics{"contacts": {Value: 1e307}}, now)
	if err != nil {
		t.Fatal(err)
	}
	_, err = support.Project(in)
	if err == nil || !strings.Contains(err.Error(), "spec.demand.contactsPerWeek: must be at most 1e+09, got 1e+307") {
		t.Errorf("Project(1e307 contacts from a metric) = %v, want the field and its bound", err)
	}
}
