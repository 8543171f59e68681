package dashboard

import (
	"slices"
	"strconv"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func at(days int) *metav1.Time {
	t := metav1.NewTime(now.AddDate(0, 0, days))
	return &t
}

func target(ns, name, business, level string, objectives ...v1alpha1.ObjectiveResult) v1alpha1.MaturityTarget {
	t := v1alpha1.MaturityTarget{}
	t.Namespace, t.Name = ns, name
	t.Spec.Business, t.Spec.TargetLevel, t.Spec.ModelRef.Name = business, "High", "m"
	t.Status.CurrentLevel, t.Status.Objectives = level, objectives
	t.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionReady, Status: "True"}}
	return t
}

func objective(stream, name string, meets bool, blocking string) v1alpha1.ObjectiveResult {
	r := v1alpha1.ObjectiveResult{Stream: stream, Objective: name, MeetsTarget: meets}
	if blocking != "" {
		r.Blocking = &v1alpha1.RuleOutcome{Result: blocking, Level: "High", Rule: "metrics.x > 1"}
	}
	return r
}

func TestOutcomeAtTheTargetLevel(t *testing.T) {
	for _, tc := range []struct {
		r    v1alpha1.ObjectiveResult
		want string
	}{
		{objective("s", "o", true, ""), "passed"},
		{objective("s", "o", false, "Failed"), "failed"},
		{objective("s", "o", false, "Unknown"), "unknown"},
		{objective("s", "o", false, "Error"), "error"},
		{objective("s", "o", false, ""), "failed"}, // rule left out of the status
	} {
		if got := outcome(tc.r); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestHeatMapObjectivesByBusinesses(t *testing.T) {
	a := target("b-ns", "a", "A", "Low", objective("s", "one", true, ""), objective("s", "two", false, "Unknown"))
	b := target("a-ns", "b", "B", "", objective("s", "one", false, "Failed"), objective("t", "three", true, ""))
	v := Build(Objects{Targets: []v1alpha1.MaturityTarget{a, b}}, now)
	if want := []string{"a-ns/b", "b-ns/a"}; !slices.Equal(v.Heat.Columns, want) {
		t.Fatalf("columns %v, want %v (sorted by namespace and name)", v.Heat.Columns, want)
	}
	got := map[string][]string{}
	for _, r := range v.Heat.Rows {
		for _, c := range r.Cells {
			got[r.Stream+"/"+r.Objective] = append(got[r.Stream+"/"+r.Objective], c.Outcome)
		}
	}
	want := map[string][]string{
		"s/one":   {"failed", "passed"},
		"t/three": {"passed", "none"},
		"s/two":   {"none", "unknown"},
	}
	for k, w := range want {
		if !slices.Equal(got[k], w) {
			t.Errorf("row %s: %v, want %v", k, got[k], w)
		}
	}
	if v.Businesses[0].Level != "-" || v.Businesses[1].Level != "Low" {
		t.Errorf("levels %q %q, want - (none reached) and Low", v.Businesses[0].Level, v.Businesses[1].Level)
	}
	if id := v.Heat.Rows[0].Cells[0].ID; id != "cell_a-ns_b_s_one" {
		t.Errorf("cell id %q", id)
	}
}

func TestStallCausesSumAcrossBusinesses(t *testing.T) {
	a, b := target("n", "a", "A", "L"), target("n", "b", "B", "L")
	a.Status.StallCauses = []v1alpha1.StallCauseCount{{Name: "Cost", FailingObjectives: 2}, {Name: "Data", FailingObjectives: 1}}
	b.Status.StallCauses = []v1alpha1.StallCauseCount{{Name: "Data", FailingObjectives: 3}}
	got := Build(Objects{Targets: []v1alpha1.MaturityTarget{a, b}}, now).StallCauses
	want := []Bar{{Name: "Data", Count: 4, Max: 4, Detail: "2 businesses"}, {Name: "Cost", Count: 2, Max: 4, Detail: "1 business"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestTasksPerRoleAtNow(t *testing.T) {
	task := func(role v1alpha1.OwnerRole, due *metav1.Time, state v1alpha1.TaskState, resolved bool) v1alpha1.ProjectTask {
		pt := v1alpha1.ProjectTask{}
		pt.Spec.OwnerRole, pt.Spec.DueDate, pt.Spec.State = role, due, state
		if resolved {
			pt.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionResolved, Status: "True"}}
		}
		return pt
	}
	tasks := []v1alpha1.ProjectTask{
		task(v1alpha1.OwnerIT, at(-1), "", false),                   // overdue
		task(v1alpha1.OwnerIT, at(1), "", false),                    // open
		task(v1alpha1.OwnerIT, nil, v1alpha1.TaskInProgress, false), // open, no due date
		task(v1alpha1.OwnerIT, at(-5), v1alpha1.TaskDone, false),    // done
		task(v1alpha1.OwnerMarketing, at(-5), "", true),             // resolved
	}
	roles := Build(Objects{Tasks: tasks}, now).Roles
	if len(roles) != 6 {
		t.Fatalf("%d roles, want every role", len(roles))
	}
	for _, r := range roles {
		open, overdue := 0, 0
		if r.Role == string(v1alpha1.OwnerIT) {
			open, overdue = 3, 1
		}
		if r.Open != open || r.Overdue != overdue || r.Max != 3 {
			t.Errorf("%s: open %d overdue %d max %d, want %d %d 3", r.Role, r.Open, r.Overdue, r.Max, open, overdue)
		}
	}
	// A day later the second task is overdue too: the page depends on now.
	later := Build(Objects{Tasks: tasks}, now.AddDate(0, 0, 2)).Roles
	if i := slices.IndexFunc(later, func(r Role) bool { return r.Role == "IT" }); later[i].Overdue != 2 {
		t.Errorf("two days later: %d overdue, want 2", later[i].Overdue)
	}
}

func TestSupportPeaksAndHireBy(t *testing.T) {
	p := v1alpha1.SupportPlan{}
	p.Namespace, p.Name, p.Spec.Business = "n", "p", "Shop"
	p.Status.Heroes = 6
	p.Status.Projection = &v1alpha1.SupportProjection{RequiredHeroesNow: 4, Peaks: []v1alpha1.PeakProjection{
		{Name: "over", Start: *at(-20), End: *at(-10), RequiredHeroes: 9, Gap: 3},
		{Name: "soon", Start: *at(5), End: *at(10), RequiredHeroes: 11, Gap: 5, HireBy: *at(-15), HireNow: true},
		{Name: "later", Start: *at(200), End: *at(230), RequiredHeroes: 7, Gap: 1, HireBy: *at(180)},
		{Name: "fine", Start: *at(300), End: *at(310), RequiredHeroes: 5},
	}}
	got := Build(Objects{Plans: []v1alpha1.SupportPlan{p}}, now).Support[0]
	var hires []string
	for _, pk := range got.Peaks {
		hires = append(hires, pk.Name+": "+pk.Hire)
	}
	want := []string{
		"soon: hire +5 now (hire-by 2026-11-08 passed)",
		"later: hire +1 by 2027-05-22 (in 180d)",
		"fine: covered",
	}
	if !slices.Equal(hires, want) {
		t.Errorf("got %q, want %q", hires, want)
	}
	if got.Ready != "not evaluated yet" {
		t.Errorf("ready %q", got.Ready)
	}
}

func TestProgramFunnelInPhaseOrder(t *testing.T) {
	p := v1alpha1.PartnerProgram{}
	p.Namespace, p.Name = "n", "p"
	met := true
	value := 0.5
	p.Status.Partners = 4
	p.Status.ByPhase = []v1alpha1.CountByName{{Name: "Active", Count: 3}, {Name: "Waitlisted", Count: 1}}
	p.Status.Metrics = []v1alpha1.ProgramMetric{{Name: "activationRate", Value: &value, Target: "0.4", Met: &met, Sample: 4},
		{Name: "onboardingP50", Duration: &metav1.Duration{Duration: 36 * time.Hour}}}
	got := Build(Objects{Programs: []v1alpha1.PartnerProgram{p}}, now).Programs[0]
	var funnel []string
	for _, b := range got.Funnel {
		funnel = append(funnel, b.Name+"="+strconv.Itoa(int(b.Count)))
	}
	if want := []string{"Waitlisted=1", "Onboarding=0", "Active=3", "Inactive=0", "Churned=0"}; !slices.Equal(funnel, want) {
		t.Errorf("funnel %v, want %v", funnel, want)
	}
	want := []Metric{{Name: "activationRate", Value: "0.5", Target: "0.4", Met: "yes", Sample: 4},
		{Name: "onboardingP50", Value: "36h0m0s", Target: "-", Met: "-"}}
	if !slices.Equal(got.Metrics, want) {
		t.Errorf("metrics %+v, want %+v", got.Metrics, want)
	}
}

func TestDeniedSaysWhat(t *testing.T) {
	v := Build(Objects{Namespace: "acme", Denied: []Denied{{Kind: "SupportPlans", Namespace: "acme"},
		{Kind: "MaturityTargets"}, {Kind: "MaturityModels"}}}, now)
	want := []string{
		"SupportPlans in namespace acme: forbidden, you may not list them",
		"MaturityTargets in every namespace: forbidden, you may not list them",
		"MaturityModels (cluster-scoped): levels show by name only: forbidden, you may not list them",
	}
	if !slices.Equal(v.Denied, want) || v.Scope != "namespace acme" {
		t.Errorf("got %q in %q", v.Denied, v.Scope)
	}
}
