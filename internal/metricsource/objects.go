package metricsource

import (
	"fmt"
	"math"
	"slices"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

// The metrics an Objects source publishes. Names are identifiers (no dots):
// a maturity model's rules may only read metric names a MetricSource can
// report, a letter or underscore then letters, digits or underscores
// (maturity's metricName), so a rule reads them as metrics.supportCapacityGap.
const (
	// SupportHeroes is the team size the plan used (status.heroes).
	SupportHeroes = "supportHeroes"
	// SupportRequiredHeroes is the most heroes needed now or at any peak
	// of the horizon (status.requiredHeroes).
	SupportRequiredHeroes = "supportRequiredHeroes"
	// SupportRequiredHeroesNow is the heroes needed at today's demand.
	SupportRequiredHeroesNow = "supportRequiredHeroesNow"
	// SupportCapacityGap is the heroes missing now: requiredHeroesNow
	// minus heroes, at least 0.
	SupportCapacityGap = "supportCapacityGap"
	// SupportHorizonCapacityGap is the heroes missing at the worst point
	// of the horizon, peaks included (status.projection.capacityGap).
	SupportHorizonCapacityGap = "supportHorizonCapacityGap"
	// SupportNextPeakGap is the heroes missing at the first peak of the
	// projection (one under way counts); 0 without a peak in the horizon.
	SupportNextPeakGap = "supportNextPeakGap"
	// SupportDemandPerWeek is contacts per week now.
	SupportDemandPerWeek = "supportDemandPerWeek"
	// SupportDeflectionPercent is the share of contacts resolved without a
	// hero (self-service and AI), in percent.
	SupportDeflectionPercent = "supportDeflectionPercent"
	// SupportPhoneVideoSharePercent is the share of contacts on phone and
	// video, in percent.
	SupportPhoneVideoSharePercent = "supportPhoneVideoSharePercent"
	// SupportVolumePerHero is hero-handled contacts per week per hero.
	SupportVolumePerHero = "supportVolumePerHero"
	// SupportHoursPerHero is hours of contact work per week per hero.
	SupportHoursPerHero = "supportHoursPerHero"
	// SupportStageIndex is the current stage: 0 none, 1 PreRevenue,
	// 2 RevenueTransition, 3 RevenueGeneration.
	SupportStageIndex = "supportStageIndex"

	// PartnersTotal is the number of partners in the program.
	PartnersTotal = "partnersTotal"
	// PartnersActive is the number of Active partners.
	PartnersActive = "partnersActive"
	// PartnersStageIndex is the current expansion stage, 1 for the first
	// of spec.expansion.stages; absent in an Open program.
	PartnersStageIndex = "partnersStageIndex"
	// PartnersExpansionOpen is 1 while the program admits partners, else 0.
	PartnersExpansionOpen = "partnersExpansionOpen"
)

// programMetrics maps the program's metrics (status.metrics) to the names
// an Objects source publishes them under, and the factor applied: rates
// are shares in status and percentages here. Durations are published in
// days. A metric without a value (too small a sample) is not published,
// so the rules reading it stay unknown.
var programMetrics = map[string]struct {
	name   string
	factor float64
}{
	partners.MetricActivationRate:        {"partnersActivationRatePercent", 100},
	partners.MetricRetentionRate:         {"partnersRetentionRatePercent", 100},
	partners.MetricAutomationSuccessRate: {"partnersAutomationSuccessRatePercent", 100},
	partners.MetricConversionRate:        {"partnersConversionRatePercent", 100},
	partners.MetricRevenuePerSupportHour: {"partnersRevenuePerSupportHour", 1},
	partners.MetricReferralsPerPartner:   {"partnersReferralsPerPartner", 1},
	partners.MetricOnboardingP50:         {"partnersOnboardingP50Days", 1},
	partners.MetricOnboardingP90:         {"partnersOnboardingP90Days", 1},
}

// supportStages are the SupportPlan stages in order; SupportStageIndex is
// a stage's position plus one.
var supportStages = []v1alpha1.SupportStage{
	v1alpha1.StagePreRevenue, v1alpha1.StageRevenueTransition, v1alpha1.StageRevenueGeneration,
}

// SupportPlanEvaluated says whether a plan has figures to publish: it was
// evaluated once and has a projection.
func SupportPlanEvaluated(plan *v1alpha1.SupportPlan) bool {
	return plan.Status.ObservedGeneration > 0 && plan.Status.Projection != nil
}

// PartnerProgramEvaluated says whether a program has figures to publish.
func PartnerProgramEvaluated(prog *v1alpha1.PartnerProgram) bool {
	return prog.Status.ObservedGeneration > 0
}

// SupportSamples are the metrics of an evaluated SupportPlan (see
// SupportPlanEvaluated). Their ObservedAt is zero: the time the source
// first saw a value, kept while it does not change, so re-publishing an
// unchanged plan writes nothing.
func SupportSamples(plan *v1alpha1.SupportPlan) []Sample {
	st := plan.Status
	p := st.Projection
	if p == nil {
		return nil
	}
	nextPeakGap := int32(0)
	if len(p.Peaks) > 0 {
		nextPeakGap = p.Peaks[0].Gap
	}
	out := []Sample{
		{Name: SupportHeroes, Value: float64(st.Heroes)},
		{Name: SupportRequiredHeroes, Value: float64(st.RequiredHeroes)},
		{Name: SupportRequiredHeroesNow, Value: float64(p.RequiredHeroesNow)},
		{Name: SupportCapacityGap, Value: float64(max(0, p.RequiredHeroesNow-st.Heroes))},
		{Name: SupportHorizonCapacityGap, Value: float64(p.CapacityGap)},
		{Name: SupportNextPeakGap, Value: float64(nextPeakGap)},
		{Name: SupportDemandPerWeek, Value: p.DemandNow},
		{Name: SupportDeflectionPercent, Value: percent(1 - p.HeroContactShare)},
		{Name: SupportPhoneVideoSharePercent, Value: percent(p.PhoneVideoShare)},
		{Name: SupportVolumePerHero, Value: p.VolumePerHero},
		{Name: SupportHoursPerHero, Value: p.HoursPerHero},
		{Name: SupportStageIndex, Value: float64(slices.Index(supportStages, v1alpha1.SupportStage(st.CurrentStage)) + 1)},
	}
	return guard(out)
}

// PartnerSamples are the metrics of an evaluated PartnerProgram (see
// PartnerProgramEvaluated), with zero ObservedAt as SupportSamples.
func PartnerSamples(prog *v1alpha1.PartnerProgram) []Sample {
	st := prog.Status
	out := []Sample{
		{Name: PartnersTotal, Value: float64(st.Partners)},
		{Name: PartnersActive, Value: float64(st.Active)},
	}
	for i, s := range prog.Spec.Expansion.Stages {
		if s.Name == st.Stage {
			out = append(out, Sample{Name: PartnersStageIndex, Value: float64(i + 1)})
			break
		}
	}
	switch st.Expansion {
	case "Open":
		out = append(out, Sample{Name: PartnersExpansionOpen, Value: 1})
	case "Closed":
		out = append(out, Sample{Name: PartnersExpansionOpen, Value: 0})
	}
	for _, m := range st.Metrics {
		to, ok := programMetrics[m.Name]
		switch {
		case !ok:
		case m.Value != nil:
			out = append(out, Sample{Name: to.name, Value: round2(*m.Value * to.factor)})
		case m.Duration != nil:
			out = append(out, Sample{Name: to.name, Value: round2(m.Duration.Hours() / 24)})
		}
	}
	return guard(out)
}

// guard turns a value no rule can use into that metric's error, with the
// same finiteness check the polled providers apply: the status never holds
// a NaN or an infinity, whatever an object's status holds.
func guard(samples []Sample) []Sample {
	for i, s := range samples {
		if err := finite(s.Value); err != nil {
			samples[i] = Sample{Name: s.Name, Err: fmt.Errorf("%s: %w", s.Name, err)}
		}
	}
	return samples
}

// percent is a share in percent, rounded to 0.01 (shares are rounded to
// 0.01 in status, so 1 - 0.88 lands on 12, not 11.999999999999996).
func percent(share float64) float64 { return round2(share * 100) }

func round2(v float64) float64 { return math.Round(v*100) / 100 }
