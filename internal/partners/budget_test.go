package partners

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// TestLargestProgramStatusFitsBudget: a program at the schema's limits
// (ten types with the longest names and three tiers, twenty steps, every
// target) and partners that raise every risk give metrics and risks that,
// with every other list of the status filled to its limit with the
// longest strings, encode under 256 KiB. A Partner's status is smaller
// still.
func TestLargestProgramStatusFitsBudget(t *testing.T) {
	prog := program()
	prog.PartnerTypes = nil
	for i := range 10 {
		prog.PartnerTypes = append(prog.PartnerTypes, v1alpha1.PartnerType{
			Name: fmt.Sprintf("T%02d%s", i, strings.Repeat("t", 60)), Role: strings.Repeat("r", 512),
			RevenueShare: v1alpha1.RevenueShare{Tiers: []v1alpha1.RevenueTier{{Percent: 1}, {FromRevenue: 1e14, Percent: float64(10 + i)}, {FromRevenue: 1e15, Percent: float64(5 + 9*i)}}},
		})
	}
	prog.Onboarding.Steps = nil
	for i := range 20 {
		prog.Onboarding.Steps = append(prog.Onboarding.Steps, v1alpha1.OnboardingStep{Name: fmt.Sprintf("s%02d-%s", i, strings.Repeat("s", 59))})
	}
	prog.Targets = v1alpha1.PartnerTargets{
		ActivationRate: ptr(0.99), OnboardingP50: dur(Day), OnboardingP90: dur(Day), RevenuePerSupportHour: ptr(1e15),
		AutomationSuccessRate: ptr(0.99), RetentionRate: ptr(0.99), ConversionRate: ptr(0.99), ReferralsPerPartner: ptr(1e9),
	}
	var ps []*v1alpha1.Partner
	for i := range 60 {
		kind := prog.PartnerTypes[i%10].Name
		joined := ago(200 * Day)
		opts := []func(*v1alpha1.Partner){ofType(kind), results(v1alpha1.PartnerResults{
			Revenue: 1e15 / float64(i%10+1), SupportHours: 1e-3, Visits: 1 << 40, Conversions: 1, Referrals: 1 << 40, AutomatedTasks: 1, ManualTasks: 1 << 40,
		})}
		if i%2 == 0 {
			opts = append(opts, step(prog.Onboarding.Steps[0].Name, joined.Add(Day)))
		} else {
			opts = append(opts, onboarded(joined.Add(100*Day)), contributed(joined.Add(150*Day)))
		}
		ps = append(ps, partner(fmt.Sprintf("p%02d", i), joined, opts...))
	}
	states := deriveAll(prog, ps)
	st := v1alpha1.PartnerProgramStatus{
		ObservedGeneration: 1 << 40, Partners: 1 << 30, Active: 1 << 30, Activation: strings.Repeat("9", 16), Retention: strings.Repeat("9", 16),
		Stage: strings.Repeat("s", 63), Capacity: 1000000, TargetsHeldSince: mt(now), Expansion: "Closed",
		Tasks:   &v1alpha1.TaskCounts{Open: 500, Resolved: 500, HeldBack: 500},
		Metrics: Metrics(ps, states, prog, -1, now),
		Risks:   Risks(prog, ps, states, nil),
	}
	if len(st.Risks) != 3 {
		t.Errorf("risks %v, want all three", st.Risks)
	}
	for len(st.Metrics) < 10 {
		st.Metrics = append(st.Metrics, v1alpha1.ProgramMetric{Name: strings.Repeat("n", 63), Value: ptr(-1.2345678901234567e-300),
			Sample: 1 << 30, Target: strings.Repeat("9", 32), Met: ptr(false), Note: strings.Repeat("n", 256)})
	}
	for len(st.Risks) < 10 {
		st.Risks = append(st.Risks, v1alpha1.Risk{Name: strings.Repeat("r", 63), Message: strings.Repeat("<", 512)})
	}
	for i := range 20 {
		c := v1alpha1.CountByName{Name: strings.Repeat("n", 63), Count: 1 << 30}
		st.ByType = append(st.ByType, c)
		if i < 5 {
			st.ByPhase = append(st.ByPhase, c)
		}
	}
	at := metav1.NewTime(now)
	for i := range 8 {
		st.Conditions = append(st.Conditions, metav1.Condition{Type: fmt.Sprintf("Condition%02d", i), Status: metav1.ConditionFalse,
			Reason: strings.Repeat("R", 64), Message: strings.Repeat("m", 1024), LastTransitionTime: at, ObservedGeneration: 1 << 40})
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) >= 256<<10 {
		t.Errorf("program status takes %d bytes, want under %d", len(b), 256<<10)
	}

	pst := v1alpha1.PartnerStatus{ObservedGeneration: 1 << 40, Phase: v1alpha1.PhaseOnboarding, OnboardingProgress: "20/20",
		TimeToActivation: dur(1 << 62), AdmittedAt: mt(now), Conditions: st.Conditions}
	pb, err := json.Marshal(pst)
	if err != nil {
		t.Fatal(err)
	}
	if len(pb) >= 256<<10 {
		t.Errorf("partner status takes %d bytes, want under %d", len(pb), 256<<10)
	}
	t.Logf("program status %d bytes, partner status %d bytes", len(b), len(pb))
}
