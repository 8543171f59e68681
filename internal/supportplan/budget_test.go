package supportplan

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

// longRule is a 1024-character stage rule that reads metrics of rule i,
// each with the longest name a rule may read, and fails when they are 1.
func longRule(i int) string {
	var b strings.Builder
	for k := 0; b.Len() < 900; k++ {
		fmt.Fprintf(&b, "metrics.%s < 0.0 || ", ruleMetric(i, k))
	}
	pad := 1024 - b.Len() - len("'' == 'x'")
	return b.String() + "'" + strings.Repeat("x", pad) + "' == 'x'"
}

func ruleMetric(i, k int) string {
	name := fmt.Sprintf("r%02d_m%02d_", i, k)
	return name + strings.Repeat("x", 63-len(name))
}

// TestLargestPlanStatusFitsBudget: a plan with every list of its status
// at the schema's limit (30 peaks with the longest names, each and today
// with three levers whose reasons are as long as the schema allows; more blocking
// rules than the 30 the status lists, each 1024 characters long reading
// metrics from the longest source names; ten conditions with the longest
// message the controllers write) has a status under 256 KiB, and says how
// many blocking rules it left out.
func TestLargestPlanStatusFitsBudget(t *testing.T) {
	spec := baseSpec()
	spec.Stages = []v1alpha1.StageRules{{Stage: v1alpha1.StagePreRevenue}}
	metrics := maturity.Metrics{}
	source := strings.Repeat("s", 253)
	for i := range 10 {
		spec.Stages[0].Rules = append(spec.Stages[0].Rules, v1alpha1.NamedRule{
			Name: fmt.Sprintf("rule-%02d-%s", i, strings.Repeat("r", 55)), Rule: longRule(i),
		})
		for k := range 20 {
			metrics[ruleMetric(i, k)] = maturity.Metric{Value: 1, Source: source}
		}
	}
	model, errs := maturity.Compile(StageModel(spec))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	r := model.Evaluate(metrics, 2)
	for len(r.Blocking) < 40 { // beyond what ten rules a stage can block
		r.Blocking = append(r.Blocking, r.Blocking[len(r.Blocking)%10])
	}

	start := date(2026, time.January, 1)
	// Every gap with its three levers, the reasons at the schema's 256
	// characters.
	reason := strings.Repeat("r", 256)
	levers := &support.Levers{Heroes: support.MaxHeroes, Hire: support.LeverOption{Possible: true},
		Deflect: support.LeverOption{Reason: reason}, DeflectionNow: 0.12345, DeflectionNeeded: 0.98765,
		Shift: support.LeverOption{Reason: reason}, ShiftShare: 0.98765, AsyncMinutes: 1234.5678, Proposed: support.LeverShiftChannels}
	p := support.Projection{NowLevers: levers}
	for i := range 40 {
		p.Peaks = append(p.Peaks, support.PeakProjection{
			Name: fmt.Sprintf("peak-%02d-%s", i, strings.Repeat("p", 32)), Start: start, End: start, HireBy: start,
			WeeklyDemand: 1.2345678901234567e53, RequiredHeroes: support.MaxHeroes, Gap: support.MaxHeroes, HireNow: true,
			Levers: levers,
		})
	}
	p.NextPeak = &p.Peaks[0]

	st := &v1alpha1.SupportPlanStatus{ObservedGeneration: 1 << 40, Heroes: 100000, Tasks: &v1alpha1.TaskCounts{Open: 500, Resolved: 500, HeldBack: 500}}
	ApplyStatus(st, support.Input{Heroes: 100000}, p)
	ApplyStages(st, model, r)
	at := metav1.NewTime(start)
	for i := range 10 {
		st.Conditions = append(st.Conditions, metav1.Condition{Type: fmt.Sprintf("Condition%02d", i), Status: metav1.ConditionFalse,
			Reason: strings.Repeat("R", 64), Message: strings.Repeat("m", 1024), LastTransitionTime: at, ObservedGeneration: 1 << 40})
	}

	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) >= 256<<10 {
		t.Errorf("status takes %d bytes, want under %d", len(b), 256<<10)
	}
	if len(st.Projection.Peaks) != maxPeaks || len(st.Blocking) == 0 || len(st.Blocking)+int(st.BlockingOmitted) != 40 {
		t.Errorf("peaks %d, blocking %d and %d omitted; want %d peaks and 40 blocking rules in all",
			len(st.Projection.Peaks), len(st.Blocking), st.BlockingOmitted, maxPeaks)
	}
	t.Logf("status %d bytes; %d blocking rules shown, %d left out", len(b), len(st.Blocking), st.BlockingOmitted)
}
