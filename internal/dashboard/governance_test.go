package dashboard

import (
	"slices"
	"strings"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestGovernanceNotesUnderTheBusiness(t *testing.T) {
	plain := target("shop", "plain", "Plain", "Low")
	governed := target("shop", "governed", "Governed", "Low")
	governed.Status.PendingLevel = &v1alpha1.PendingLevel{Level: "High", Since: *at(-2), Evaluations: 3}
	governed.Status.Score = &v1alpha1.Score{Summary: "3/4", KeyFailing: []v1alpha1.ObjectiveRef{{Stream: "tech", Objective: "availability"}}}
	governed.Status.Exemptions = []v1alpha1.ExemptionStatus{
		{Stream: "s", Objective: "a", State: v1alpha1.ExemptionActive},
		{Stream: "s", Objective: "b", State: v1alpha1.ExemptionActive},
		{Stream: "s", Objective: "c", State: v1alpha1.ExemptionExpired},
	}
	governed.Status.Shadow = &v1alpha1.ShadowSummary{CurrentLevel: "Low", Objectives: 1}
	governed.Status.Campaigns = []v1alpha1.TargetCampaign{{Name: "faster-replies", Phase: v1alpha1.CampaignActive,
		TargetDate: *at(10), Passing: 1, Failing: []v1alpha1.ObjectiveRef{{Stream: "s", Objective: "a"}}}}

	v := Build(Objects{Targets: []v1alpha1.MaturityTarget{plain, governed}}, now)
	want := []string{
		"level High pending since 2026-11-21 (3 evaluations)",
		"key objective below target: tech/availability",
		"2 exemption(s) Active",
		"1 exemption(s) Expired",
		"shadow rules hold 1 objective(s): would be at Low",
		"campaign faster-replies Active, due 2026-12-03: 1/2 objectives met",
	}
	if got := v.Businesses[0].Notes; !slices.Equal(got, want) {
		t.Errorf("governed notes\n got %q\nwant %q", got, want)
	}
	if got := v.Businesses[1].Notes; len(got) != 0 {
		t.Errorf("a business without governance has notes %q", got)
	}
	html := render(t, v)
	if !strings.Contains(html, "key objective below target: tech/availability") {
		t.Error("the page does not show the notes")
	}
}

func TestModelPreviewBanner(t *testing.T) {
	applied := v1alpha1.MaturityModel{}
	applied.Name = "applied"
	previewed := v1alpha1.MaturityModel{}
	previewed.Name = "shop-model"
	previewed.Status.Preview = &v1alpha1.ModelPreview{Generation: 6, Targets: 120, LevelDown: 3, TasksToOpen: 11}
	v := Build(Objects{Models: []v1alpha1.MaturityModel{previewed, applied}}, now)
	want := []string{"MaturityModel shop-model: generation 6 is in preview; applying it would move 0 of 120 businesses up a level and 3 down, open 11 tasks and resolve 0"}
	if !slices.Equal(v.Previews, want) {
		t.Errorf("previews\n got %q\nwant %q", v.Previews, want)
	}
	if !strings.Contains(render(t, v), "generation 6 is in preview") {
		t.Error("the page does not show the preview")
	}
}

// render is the page's main part as HTML.
func render(t *testing.T, v View) string {
	t.Helper()
	var b strings.Builder
	if err := RenderView(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
