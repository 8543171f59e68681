package maturity

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// twoObjectives: a on x and b on y, one rule per level above Startup, both
// with a project at every level.
func twoObjectives() *v1alpha1.MaturityModelSpec {
	o := func(name, metric string) v1alpha1.Objective {
		ob := obj(name, []string{"Cost"},
			crit("GrowingPains", "metrics."+metric+" >= 1"),
			crit("HighPerformance", "metrics."+metric+" >= 2"),
			crit("EnterpriseGrade", "metrics."+metric+" >= 3"))
		for _, l := range fourLevels[1:] {
			ob.Projects = append(ob.Projects, v1alpha1.ProjectTemplate{Level: l, Title: "lift " + name + " to " + l})
		}
		return ob
	}
	return modelSpec([]string{"Cost"}, stream("s", o("a", "x"), o("b", "y")))
}

func exemption(objective string, expires time.Time) v1alpha1.Exemption {
	return v1alpha1.Exemption{Stream: "s", Objective: objective, Reason: "vendor migration", Approver: "platform-team",
		ExpiresAt: metav1.NewTime(expires)}
}

func TestExempt(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	m := mustCompile(t, twoObjectives())
	tests := []struct {
		name       string
		metrics    Metrics
		exemptions []v1alpha1.Exemption
		current    int
		passed     int
		states     []string
		next       time.Time
		exempted   bool // objective a carries the exemption
		gaps       []string
		causes     int
	}{
		{name: "an active exemption lifts its objective to the target",
			metrics: values("x", 0, "y", 2), exemptions: []v1alpha1.Exemption{exemption("a", now.Add(time.Hour))},
			current: lvHighPerformance, passed: 2, states: []string{v1alpha1.ExemptionActive}, next: now.Add(time.Hour), exempted: true},
		{name: "never above the target",
			metrics: values("x", 0, "y", 3), exemptions: []v1alpha1.Exemption{exemption("a", now.Add(time.Hour))},
			current: lvHighPerformance, passed: 2, states: []string{v1alpha1.ExemptionActive}, next: now.Add(time.Hour), exempted: true},
		{name: "lapses at its expiry instant",
			metrics: values("x", 0, "y", 2), exemptions: []v1alpha1.Exemption{exemption("a", now)},
			current: lvStartup, passed: 1, states: []string{v1alpha1.ExemptionExpired}, gaps: []string{"s/a/GrowingPains"}, causes: 1},
		{name: "an unknown objective is reported and changes nothing",
			metrics: values("x", 0, "y", 2), exemptions: []v1alpha1.Exemption{exemption("zz", now.Add(time.Hour))},
			current: lvStartup, passed: 1, states: []string{v1alpha1.ExemptionUnknownObjective}, gaps: []string{"s/a/GrowingPains"}, causes: 1},
		{name: "not needed when the objective meets the target on its own",
			metrics: values("x", 2, "y", 2), exemptions: []v1alpha1.Exemption{exemption("a", now.Add(time.Hour))},
			current: lvHighPerformance, passed: 2, states: []string{v1alpha1.ExemptionActive}, next: now.Add(time.Hour)},
		{name: "the earliest active expiry is the next evaluation",
			metrics: values("x", 0, "y", 0), exemptions: []v1alpha1.Exemption{
				exemption("a", now.Add(2*time.Hour)), exemption("b", now.Add(time.Hour)), exemption("zz", now.Add(time.Minute))},
			current: lvHighPerformance, passed: 2, next: now.Add(time.Hour), exempted: true,
			states: []string{v1alpha1.ExemptionActive, v1alpha1.ExemptionActive, v1alpha1.ExemptionUnknownObjective}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := m.Evaluate(tc.metrics, lvHighPerformance)
			states, next := m.Exempt(&r, tc.exemptions, now)
			if r.CurrentLevel != tc.current || r.Passed != tc.passed {
				t.Errorf("current %d passed %d, want %d %d", r.CurrentLevel, r.Passed, tc.current, tc.passed)
			}
			var got []string
			for _, s := range states {
				got = append(got, s.State)
				if s.Message == "" {
					t.Errorf("%s/%s has no message", s.Stream, s.Objective)
				}
			}
			if !slices.Equal(got, tc.states) {
				t.Errorf("states %v, want %v", got, tc.states)
			}
			if !next.Equal(tc.next) {
				t.Errorf("next %v, want %v", next, tc.next)
			}
			a := r.Objectives[0]
			if (a.Exemption != nil) != tc.exempted {
				t.Errorf("a exempted = %v, want %v", a.Exemption != nil, tc.exempted)
			}
			if a.Exemption != nil && (a.Measured != lvStartup || a.Blocking == nil || a.Blocking.Result != Failed) {
				t.Errorf("an exempted objective still reports what its rules say: %+v", a)
			}
			if g := gapKeys(Gaps(m, r)); !slices.Equal(g, tc.gaps) {
				t.Errorf("gaps %v, want %v", g, tc.gaps)
			}
			if len(r.StallCauses) != tc.causes {
				t.Errorf("stall causes %v, want %d", r.StallCauses, tc.causes)
			}
		})
	}
}

func TestExemptResolvesTasks(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	m := mustCompile(t, twoObjectives())
	r := m.Evaluate(values("x", 0, "y", 2), lvHighPerformance)
	m.Exempt(&r, []v1alpha1.Exemption{exemption("a", now.Add(time.Hour))}, now)
	res := Resolver(m, r)(tasks.Key{Stream: "s", Objective: "a", Level: "GrowingPains"})
	if !res.Resolved || res.Reason != v1alpha1.ReasonExempted {
		t.Fatalf("a task of an exempted objective resolves as Exempted, got %+v", res)
	}
	if res := Resolver(m, r)(tasks.Key{Stream: "s", Objective: "a", Level: "EnterpriseGrade"}); res.Reason != v1alpha1.ReasonOutOfScope {
		t.Errorf("above the target the task is out of scope, got %+v", res)
	}

	var st v1alpha1.MaturityTargetStatus
	ApplyStatus(&st, m, r)
	a := st.Objectives[0]
	if !a.MeetsTarget || a.ReachedLevel != "Startup" || a.Exemption == nil || a.Exemption.Reason != "vendor migration" || a.Blocking == nil {
		t.Errorf("status shows the real level, the blocking rule and the exemption: %+v", a)
	}
}

// TestLargestGovernedStatusFitsBudget: the largest model with every
// objective weighted and key, and the most exemptions a target admits, each
// with the longest reason and approver, still gives a status under 256 KiB.
func TestLargestGovernedStatusFitsBudget(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	spec := largestModel()
	weight := int32(1000)
	for s := range spec.Streams {
		for o := range spec.Streams[s].Objectives {
			spec.Streams[s].Objectives[o].Weight, spec.Streams[s].Objectives[o].Key = &weight, true
		}
	}
	m := mustCompile(t, spec)
	r := m.Evaluate(nil, len(spec.Levels)-1)
	var exemptions []v1alpha1.Exemption
	for i := range maxStatusExemptions {
		o := &r.Objectives[i]
		exemptions = append(exemptions, v1alpha1.Exemption{Stream: o.Stream, Objective: o.Objective,
			Reason: strings.Repeat("r", 256), Approver: strings.Repeat("a", 128), ExpiresAt: metav1.NewTime(now.Add(time.Hour))})
	}
	states, _ := m.Exempt(&r, exemptions, now)
	target := largestTarget(m, r)
	target.Spec.Exemptions = exemptions
	target.Status.Exemptions = states
	target.Status.PendingLevel = &v1alpha1.PendingLevel{Level: strings.Repeat("L", 63), Since: metav1.NewTime(now), Evaluations: 100}
	b, err := json.Marshal(&target.Status)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) >= statusLimit {
		t.Errorf("status takes %d bytes, want under %d", len(b), statusLimit)
	}
	obj, _ := json.Marshal(target)
	t.Logf("status %d bytes, object %d bytes; %d key objectives failing", len(b), len(obj), len(target.Status.Score.KeyFailing))
}
