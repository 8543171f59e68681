package metrics

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestModelPreview(t *testing.T) {
	m := model()
	m.Status.Preview = &v1alpha1.ModelPreview{Generation: 3, AppliedGeneration: 2, Targets: 7,
		LevelUp: 1, LevelDown: 2, Unchanged: 3, NotEvaluated: 1, TasksToOpen: 5, TasksToResolve: 4}
	compare(t, newCollector(newReader(m)), `
# HELP scaleup_maturitymodel_preview_targets While the model is in Preview: its targets by what applying the previewed generation would do to their level (change: up, down, unchanged, notEvaluated).
# TYPE scaleup_maturitymodel_preview_targets gauge
scaleup_maturitymodel_preview_targets{change="down",name="shop-model",namespace=""} 2
scaleup_maturitymodel_preview_targets{change="notEvaluated",name="shop-model",namespace=""} 1
scaleup_maturitymodel_preview_targets{change="unchanged",name="shop-model",namespace=""} 3
scaleup_maturitymodel_preview_targets{change="up",name="shop-model",namespace=""} 1
# HELP scaleup_maturitymodel_preview_tasks While the model is in Preview: the ProjectTasks applying the previewed generation would open or resolve (change: open, resolve).
# TYPE scaleup_maturitymodel_preview_tasks gauge
scaleup_maturitymodel_preview_tasks{change="open",name="shop-model",namespace=""} 5
scaleup_maturitymodel_preview_tasks{change="resolve",name="shop-model",namespace=""} 4
`, "scaleup_maturitymodel_preview_targets", "scaleup_maturitymodel_preview_tasks")

	// A model that is not in Preview has no preview series.
	compare(t, newCollector(newReader(model())), "", "scaleup_maturitymodel_preview_targets", "scaleup_maturitymodel_preview_tasks")
}

func TestCampaign(t *testing.T) {
	c := &v1alpha1.Campaign{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "faster-replies"},
		Status:     v1alpha1.CampaignStatus{Phase: v1alpha1.CampaignActive, TargetsInScope: 4, Passing: 1, Failing: 3},
	}
	compare(t, newCollector(newReader(c)), `
# HELP scaleup_campaign_phase Always 1; the phase label is status.phase (Scheduled, Active, Enforced).
# TYPE scaleup_campaign_phase gauge
scaleup_campaign_phase{name="faster-replies",namespace="shop",phase="Active"} 1
# HELP scaleup_campaign_targets The campaign's targets (state: in_scope, the targets it selects; passing, those meeting every objective of it).
# TYPE scaleup_campaign_targets gauge
scaleup_campaign_targets{name="faster-replies",namespace="shop",state="in_scope"} 4
scaleup_campaign_targets{name="faster-replies",namespace="shop",state="passing"} 1
`, "scaleup_campaign_targets", "scaleup_campaign_phase")
}
