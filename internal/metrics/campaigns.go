package metrics

import "github.com/scaleup-operator/scaleup-operator/api/v1alpha1"

// Campaign: how far a rollout has come.
var (
	descCampaignTargets = desc("campaign_targets",
		"The campaign's targets (state: in_scope, the targets it selects; passing, those meeting every objective of it).",
		withEnum("state")...)
	descCampaignPhase = desc("campaign_phase",
		"Always 1; the phase label is status.phase (Scheduled, Active, Enforced).", withEnum("phase")...)
)

// campaign emits a campaign's readiness, phase and counts.
func (e *emitter) campaign(c *v1alpha1.Campaign) {
	e.ready("Campaign", c.Namespace, c.Name, c.Status.Conditions)
	if c.Status.Phase == "" {
		return
	}
	e.gauge(descCampaignPhase, 1, c.Namespace, c.Name, c.Status.Phase)
	e.gauge(descCampaignTargets, float64(c.Status.TargetsInScope), c.Namespace, c.Name, "in_scope")
	e.gauge(descCampaignTargets, float64(c.Status.Passing), c.Namespace, c.Name, "passing")
}
