package partners

import (
	"fmt"
	"math"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// now is the clock of every test.
var now = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

func ago(d time.Duration) time.Time { return now.Add(-d) }

func mt(t time.Time) *metav1.Time { m := metav1.NewTime(t); return &m }

func ptr[T any](v T) *T { return &v }

func dur(d time.Duration) *metav1.Duration { return &metav1.Duration{Duration: d} }

// program is a lean program: two flat-share types, three steps, defaults.
func program() *v1alpha1.PartnerProgramSpec {
	return &v1alpha1.PartnerProgramSpec{
		Business: "Acme",
		PartnerTypes: []v1alpha1.PartnerType{
			{Name: "Affiliate", RevenueShare: v1alpha1.RevenueShare{Percent: ptr(10.0)}},
			{Name: "Distributor", RevenueShare: v1alpha1.RevenueShare{Percent: ptr(20.0)}},
		},
		Onboarding: v1alpha1.Onboarding{Steps: []v1alpha1.OnboardingStep{{Name: "contract"}, {Name: "training"}, {Name: "listing"}}},
	}
}

// partner joined at joined, of the first type, with options applied.
func partner(name string, joined time.Time, opts ...func(*v1alpha1.Partner)) *v1alpha1.Partner {
	p := &v1alpha1.Partner{}
	p.Name = name
	p.Spec.Type = "Affiliate"
	p.Spec.JoinedAt = metav1.NewTime(joined)
	for _, o := range opts {
		o(p)
	}
	return p
}

func ofType(t string) func(*v1alpha1.Partner) { return func(p *v1alpha1.Partner) { p.Spec.Type = t } }

// done completes the program's first steps at the given times, in order.
func done(at ...time.Time) func(*v1alpha1.Partner) {
	names := []string{"contract", "training", "listing", "go-live"}
	return func(p *v1alpha1.Partner) {
		for i, t := range at {
			p.Spec.Onboarding.Completed = append(p.Spec.Onboarding.Completed, v1alpha1.CompletedStep{Step: names[i], At: metav1.NewTime(t)})
		}
	}
}

// step completes one named step.
func step(name string, at time.Time) func(*v1alpha1.Partner) {
	return func(p *v1alpha1.Partner) {
		p.Spec.Onboarding.Completed = append(p.Spec.Onboarding.Completed, v1alpha1.CompletedStep{Step: name, At: metav1.NewTime(at)})
	}
}

// onboarded completes all three steps, the last at t.
func onboarded(t time.Time) func(*v1alpha1.Partner) {
	return done(t.Add(-2*time.Hour), t.Add(-time.Hour), t)
}

func contributed(first time.Time) func(*v1alpha1.Partner) {
	return func(p *v1alpha1.Partner) { p.Spec.Activity.FirstContributionAt = mt(first) }
}

func lastActive(t time.Time) func(*v1alpha1.Partner) {
	return func(p *v1alpha1.Partner) { p.Spec.Activity.LastActivityAt = mt(t) }
}

func left(t time.Time) func(*v1alpha1.Partner) {
	return func(p *v1alpha1.Partner) { p.Spec.Activity.LeftAt = mt(t) }
}

func admittedAt(t time.Time) func(*v1alpha1.Partner) {
	return func(p *v1alpha1.Partner) { p.Status.AdmittedAt = mt(t) }
}

func results(r v1alpha1.PartnerResults) func(*v1alpha1.Partner) {
	return func(p *v1alpha1.Partner) { p.Spec.Results = r }
}

// deriveAll derives every partner's state, all admitted unless listed.
func deriveAll(prog *v1alpha1.PartnerProgramSpec, ps []*v1alpha1.Partner, waitlisted ...string) []State {
	states := make([]State, len(ps))
	for i, p := range ps {
		in := true
		for _, w := range waitlisted {
			in = in && p.Name != w
		}
		states[i] = Derive(p, prog, in, now)
	}
	return states
}

func metric(t *testing.T, ms []v1alpha1.ProgramMetric, name string) v1alpha1.ProgramMetric {
	t.Helper()
	for _, m := range ms {
		if m.Name == name {
			return m
		}
	}
	t.Fatalf("metric %s missing from %v", name, ms)
	return v1alpha1.ProgramMetric{}
}

// show prints a metric for failure messages.
func show(m v1alpha1.ProgramMetric) string {
	s := fmt.Sprintf("%s sample=%d target=%q note=%q", m.Name, m.Sample, m.Target, m.Note)
	if m.Value != nil {
		s += fmt.Sprintf(" value=%v", *m.Value)
	}
	if m.Duration != nil {
		s += fmt.Sprintf(" duration=%v", m.Duration.Duration)
	}
	if m.Met != nil {
		s += fmt.Sprintf(" met=%v", *m.Met)
	}
	return s
}

// checkFinite fails on any NaN or infinite value, on a metric with both a
// value and a duration, on an onboarding time given as a number, on a
// duration that is negative or not in whole minutes, and on a duration
// target not written the way the duration is.
func checkFinite(t *testing.T, ms []v1alpha1.ProgramMetric) {
	t.Helper()
	for _, m := range ms {
		if m.Value != nil && (math.IsNaN(*m.Value) || math.IsInf(*m.Value, 0)) {
			t.Errorf("%s is not finite", show(m))
		}
		timed := m.Name == MetricOnboardingP50 || m.Name == MetricOnboardingP90
		switch {
		case m.Value != nil && (m.Duration != nil || timed):
			t.Errorf("%s: a number for a metric measured in time", show(m))
		case m.Duration != nil && (m.Duration.Duration < 0 || m.Duration.Duration%time.Minute != 0):
			t.Errorf("%s: not in whole minutes", show(m))
		case timed && m.Target != "":
			if d, err := time.ParseDuration(m.Target); err != nil || d.String() != m.Target {
				t.Errorf("%s: target not written like a duration", show(m))
			}
		}
	}
}

// hasDuration says whether m is a metric measured in time with duration d.
func hasDuration(m v1alpha1.ProgramMetric, d time.Duration) bool {
	return m.Value == nil && m.Duration != nil && m.Duration.Duration == d
}
