package partners

import (
	"fmt"
	"slices"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Metric names, in the order Metrics returns them.
const (
	MetricActivationRate        = "activationRate"
	MetricOnboardingP50         = "onboardingP50"
	MetricOnboardingP90         = "onboardingP90"
	MetricRevenuePerSupportHour = "revenuePerSupportHour"
	MetricAutomationSuccessRate = "automationSuccessRate"
	MetricRetentionRate         = "retentionRate"
	MetricConversionRate        = "conversionRate"
	MetricReferralsPerPartner   = "referralsPerPartner"
)

// tally is one pass over the partners.
type tally struct {
	// activatedBy and retainedBy are the latest clock start and join time
	// old enough for the activation and retention samples; gradual says
	// the program has a waitlist (see clockStart).
	activatedBy, retainedBy     time.Time
	aw, rw                      time.Duration
	gradual                     bool
	activationSample, activated int
	onboarding                  []time.Duration
	revenueSample               int
	revenue, supportHours       float64
	automationSample            int
	automated, manual           float64
	retentionSample, retained   int
	conversionSample            int
	conversions, visits         float64
	active                      int
	referrals                   float64
}

// Metrics computes the program's metrics over its partners; states[i] is
// partners[i]'s state (from Derive). Every metric comes with its sample;
// below the program's minSample (default 5) it has no value, only the note
// "too few partners (3 < 5)", never a 0 or 100% from two partners.
//
//   - activationRate: of the partners not Waitlisted whose clock started at
//     least activationWindow ago, the share whose first contribution came
//     within activationWindow of that start. A partner joined yesterday is
//     not in the sample of a 30-day rate.
//   - onboardingP50, onboardingP90: nearest-rank percentiles of the time
//     from the clock start to the last completed step, over onboarded
//     partners: a duration rounded up to whole minutes, against the spec's
//     duration, both written the same way ("266h48m0s", "240h0m0s").
//     They have a Duration and no Value.
//   - revenuePerSupportHour: total revenue over support hours, which are
//     supportHoursOverride when it is >= 0 (a ticketing system's figure)
//     and the partners' sum otherwise; no value without support hours. The
//     sample is the partners with revenue or support hours.
//   - automationSuccessRate: automated over all workflow tasks, over the
//     partners with any task.
//   - retentionRate: of the partners not Waitlisted that joined at least
//     retentionWindow ago, the share not Churned or that left only after
//     retentionWindow from joining.
//   - conversionRate: conversions over visits, over the partners with visits.
//   - referralsPerPartner: the Active partners' referrals per Active partner.
//
// A partner's clock starts at joinedAt. In a Gradual program it starts at
// status.admittedAt instead when the partner was admitted later and did
// nothing before it (no completed step, no contribution): time on the
// waitlist is the program's choice, not slow onboarding or activation, and
// counting it would fail the very targets that open the next stage for
// every partner the last stage let in, so the program could never grow
// again. An admittedAt after the partner's first action (the operator
// installed over an existing program) is bookkeeping: joinedAt stays. An
// Open program has no waitlist: joinedAt always.
func Metrics(partners []*v1alpha1.Partner, states []State, prog *v1alpha1.PartnerProgramSpec, supportHoursOverride float64, now time.Time) []v1alpha1.ProgramMetric {
	n := min(len(partners), len(states))
	aw, rw := activationWindow(prog), retentionWindow(prog)
	t := tally{
		activatedBy: now.Add(-aw), retainedBy: now.Add(-rw), aw: aw, rw: rw,
		gradual:    prog.Expansion.Mode == v1alpha1.ExpansionGradual && len(prog.Expansion.Stages) > 0,
		onboarding: make([]time.Duration, 0, n),
	}
	for i := range n {
		if partners[i] != nil {
			t.add(partners[i], states[i])
		}
	}
	hours := t.supportHours
	if supportHoursOverride >= 0 {
		hours = supportHoursOverride
	}
	slices.Sort(t.onboarding)
	j := judge{min: minSample(prog)}
	tg := prog.Targets
	ms := []v1alpha1.ProgramMetric{
		j.ratio(MetricActivationRate, t.activationSample, float64(t.activated), float64(t.activationSample), tg.ActivationRate),
		j.percentile(MetricOnboardingP50, t.onboarding, 50, tg.OnboardingP50),
		j.percentile(MetricOnboardingP90, t.onboarding, 90, tg.OnboardingP90),
		j.ratio(MetricRevenuePerSupportHour, t.revenueSample, t.revenue, hours, tg.RevenuePerSupportHour),
		j.ratio(MetricAutomationSuccessRate, t.automationSample, t.automated, t.automated+t.manual, tg.AutomationSuccessRate),
		j.ratio(MetricRetentionRate, t.retentionSample, float64(t.retained), float64(t.retentionSample), tg.RetentionRate),
		j.ratio(MetricConversionRate, t.conversionSample, t.conversions, t.visits, tg.ConversionRate),
		j.ratio(MetricReferralsPerPartner, t.active, t.referrals, float64(t.active), tg.ReferralsPerPartner),
	}
	// The windows of the two windowed rates, for people and for Gaps' titles.
	if ms[0].Value != nil {
		ms[0].Note = fmt.Sprintf(windowNote, days(aw))
		if t.gradual {
			ms[0].Note += " (or from admission after a waitlist)"
		}
	}
	if ms[5].Value != nil {
		ms[5].Note = fmt.Sprintf(windowNote, days(rw))
	}
	return ms
}

// windowNote is the note of the two windowed rates when they have a
// value; Gaps reads the days back for its titles.
const windowNote = "window %s days from joining"

// add counts one partner.
func (t *tally) add(p *v1alpha1.Partner, s State) {
	r, a := p.Spec.Results, p.Spec.Activity
	start := p.Spec.JoinedAt.Time
	if t.gradual {
		start = clockStart(p)
	}
	if s.Phase != v1alpha1.PhaseWaitlisted {
		if !start.After(t.activatedBy) {
			t.activationSample++
			if a.FirstContributionAt != nil && a.FirstContributionAt.Sub(start) <= t.aw {
				t.activated++
			}
		}
		if joined := p.Spec.JoinedAt.Time; !joined.After(t.retainedBy) {
			t.retentionSample++
			if s.Phase != v1alpha1.PhaseChurned || (a.LeftAt != nil && a.LeftAt.After(joined.Add(t.rw))) {
				t.retained++
			}
		}
	}
	if s.Onboarded && s.OnboardedAt != nil {
		t.onboarding = append(t.onboarding, max(s.OnboardedAt.Sub(start), 0))
	}
	if r.Revenue > 0 || r.SupportHours > 0 {
		t.revenueSample++
		t.revenue += r.Revenue
		t.supportHours += r.SupportHours
	}
	if r.AutomatedTasks > 0 || r.ManualTasks > 0 {
		t.automationSample++
		t.automated += float64(r.AutomatedTasks)
		t.manual += float64(r.ManualTasks)
	}
	if r.Visits > 0 {
		t.conversionSample++
		t.conversions += float64(r.Conversions)
		t.visits += float64(r.Visits)
	}
	if s.Phase == v1alpha1.PhaseActive {
		t.active++
		t.referrals += float64(r.Referrals)
	}
}

// clockStart is when a partner's onboarding and activation clock starts in
// a Gradual program: see Metrics.
func clockStart(p *v1alpha1.Partner) time.Time {
	joined, admitted := p.Spec.JoinedAt.Time, p.Status.AdmittedAt
	if admitted == nil || !admitted.After(joined) {
		return joined
	}
	first := p.Spec.Activity.FirstContributionAt
	for i := range p.Spec.Onboarding.Completed {
		if c := &p.Spec.Onboarding.Completed[i].At; first == nil || c.Before(first) {
			first = c
		}
	}
	if first != nil && admitted.After(first.Time) {
		return joined
	}
	return admitted.Time
}

// judge turns a sample into a metric, with the program's minimum sample.
type judge struct{ min int }

// base is the metric with its sample and target, and the note when the
// sample is too small to judge.
func (j judge) base(name string, sample int, target string) (v1alpha1.ProgramMetric, bool) {
	m := v1alpha1.ProgramMetric{Name: name, Sample: int32(min(sample, 1<<31-1)), Target: target}
	if sample < j.min {
		m.Note = fmt.Sprintf("too few partners (%d < %d)", sample, j.min)
		return m, false
	}
	return m, true
}

// ratio is num/den, met when at least the target.
func (j judge) ratio(name string, sample int, num, den float64, target *float64) v1alpha1.ProgramMetric {
	var tgt string
	if target != nil {
		tgt = formatNumber(*target)
	}
	m, ok := j.base(name, sample, tgt)
	if !ok {
		return m
	}
	if den <= 0 {
		m.Note = "undefined: nothing to divide by"
		if name == MetricRevenuePerSupportHour {
			m.Note = "no support hours recorded"
		}
		return m
	}
	// The one finiteness check, after the last arithmetic: what reaches
	// the status is a number or a note, never an infinity. Totals that
	// overflowed are caught here too (Inf/x, x/Inf, Inf/Inf).
	v := round4(num / den)
	if !finite(num) || !finite(den) || !finite(v) {
		m.Note = overflowNote
		return m
	}
	m.Value = &v
	if target != nil {
		met := v >= *target-1e-9
		m.Met = &met
	}
	return m
}

// percentile is the nearest-rank p-th percentile of sorted durations, as
// the status shows it (see shown), met when at most the target duration.
func (j judge) percentile(name string, sorted []time.Duration, p int, target *metav1.Duration) v1alpha1.ProgramMetric {
	var tgt string
	if target != nil {
		tgt = target.Duration.String()
	}
	m, ok := j.base(name, len(sorted), tgt)
	if !ok {
		return m
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 * n), at least 1
	v := shown(sorted[rank-1])
	m.Duration = &metav1.Duration{Duration: v}
	if target != nil {
		met := v <= target.Duration
		m.Met = &met
	}
	return m
}

// TargetsMet says whether every metric with a target meets it. A target
// whose metric has no value (too few partners, or undefined) is not met:
// the next stage opens on evidence only. Without any target, true.
func TargetsMet(ms []v1alpha1.ProgramMetric) bool {
	for _, m := range ms {
		if m.Target != "" && (m.Met == nil || !*m.Met) {
			return false
		}
	}
	return true
}

// metricDuration is the duration of the named metric, if it has one.
func metricDuration(ms []v1alpha1.ProgramMetric, name string) (time.Duration, bool) {
	for _, m := range ms {
		if m.Name == name && m.Duration != nil {
			return m.Duration.Duration, true
		}
	}
	return 0, false
}
