package partners

import (
	"fmt"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var metricOrder = []string{
	MetricActivationRate, MetricOnboardingP50, MetricOnboardingP90, MetricRevenuePerSupportHour,
	MetricAutomationSuccessRate, MetricRetentionRate, MetricConversionRate, MetricReferralsPerPartner,
}

func TestMetricsEmptyProgram(t *testing.T) {
	prog := program()
	prog.Targets.ActivationRate, prog.Targets.OnboardingP90 = ptr(0.6), dur(14*Day)
	ms := Metrics(nil, nil, prog, -1, now)
	if len(ms) != len(metricOrder) {
		t.Fatalf("got %d metrics, want %d", len(ms), len(metricOrder))
	}
	for i, m := range ms {
		if m.Name != metricOrder[i] {
			t.Errorf("metric %d is %s, want %s", i, m.Name, metricOrder[i])
		}
		if m.Value != nil || m.Met != nil || m.Sample != 0 || m.Note != "too few partners (0 < 5)" {
			t.Errorf("empty program: %s", show(m))
		}
	}
	if ms[0].Target != "0.6" || ms[2].Target != "336h0m0s" {
		t.Errorf("targets %q and %q, want 0.6 and 336h0m0s", ms[0].Target, ms[2].Target)
	}
	if TargetsMet(ms) {
		t.Error("targets without evidence are met")
	}
}

func TestMetricsActivation(t *testing.T) {
	prog := program()
	prog.Targets.ActivationRate = ptr(0.6)
	old := ago(40 * Day)
	ps := []*v1alpha1.Partner{
		partner("a", old, contributed(old.Add(Day))),
		partner("b", old, contributed(old.Add(30*Day))), // exactly the window: counts
		partner("c", ago(30*Day), contributed(now)),     // joined exactly 30 days ago: in the sample
		partner("d", old, contributed(old.Add(30*Day+time.Second))),
		partner("e", old),
		partner("f", old, left(old.Add(Day))),            // churned, never contributed: in the sample
		partner("yesterday", ago(Day), contributed(now)), // too recent: not in the sample
		partner("waiting", old, contributed(old.Add(Day))),
	}
	ms := Metrics(ps, deriveAll(prog, ps, "waiting"), prog, -1, now)
	m := metric(t, ms, MetricActivationRate)
	if m.Sample != 6 || m.Value == nil || *m.Value != 0.5 || m.Met == nil || *m.Met {
		t.Errorf("got %s, want 3/6 = 0.5, not met", show(m))
	}
	if m.Note != "window 30 days from joining" {
		t.Errorf("note %q", m.Note)
	}
	prog.Targets.ActivationRate = ptr(0.5)
	if m := metric(t, Metrics(ps, deriveAll(prog, ps, "waiting"), prog, -1, now), MetricActivationRate); m.Met == nil || !*m.Met {
		t.Errorf("a value equal to its target is met: %s", show(m))
	}
}

// A partner who waited for a seat of a Gradual program starts its clock at
// admission; one admitted after it had already started (the operator
// installed over an existing program) keeps joinedAt, and so does every
// partner of an Open program.
func TestMetricsClockStartsAtAdmissionAfterAWaitlist(t *testing.T) {
	prog := gradual()
	prog.Targets.MinSample = ptr(int32(1))
	joined := ago(100 * Day)
	admitted := ago(40 * Day)
	waited := partner("waited", joined, admittedAt(admitted), onboarded(admitted.Add(5*Day)), contributed(admitted.Add(10*Day)))
	ms := Metrics([]*v1alpha1.Partner{waited}, deriveAll(prog, []*v1alpha1.Partner{waited}), prog, -1, now)
	if m := metric(t, ms, MetricActivationRate); m.Value == nil || *m.Value != 1 || m.Note != "window 30 days from joining (or from admission after a waitlist)" {
		t.Errorf("activation after a waitlist: %s, want 1", show(m))
	}
	if m := metric(t, ms, MetricOnboardingP50); !hasDuration(m, 120*time.Hour) {
		t.Errorf("onboarding after a waitlist: %s, want 120 hours", show(m))
	}
	existing := partner("existing", joined, admittedAt(now), onboarded(joined.Add(5*Day)), contributed(joined.Add(10*Day)))
	ms = Metrics([]*v1alpha1.Partner{existing}, deriveAll(prog, []*v1alpha1.Partner{existing}), prog, -1, now)
	if m := metric(t, ms, MetricOnboardingP50); !hasDuration(m, 120*time.Hour) || metric(t, ms, MetricActivationRate).Value == nil {
		t.Errorf("existing partner: %s, want 120 hours from joinedAt", show(m))
	}
	recent := []*v1alpha1.Partner{partner("recent", joined, admittedAt(ago(Day)))}
	ms = Metrics(recent, deriveAll(prog, recent), prog, -1, now)
	if m := metric(t, ms, MetricActivationRate); m.Sample != 0 {
		t.Errorf("admitted yesterday after a long wait is in the activation sample: %s", show(m))
	}
	open := program()
	open.Targets.MinSample = ptr(int32(1))
	ms = Metrics([]*v1alpha1.Partner{waited}, deriveAll(open, []*v1alpha1.Partner{waited}), open, -1, now)
	if m := metric(t, ms, MetricOnboardingP50); !hasDuration(m, 65*Day) {
		t.Errorf("open program: %s, want 65 days from joinedAt", show(m))
	}
	if m := metric(t, Metrics(recent, deriveAll(open, recent), open, -1, now), MetricActivationRate); m.Sample != 1 {
		t.Errorf("open program: %s, want the partner in the sample by joinedAt", show(m))
	}
}

func TestMetricsOnboardingPercentiles(t *testing.T) {
	prog := program()
	prog.Targets.OnboardingP50, prog.Targets.OnboardingP90 = dur(96*time.Hour), dur(150*time.Hour)
	var ps []*v1alpha1.Partner
	// Onboarding took 1..7 days (listed out of order); two partners still onboard.
	for _, d := range []int{5, 1, 7, 3, 2, 6, 4} {
		j := ago(60 * Day)
		ps = append(ps, partner(fmt.Sprint("p", d), j, onboarded(j.Add(time.Duration(d)*Day))))
	}
	ps = append(ps, partner("busy", ago(60*Day), done(ago(59*Day))), partner("new", ago(Day)))
	ms := Metrics(ps, deriveAll(prog, ps), prog, -1, now)
	// Nearest rank over 7: p50 is the ceil(3.5) = 4th (4 days), p90 the ceil(6.3) = 7th.
	p50, p90 := metric(t, ms, MetricOnboardingP50), metric(t, ms, MetricOnboardingP90)
	if p50.Sample != 7 || !hasDuration(p50, 96*time.Hour) || p50.Met == nil || !*p50.Met || p50.Target != "96h0m0s" {
		t.Errorf("p50: %s, want 96 hours, met", show(p50))
	}
	if !hasDuration(p90, 168*time.Hour) || p90.Met == nil || *p90.Met || p90.Target != "150h0m0s" {
		t.Errorf("p90: %s, want 168 hours, not met against 150h", show(p90))
	}
	// Ten values: p50 is the 5th, p90 the 9th.
	for _, d := range []int{8, 9, 10} {
		j := ago(60 * Day)
		ps = append(ps, partner(fmt.Sprint("q", d), j, onboarded(j.Add(time.Duration(d)*Day))))
	}
	ms = Metrics(ps, deriveAll(prog, ps), prog, -1, now)
	if m := metric(t, ms, MetricOnboardingP50); !hasDuration(m, 120*time.Hour) {
		t.Errorf("p50 of 1..10 days = %s, want 120 hours", show(m))
	}
	if m := metric(t, ms, MetricOnboardingP90); !hasDuration(m, 216*time.Hour) {
		t.Errorf("p90 of 1..10 days = %s, want 216 hours", show(m))
	}
	checkFinite(t, ms)
}

func TestMetricsRetention(t *testing.T) {
	prog := program()
	prog.Targets.RetentionRate = ptr(0.6)
	j := ago(120 * Day)
	ps := []*v1alpha1.Partner{
		partner("stays", j),
		partner("inactive", j, onboarded(j.Add(Day))),  // Inactive still counts as retained
		partner("leaves-later", j, left(now.Add(Day))), // not churned yet
		partner("left-after-window", j, left(j.Add(95*Day))),
		partner("left-at-window", j, left(j.Add(90*Day))),
		partner("left-early", j, left(j.Add(10*Day))),
		partner("exactly-90", ago(90*Day)),
		partner("recent-churn", ago(10*Day), left(ago(Day))), // too recent: not in the sample
		partner("waiting", j),
	}
	m := metric(t, Metrics(ps, deriveAll(prog, ps, "waiting"), prog, -1, now), MetricRetentionRate)
	if m.Sample != 7 || m.Value == nil || *m.Value != 0.7143 || m.Met == nil || !*m.Met {
		t.Errorf("got %s, want 5/7 = 0.7143, met", show(m))
	}
	if m.Note != "window 90 days from joining" {
		t.Errorf("note %q", m.Note)
	}
}

func TestMetricsRatios(t *testing.T) {
	j := ago(60 * Day)
	active := func(name string, r v1alpha1.PartnerResults) *v1alpha1.Partner {
		return partner(name, j, onboarded(j.Add(Day)), contributed(ago(Day)), results(r))
	}
	ps := []*v1alpha1.Partner{
		active("a", v1alpha1.PartnerResults{Revenue: 1000, SupportHours: 10, Visits: 100, Conversions: 5, Referrals: 2, AutomatedTasks: 8, ManualTasks: 2}),
		active("b", v1alpha1.PartnerResults{Revenue: 500, SupportHours: 5, Visits: 100, Conversions: 1, Referrals: 1, AutomatedTasks: 9, ManualTasks: 1}),
		active("c", v1alpha1.PartnerResults{SupportHours: 5, Visits: 50, Referrals: 0, AutomatedTasks: 1, ManualTasks: 9}),
		active("d", v1alpha1.PartnerResults{Revenue: 300, Visits: 50, Conversions: 4, AutomatedTasks: 2}),
		active("e", v1alpha1.PartnerResults{Revenue: 200, Visits: 100, Referrals: 3, ManualTasks: 8}),
		partner("idle", j, onboarded(j.Add(Day)), results(v1alpha1.PartnerResults{Referrals: 50})), // Inactive: its referrals do not count
	}
	prog := program()
	prog.Targets.RevenuePerSupportHour, prog.Targets.ConversionRate = ptr(100.0), ptr(0.02)
	prog.Targets.AutomationSuccessRate, prog.Targets.ReferralsPerPartner = ptr(0.5), ptr(1.0)
	states := deriveAll(prog, ps)
	tests := []struct {
		name     string
		override float64
		metric   string
		sample   int32
		value    *float64
		met      *bool
		note     string
	}{
		{"revenue over the partners' support hours", -1, MetricRevenuePerSupportHour, 5, ptr(100.0), ptr(true), ""},
		{"a ticketing system's hours replace them", 40, MetricRevenuePerSupportHour, 5, ptr(50.0), ptr(false), ""},
		{"no support hours, no value", 0, MetricRevenuePerSupportHour, 5, nil, nil, "no support hours recorded"},
		{"automation", -1, MetricAutomationSuccessRate, 5, ptr(0.5), ptr(true), ""},
		{"conversion over partners with visits", -1, MetricConversionRate, 5, ptr(0.025), ptr(true), ""},
		{"referrals per active partner", -1, MetricReferralsPerPartner, 5, ptr(1.2), ptr(true), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := Metrics(ps, states, prog, tt.override, now)
			checkFinite(t, ms)
			m := metric(t, ms, tt.metric)
			ok := m.Sample == tt.sample && m.Note == tt.note &&
				(m.Value == nil) == (tt.value == nil) && (m.Value == nil || *m.Value == *tt.value) &&
				(m.Met == nil) == (tt.met == nil) && (m.Met == nil || *m.Met == *tt.met)
			if !ok {
				t.Errorf("got %s, want sample %d value %v met %v note %q", show(m), tt.sample, deref(tt.value), deref(tt.met), tt.note)
			}
		})
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestMetricsTooFewPartners(t *testing.T) {
	prog := program()
	prog.Targets.AutomationSuccessRate = ptr(0.5)
	j := ago(200 * Day)
	var ps []*v1alpha1.Partner
	for i := range 3 {
		ps = append(ps, partner(fmt.Sprint("p", i), j, onboarded(j.Add(Day)), contributed(ago(Day)),
			results(v1alpha1.PartnerResults{Revenue: 10, SupportHours: 1, Visits: 10, Conversions: 1, Referrals: 1, AutomatedTasks: 1})))
	}
	ms := Metrics(ps, deriveAll(prog, ps), prog, -1, now)
	checkFinite(t, ms)
	for _, m := range ms {
		if m.Value != nil || m.Met != nil || m.Sample != 3 || m.Note != "too few partners (3 < 5)" {
			t.Errorf("three partners judged: %s", show(m))
		}
	}
	prog.Targets.MinSample = ptr(int32(3))
	m := metric(t, Metrics(ps, deriveAll(prog, ps), prog, -1, now), MetricAutomationSuccessRate)
	if m.Value == nil || *m.Value != 1 || m.Met == nil || !*m.Met {
		t.Errorf("minSample 3: %s, want 1, met", show(m))
	}
}

func TestTargetsMet(t *testing.T) {
	yes, no, v := ptr(true), ptr(false), ptr(0.5)
	tests := []struct {
		name string
		ms   []v1alpha1.ProgramMetric
		want bool
	}{
		{"no metrics", nil, true},
		{"no targets", []v1alpha1.ProgramMetric{{Name: "a", Value: v}, {Name: "b"}}, true},
		{"every target met", []v1alpha1.ProgramMetric{{Name: "a", Target: "0.4", Value: v, Met: yes}, {Name: "b", Value: v}}, true},
		{"one missed", []v1alpha1.ProgramMetric{{Name: "a", Target: "0.4", Value: v, Met: yes}, {Name: "b", Target: "0.6", Value: v, Met: no}}, false},
		{"a target without evidence", []v1alpha1.ProgramMetric{{Name: "a", Target: "0.4", Note: "too few partners (3 < 5)"}}, false},
	}
	for _, tt := range tests {
		if got := TargetsMet(tt.ms); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
