package maturity

import (
	"fmt"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// satisfactionModel has one objective: csat >= 60 at GrowingPains and
// csat >= high at HighPerformance (and 99 at EnterpriseGrade, so that
// nobody here reaches it), with a project at the first two.
func satisfactionModel(t *testing.T, high float64) *Model {
	t.Helper()
	o := obj("satisfaction", nil,
		crit("GrowingPains", "metrics.csat >= 60.0"),
		crit("HighPerformance", fmt.Sprintf("metrics.csat >= %.1f", high)),
		crit("EnterpriseGrade", "metrics.csat >= 99.0"))
	for _, l := range []string{"GrowingPains", "HighPerformance"} {
		o.Projects = append(o.Projects, v1alpha1.ProjectTemplate{Level: l, Title: "Lift satisfaction", Priority: v1alpha1.PriorityMedium})
	}
	return mustCompile(t, modelSpec(nil, stream("service", o)))
}

func TestPreview(t *testing.T) {
	targets := []PreviewTarget{
		{Name: "shop/a", TargetLevel: "HighPerformance", Metrics: values("csat", 85)},
		{Name: "shop/b", TargetLevel: "HighPerformance", Metrics: values("csat", 95)},
		{Name: "shop/c", TargetLevel: "HighPerformance", Metrics: values("csat", 75)},
		{Name: "shop/d", TargetLevel: "NoSuchLevel", Metrics: values("csat", 75)},
	}
	tests := []struct {
		name             string
		applied          *Model
		candidate        *Model
		want             PreviewResult
		wantChangesNames []LevelChange
	}{
		{
			name:    "tightening a rule drops the target between the old and the new threshold and opens its gap",
			applied: satisfactionModel(t, 80), candidate: satisfactionModel(t, 90),
			want:             PreviewResult{Targets: 4, LevelDown: 1, Unchanged: 2, NotEvaluated: 1, TasksToOpen: 1},
			wantChangesNames: []LevelChange{{Target: "shop/a", From: "HighPerformance", To: "GrowingPains"}},
		},
		{
			name:    "loosening a rule lifts the target between the thresholds and resolves its gap",
			applied: satisfactionModel(t, 80), candidate: satisfactionModel(t, 70),
			want:             PreviewResult{Targets: 4, LevelUp: 1, Unchanged: 2, NotEvaluated: 1, TasksToResolve: 1},
			wantChangesNames: []LevelChange{{Target: "shop/c", From: "GrowingPains", To: "HighPerformance"}},
		},
		{
			name:    "the same rules change nothing",
			applied: satisfactionModel(t, 80), candidate: satisfactionModel(t, 80),
			want: PreviewResult{Targets: 4, Unchanged: 3, NotEvaluated: 1},
		},
		{
			name:    "nothing applied yet: every target starts from no level and no gap",
			applied: nil, candidate: satisfactionModel(t, 80),
			want: PreviewResult{Targets: 4, LevelUp: 3, NotEvaluated: 1, TasksToOpen: 1},
			wantChangesNames: []LevelChange{
				{Target: "shop/a", From: "no level", To: "HighPerformance"},
				{Target: "shop/b", From: "no level", To: "HighPerformance"},
				{Target: "shop/c", From: "no level", To: "GrowingPains"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Preview(tt.applied, tt.candidate, targets)
			changes := got.Changes
			got.Changes = nil
			if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", tt.want) {
				t.Errorf("counts = %+v, want %+v", got, tt.want)
			}
			if fmt.Sprint(changes) != fmt.Sprint(tt.wantChangesNames) {
				t.Errorf("changes = %v, want %v", changes, tt.wantChangesNames)
			}
		})
	}
}
