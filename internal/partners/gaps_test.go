package partners

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

func TestGaps(t *testing.T) {
	missed := func(name string, value float64, target, note string) v1alpha1.ProgramMetric {
		return v1alpha1.ProgramMetric{Name: name, Value: &value, Target: target, Met: ptr(false), Note: note, Sample: 20}
	}
	ms := []v1alpha1.ProgramMetric{
		missed(MetricActivationRate, 0.42, "0.6", "window 30 days from joining (or from admission after a waitlist)"),
		{Name: MetricOnboardingP50, Duration: &metav1.Duration{Duration: 100 * time.Hour}, Target: "336h0m0s", Met: ptr(true)},
		{Name: MetricOnboardingP90, Duration: &metav1.Duration{Duration: 984 * time.Hour}, Target: "336h0m0s", Met: ptr(false), Sample: 20},
		{Name: MetricRevenuePerSupportHour, Target: "120", Note: "too few partners (3 < 5)"}, // no evidence, no task
		missed(MetricAutomationSuccessRate, 0.7, "0.9", ""),
		missed(MetricRetentionRate, 0.7, "0.85", "window 90 days from joining"),
		missed(MetricConversionRate, 0.012, "0.02", ""),
		missed(MetricReferralsPerPartner, 0.4, "1", ""),
	}
	risks := []v1alpha1.Risk{
		{Name: RiskOvercomplicatedStructure, Message: "9 onboarding steps, more than 7; 7 partner types, more than 6"},
		{Name: RiskOnboardingBottleneck, Message: "40% of onboarding partners stall at training; onboarding p90 is 41 days, more than 2x the 14-day target"},
	}
	want := []struct {
		key      tasks.Key
		title    string
		priority v1alpha1.Priority
	}{
		{tasks.Key{Stream: "metrics", Objective: "activation-rate", Level: "pilot"}, "Raise activation within 30 days from 42% to 60%", v1alpha1.PriorityHigh},
		{tasks.Key{Stream: "metrics", Objective: "onboarding-p90", Level: "pilot"}, "Cut onboarding p90 from 41 to 14 days", v1alpha1.PriorityHigh},
		{tasks.Key{Stream: "metrics", Objective: "automation-success-rate", Level: "pilot"}, "Raise workflow automation from 70% to 90%", v1alpha1.PriorityHigh},
		{tasks.Key{Stream: "metrics", Objective: "retention-rate", Level: "pilot"}, "Raise 90-day retention from 70% to 85%", v1alpha1.PriorityHigh},
		{tasks.Key{Stream: "metrics", Objective: "conversion-rate", Level: "pilot"}, "Raise partner conversion from 1.2% to 2%", v1alpha1.PriorityHigh},
		{tasks.Key{Stream: "metrics", Objective: "referrals-per-partner", Level: "pilot"}, "Raise referrals per active partner from 0.4 to 1", v1alpha1.PriorityHigh},
		{tasks.Key{Stream: "risks", Objective: "overcomplicated-structure", Level: "pilot"}, "Simplify the partner program: 9 onboarding steps, more than 7", v1alpha1.PriorityMedium},
		{tasks.Key{Stream: "risks", Objective: "onboarding-bottleneck", Level: "pilot"}, "Automate the training step: 40% of onboarding partners stall there", v1alpha1.PriorityHigh},
	}
	got := Gaps(ms, risks, "pilot")
	if len(got) != len(want) {
		for _, g := range got {
			t.Log(g.Key, g.Templates[0].Title)
		}
		t.Fatalf("got %d gaps, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Key != w.key || g.Owner != v1alpha1.OwnerPartnerManager || len(g.Templates) != 1 {
			t.Errorf("gap %d: key %v owner %s with %d templates, want %v PartnerManager with 1", i, g.Key, g.Owner, len(g.Templates), w.key)
			continue
		}
		if tp := g.Templates[0]; tp.Title != w.title || tp.Priority != w.priority || tp.Description == "" {
			t.Errorf("gap %d: %q %s, want %q %s with a description", i, tp.Title, tp.Priority, w.title, w.priority)
		}
	}
	if g := Gaps(ms[:0], []v1alpha1.Risk{{Name: RiskOnboardingBottleneck, Message: "onboarding p90 is 41 days, more than 2x the 14-day target"}}, "open"); len(g) != 1 ||
		g[0].Templates[0].Title != "Cut onboarding time: onboarding p90 is 41 days, more than 2x the 14-day target" {
		t.Errorf("p90-only bottleneck: %+v", g)
	}
	if g := Gaps(nil, nil, "pilot"); len(g) != 0 {
		t.Errorf("nothing missed opened %v", g)
	}
}

// The titles read their numbers from what Metrics and Risks write.
func TestGapsFromMetrics(t *testing.T) {
	prog := program()
	prog.Targets.ActivationRate, prog.Targets.ActivationWindow = ptr(0.9), dur(14*Day)
	prog.Targets.MinSample = ptr(int32(2))
	j := ago(40 * Day)
	ps := []*v1alpha1.Partner{partner("a", j, contributed(j.Add(Day))), partner("b", j), partner("c", j)}
	gaps := Gaps(Metrics(ps, deriveAll(prog, ps), prog, -1, now), nil, "pilot")
	if len(gaps) != 1 || gaps[0].Templates[0].Title != "Raise activation within 14 days from 33.3% to 90%" {
		t.Errorf("got %+v", gaps)
	}
}

func TestResolver(t *testing.T) {
	open := tasks.Key{Stream: "metrics", Objective: "activation-rate", Level: "pilot"}
	resolve := Resolver(Gaps([]v1alpha1.ProgramMetric{{Name: MetricActivationRate, Value: ptr(0.4), Target: "0.6", Met: ptr(false)}}, nil, "pilot"))
	if r := resolve(open); r.Resolved || r.Reason != v1alpha1.ReasonGapOpen {
		t.Errorf("open gap resolved: %+v", r)
	}
	for _, k := range []tasks.Key{
		{Stream: "metrics", Objective: "retention-rate", Level: "pilot"},
		{Stream: "metrics", Objective: "activation-rate", Level: "regional"}, // another stage
		{Stream: "risks", Objective: "activation-rate", Level: "pilot"},
	} {
		if r := resolve(k); !r.Resolved || r.Reason != v1alpha1.ReasonGapClosed {
			t.Errorf("%v not resolved: %+v", k, r)
		}
	}
}

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{
		"activationRate": "activation-rate", "onboardingP90": "onboarding-p90", "revenuePerSupportHour": "revenue-per-support-hour",
		"OvercomplicatedStructure": "overcomplicated-structure", "retention": "retention",
	} {
		if got := kebab(in); got != want {
			t.Errorf("kebab(%q) = %q, want %q", in, got, want)
		}
	}
}
