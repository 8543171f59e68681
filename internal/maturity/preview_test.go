package maturity

import (
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

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
		{TargetLevel: "HighPerformance", Metrics: values("csat", 85)}, // between 80 and 90
		{TargetLevel: "HighPerformance", Metrics: values("csat", 95)}, // above both
		{TargetLevel: "HighPerformance", Metrics: values("csat", 75)}, // between 70 and 80
		{TargetLevel: "NoSuchLevel", Metrics: values("csat", 75)},
		{TargetLevel: "HighPerformance", Metrics: values("csat", 95), Unavailable: true},
	}
	tests := []struct {
		name      string
		applied   *Model
		candidate *Model
		want      PreviewResult
	}{
		{
			name:    "tightening a rule drops the target between the old and the new threshold and opens its gap",
			applied: satisfactionModel(t, 80), candidate: satisfactionModel(t, 90),
			want: PreviewResult{Targets: 5, LevelDown: 1, Unchanged: 2, NotEvaluated: 2, TasksToOpen: 1},
		},
		{
			name:    "loosening a rule lifts the target between the thresholds and resolves its gap",
			applied: satisfactionModel(t, 80), candidate: satisfactionModel(t, 70),
			want: PreviewResult{Targets: 5, LevelUp: 1, Unchanged: 2, NotEvaluated: 2, TasksToResolve: 1},
		},
		{
			name:    "the same rules change nothing",
			applied: satisfactionModel(t, 80), candidate: satisfactionModel(t, 80),
			want: PreviewResult{Targets: 5, Unchanged: 3, NotEvaluated: 2},
		},
		{
			name:    "nothing applied yet: every target starts from no level and no gap",
			applied: nil, candidate: satisfactionModel(t, 80),
			want: PreviewResult{Targets: 5, LevelUp: 3, NotEvaluated: 2, TasksToOpen: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Preview(tt.applied, tt.candidate, targets, time.Time{})
			if got != tt.want {
				t.Errorf("counts = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// A target is previewed as its own pass grades it: with the campaigns that
// select it and its exemptions, on both sides of the comparison.
func TestPreviewGradesWithCampaignsAndExemptions(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	// The campaign holds satisfaction at GrowingPains to csat >= 90.
	camp := mustCampaign(t, &v1alpha1.CampaignSpec{Objectives: []v1alpha1.CampaignObjective{{Stream: "service",
		Tighten: &v1alpha1.ObjectiveTightening{Objective: "satisfaction", Criteria: []v1alpha1.Criterion{crit("GrowingPains", "metrics.csat >= 90.0")}}}}})
	campaign := func(phase string) []PhasedCampaign {
		return []PhasedCampaign{{Name: "q3", Phase: phase, Due: now.Add(30 * 24 * time.Hour), Campaign: camp}}
	}
	exempt := []v1alpha1.Exemption{{Stream: "service", Objective: "satisfaction", Reason: "migration", Approver: "cto",
		ExpiresAt: metav1.NewTime(now.Add(24 * time.Hour))}}
	target := func(c []PhasedCampaign, e []v1alpha1.Exemption) []PreviewTarget {
		return []PreviewTarget{{TargetLevel: "HighPerformance", Metrics: values("csat", 85), Campaigns: c, Exemptions: e}}
	}
	at80, at90 := satisfactionModel(t, 80), satisfactionModel(t, 90)
	tests := []struct {
		name               string
		applied, candidate *Model
		targets            []PreviewTarget
		want               PreviewResult
	}{
		{
			name:    "without campaign or exemption the tightening drops the target",
			applied: at80, candidate: at90, targets: target(nil, nil),
			want: PreviewResult{Targets: 1, LevelDown: 1, TasksToOpen: 1},
		},
		{
			name:    "an enforced campaign already holds the target below: nothing moves",
			applied: at80, candidate: at90, targets: target(campaign(v1alpha1.CampaignEnforced), nil),
			want: PreviewResult{Targets: 1, Unchanged: 1},
		},
		{
			name:    "an unchanged model with an active campaign changes nothing",
			applied: at80, candidate: at80, targets: target(campaign(v1alpha1.CampaignActive), nil),
			want: PreviewResult{Targets: 1, Unchanged: 1},
		},
		{
			name:    "an exempted objective opens nothing when tightened",
			applied: at80, candidate: at90, targets: target(nil, exempt),
			want: PreviewResult{Targets: 1, Unchanged: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Preview(tt.applied, tt.candidate, tt.targets, now); got != tt.want {
				t.Errorf("counts = %+v, want %+v", got, tt.want)
			}
		})
	}
}
