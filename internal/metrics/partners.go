package metrics

import (
	"strconv"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

// phases are the values of the phase label.
var phases = []v1alpha1.PartnerPhase{
	v1alpha1.PhaseWaitlisted, v1alpha1.PhaseOnboarding, v1alpha1.PhaseActive, v1alpha1.PhaseInactive, v1alpha1.PhaseChurned,
}

// programMetrics are the values of the metric label: the names
// internal/partners computes. Any other name in a status is left out.
var programMetrics = map[string]bool{
	partners.MetricActivationRate: true, partners.MetricOnboardingP50: true, partners.MetricOnboardingP90: true,
	partners.MetricRevenuePerSupportHour: true, partners.MetricAutomationSuccessRate: true,
	partners.MetricRetentionRate: true, partners.MetricConversionRate: true, partners.MetricReferralsPerPartner: true,
}

// program emits a PartnerProgram's gauges.
func (e *emitter) program(p *v1alpha1.PartnerProgram) {
	ns, name, st := p.Namespace, p.Name, &p.Status
	e.ready("PartnerProgram", ns, name, st.Conditions)
	byPhase := map[string]int32{}
	for _, c := range st.ByPhase {
		byPhase[c.Name] = c.Count
	}
	for _, ph := range phases {
		e.gauge(descProgramPartners, float64(byPhase[string(ph)]), ns, name, string(ph))
	}
	seen := map[string]bool{}
	for i := range st.Metrics {
		m := &st.Metrics[i]
		if !programMetrics[m.Name] || seen[m.Name] {
			continue
		}
		seen[m.Name] = true
		e.gauge(descProgramSample, float64(m.Sample), ns, name, m.Name)
		switch {
		case m.Value != nil:
			e.gauge(descProgramMetric, *m.Value, ns, name, m.Name)
		case m.Duration != nil:
			e.gauge(descProgramMetric, m.Duration.Seconds(), ns, name, m.Name)
		}
		if t, ok := targetValue(m.Target); ok {
			e.gauge(descProgramTarget, t, ns, name, m.Name)
		}
		if m.Met != nil {
			e.gauge(descProgramMet, boolValue(*m.Met), ns, name, m.Name)
		}
	}
	if pos, ok := stagePosition(p); ok {
		e.gauge(descProgramStage, pos, ns, name)
	}
	if st.ObservedGeneration > 0 {
		e.gauge(descProgramCapacity, float64(st.Capacity), ns, name)
		e.gauge(descProgramRisks, float64(len(st.Risks)), ns, name)
	}
	e.taskCounts(descProgramTasks, "PartnerProgram", ns, name, st.Tasks)
}

// targetValue reads a program metric's target: a number, or a duration
// (in seconds).
func targetValue(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v, true
	}
	if d, err := time.ParseDuration(s); err == nil {
		return d.Seconds(), true
	}
	return 0, false
}

// stagePosition is the position of status.stage among the spec's stages,
// 1 for the first, or 0 for "open".
func stagePosition(p *v1alpha1.PartnerProgram) (float64, bool) {
	for i, s := range p.Spec.Expansion.Stages {
		if s.Name == p.Status.Stage {
			return float64(i + 1), true
		}
	}
	return 0, p.Status.Stage == "open"
}
