package report

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestGovernanceSection(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	target := &v1alpha1.MaturityTarget{
		ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "acme-shop"},
		Spec:       v1alpha1.MaturityTargetSpec{Business: "Acme", TargetLevel: "HighPerformance"},
		Status: v1alpha1.MaturityTargetStatus{
			CurrentLevel: "GrowingPains",
			PendingLevel: &v1alpha1.PendingLevel{Level: "HighPerformance", Since: metav1.NewTime(now.Add(-time.Hour)), Evaluations: 2},
			Score: &v1alpha1.Score{Passed: 2, Total: 3, Summary: "2/3", Percent: ptr.To[int32](80),
				KeyFailing: []v1alpha1.ObjectiveRef{{Stream: "tech", Objective: "availability"}}},
			Objectives: []v1alpha1.ObjectiveResult{
				{Stream: "service", Objective: "response", MeetsTarget: true,
					Exemption: &v1alpha1.ObjectiveExemption{Reason: "new helpdesk in Q1", Approver: "cto", ExpiresAt: metav1.NewTime(now.AddDate(0, 0, 30))}},
				{Stream: "tech", Objective: "availability",
					ShadowBlocking: &v1alpha1.RuleOutcome{Level: "GrowingPains", Rule: "metrics.availability >= 99.5", Result: "Failed"}},
			},
			Exemptions: []v1alpha1.ExemptionStatus{
				{Stream: "service", Objective: "response", State: v1alpha1.ExemptionActive, Message: "counts as meeting HighPerformance"},
				{Stream: "service", Objective: "typo", State: v1alpha1.ExemptionUnknownObjective, Message: "the model has no objective service/typo"},
			},
			Shadow:       &v1alpha1.ShadowSummary{CurrentLevel: "Startup", Objectives: 1},
			ModelPreview: &v1alpha1.TargetModelPreview{Generation: 7, Level: "Startup", TasksToOpen: 2, TasksToResolve: 1},
		},
	}
	target.Spec.ModelRef.Name = "shop-model"
	b := prepare(Business{Target: target}, Options{Now: now})
	var s strings.Builder
	b.header(&s)
	b.governance(&s)
	got := s.String()
	for _, want := range []string{
		"score 2/3 (80% weighted) at target",
		"level HighPerformance pending since 2026-11-23 (2 evaluations), held at GrowingPains by spec.stabilization",
		"key objectives below target: tech/availability",
		"service/response  exemption Active  counts as meeting HighPerformance",
		"reason: new helpdesk in Q1 (expires in 30d)",
		"service/typo  exemption UnknownObjective",
		"Shadow rules (1) evaluated, not counted: the level would be Startup",
		"tech/availability at GrowingPains  failed  metrics.availability >= 99.5",
		"model shop-model generation 7 in preview: would be at Startup; 2 tasks would open, 1 resolve",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

func TestExplainShowsExemptionAndShadowRules(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	model := &v1alpha1.MaturityModel{ObjectMeta: metav1.ObjectMeta{Name: "m"}, Spec: v1alpha1.MaturityModelSpec{
		Levels: []v1alpha1.Level{{Name: "Startup"}, {Name: "GrowingPains"}, {Name: "HighPerformance"}},
		Streams: []v1alpha1.Stream{{Name: "tech", Objectives: []v1alpha1.Objective{{Name: "availability", Owner: v1alpha1.OwnerIT,
			Criteria: []v1alpha1.Criterion{
				{Level: "GrowingPains", Rule: "metrics.availability >= 99.5", Shadow: true},
				{Level: "HighPerformance", Rule: "metrics.availability >= 99.9"},
			}}}}},
	}}
	target := &v1alpha1.MaturityTarget{
		ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "acme-shop"},
		Spec:       v1alpha1.MaturityTargetSpec{Business: "Acme", TargetLevel: "HighPerformance"},
		Status: v1alpha1.MaturityTargetStatus{Objectives: []v1alpha1.ObjectiveResult{{
			Stream: "tech", Objective: "availability", ReachedLevel: "GrowingPains", MeetsTarget: true,
			Exemption: &v1alpha1.ObjectiveExemption{Reason: "new hosting in Q1", Approver: "cto", ExpiresAt: metav1.NewTime(now.AddDate(0, 0, 10))},
			Blocking:  &v1alpha1.RuleOutcome{Level: "HighPerformance", Rule: "metrics.availability >= 99.9", Result: "Failed"},
		}}},
	}
	var s strings.Builder
	if err := Explain(&s, Business{Target: target, Model: model}, "availability", Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"exempted until 2026-12-03 (in 10d), approved by cto: new hosting in Q1",
		"a shadow rule: reported, never counted",
		"the objective stops below HighPerformance",
	} {
		if !strings.Contains(s.String(), want) {
			t.Errorf("missing %q in:\n%s", want, s.String())
		}
	}
}

func TestCampaignsSection(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	target := &v1alpha1.MaturityTarget{
		ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "acme-shop"},
		Spec:       v1alpha1.MaturityTargetSpec{Business: "Acme", TargetLevel: "HighPerformance"},
		Status: v1alpha1.MaturityTargetStatus{Campaigns: []v1alpha1.TargetCampaign{
			{Name: "faster-replies", Phase: v1alpha1.CampaignActive, TargetDate: metav1.NewTime(now.AddDate(0, 0, 10)), Passing: 1,
				Failing: []v1alpha1.ObjectiveRef{{Stream: "service", Objective: "response"}}},
			{Name: "old", Phase: v1alpha1.CampaignEnforced, Message: "not applied: spec.objectives[0].tighten.objective: gone"},
		}},
	}
	b := prepare(Business{Target: target}, Options{Now: now})
	var s strings.Builder
	b.governance(&s)
	got := s.String()
	for _, want := range []string{
		"Campaigns (2)",
		"faster-replies  Active (tasks open, level unchanged)  due 2026-12-03 (in 10d)  1/2 objectives met",
		"not met: service/response",
		"old  Enforced (counts in the level)  not applied: spec.objectives[0].tighten.objective: gone",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}

// An objective a campaign adds is explained level by level with the
// campaign's rules, and the campaign is named with its phase.
func TestExplainAppliesCampaigns(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	model := &v1alpha1.MaturityModel{ObjectMeta: metav1.ObjectMeta{Name: "m"}, Spec: v1alpha1.MaturityModelSpec{
		Levels: []v1alpha1.Level{{Name: "Startup"}, {Name: "GrowingPains"}, {Name: "HighPerformance"}},
		Streams: []v1alpha1.Stream{{Name: "service", Objectives: []v1alpha1.Objective{{Name: "response", Owner: v1alpha1.OwnerCustomerSupport,
			Criteria: []v1alpha1.Criterion{{Level: "GrowingPains", Rule: "metrics.responseHours <= 8.0"}}}}}},
	}}
	campaign := v1alpha1.Campaign{ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "q3"}, Spec: v1alpha1.CampaignSpec{
		ModelRef: v1alpha1.ClusterObjectReference{Name: "m"}, Start: metav1.NewTime(now.AddDate(0, 0, -10)), TargetDate: metav1.NewTime(now.AddDate(0, 0, 10)),
		Objectives: []v1alpha1.CampaignObjective{{Stream: "service", Add: &v1alpha1.Objective{Name: "deflection", Owner: v1alpha1.OwnerCustomerSupport,
			Criteria: []v1alpha1.Criterion{{Level: "GrowingPains", Rule: "metrics.deflection >= 20.0"}, {Level: "HighPerformance", Rule: "metrics.deflection >= 40.0"}}}}},
	}}
	source := v1alpha1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "helpdesk"},
		Status: v1alpha1.MetricSourceStatus{Values: []v1alpha1.MetricValue{{Name: "deflection", Value: ptr.To(30.0)}, {Name: "responseHours", Value: ptr.To(4.0)}}}}
	target := &v1alpha1.MaturityTarget{
		ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "acme-shop"},
		Spec: v1alpha1.MaturityTargetSpec{Business: "Acme", TargetLevel: "HighPerformance",
			MetricSources: []v1alpha1.LocalObjectReference{{Name: "helpdesk"}}},
		Status: v1alpha1.MaturityTargetStatus{
			Objectives: []v1alpha1.ObjectiveResult{{Stream: "service", Objective: "deflection", ReachedLevel: "GrowingPains",
				Blocking: &v1alpha1.RuleOutcome{Level: "HighPerformance", Rule: "metrics.deflection >= 40.0", Result: "Failed"}}},
			Campaigns: []v1alpha1.TargetCampaign{{Name: "q3", Phase: v1alpha1.CampaignActive, TargetDate: campaign.Spec.TargetDate},
				{Name: "q4", Phase: v1alpha1.CampaignEnforced, Message: "not applied: the model lacks it"}},
		},
	}
	// q4, which the operator did not apply, is named with why, its rule left out.
	notApplied := v1alpha1.Campaign{ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "q4"}, Spec: v1alpha1.CampaignSpec{
		ModelRef: v1alpha1.ClusterObjectReference{Name: "m"}, Start: campaign.Spec.Start, TargetDate: campaign.Spec.TargetDate,
		Objectives: []v1alpha1.CampaignObjective{{Stream: "service", Tighten: &v1alpha1.ObjectiveTightening{Objective: "deflection",
			Criteria: []v1alpha1.Criterion{{Level: "GrowingPains", Rule: "metrics.deflection >= 99.0"}}}}},
	}}
	var s strings.Builder
	b := Business{Target: target, Model: model, Sources: []v1alpha1.MetricSource{source}, Campaigns: []v1alpha1.Campaign{campaign, notApplied}}
	if err := Explain(&s, b, "deflection", Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	got := s.String()
	for _, want := range []string{
		"campaign q3 Active (tasks open, level unchanged) (due 2026-12-03): adds this objective",
		"passed   metrics.deflection >= 20.0",
		"deflection = 30  from helpdesk",
		"campaign q4 Enforced (counts in the level) (due 2026-12-03): tightens this objective\n  not applied: the model lacks it",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "99.0") {
		t.Errorf("the rule of a campaign not applied is shown:\n%s", got)
	}
	if strings.Contains(got, "not evaluated (the model could not be read)") {
		t.Errorf("a level of the campaign's objective is not evaluated:\n%s", got)
	}
}
