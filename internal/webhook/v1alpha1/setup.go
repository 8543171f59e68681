// Package v1alpha1 holds the admission webhooks of growth.scaleup.io/v1alpha1.
//
// The validators of MaturityModel, MetricSource and SupportPlan reject what
// the CRD schema cannot check: CEL that does not compile or type-check
// (model criteria, HTTP expressions, stage rules), compiled by the same
// functions the controllers use, and (MetricSource) a Secret or ConfigMap
// the requesting user may not read. They are registered with
// failurePolicy=fail. The validators of the kinds that reference others
// (MaturityTarget, SupportPlan, Partner, PartnerProgram) admit with a
// warning for each reference that does not resolve yet, since a GitOps sync
// may create the referenced object a moment later (so does the MetricSource
// validator for the SupportPlan and PartnerProgram an Objects source names);
// those that only warn (all but SupportPlan) are registered with
// failurePolicy=ignore, so an operator outage never blocks their writes.
package v1alpha1

import (
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// Options configures the webhooks.
type Options struct {
	// Sharded says the manager caches only its shard of the objects
	// (--watch-label-selector) while it admits the writes of every shard:
	// the webhooks then read referenced objects from the API server.
	Sharded bool
	// Clock tells an exemption that has already expired (the real clock
	// when nil; tests inject theirs).
	Clock clock.PassiveClock
	// Models compiles the models a Campaign is checked against (a cache of
	// its own when nil).
	Models *maturity.Cache
}

// Setup registers the webhooks with the manager. The warning webhooks read
// referenced objects through the manager's cache, confirming a miss with a
// read by name from the API server (liveOnMiss); a sharded manager's read
// them from the API server. Either reads each reference by name and once
// per admission (lookup, readOnce). MaturityModels always come from the
// cache, a miss confirmed the same way. The MetricSource webhook asks the
// API server for SubjectAccessReviews and reads the metadata of Secrets
// and ConfigMaps directly, so no Secret is cached. Every kind that
// references another is checked to be in its shard (sameShard).
func Setup(mgr ctrl.Manager, opts Options) error {
	cache := liveOnMiss{Reader: mgr.GetClient(), live: mgr.GetAPIReader()}
	var reader client.Reader = readOnce{cache}
	if opts.Sharded {
		reader = readOnce{mgr.GetAPIReader()}
	}
	l := lookup{reader: reader, models: cache}
	clk := opts.Clock
	if clk == nil {
		clk = clock.RealClock{}
	}
	models := opts.Models
	if models == nil {
		models = maturity.NewCache()
	}
	sources := MetricSourceValidator{consent: consent{reviews: mgr.GetClient(), objects: mgr.GetAPIReader()}, lookup: l}
	for _, register := range []func() error{
		webhookFor(mgr, &v1alpha1.MaturityModel{}, MaturityModelValidator{}),
		webhookFor(mgr, &v1alpha1.MetricSource{}, admission.Validator[*v1alpha1.MetricSource](
			sameShard[*v1alpha1.MetricSource]{Validator: sources, kind: "MetricSource", reader: reader, refs: sourceShardRefs})),
		webhookFor(mgr, &v1alpha1.MaturityTarget{}, admission.Validator[*v1alpha1.MaturityTarget](sameShard[*v1alpha1.MaturityTarget]{
			Validator: warnOnly[*v1alpha1.MaturityTarget](MaturityTargetValidator{lookup: l, clock: clk}.warnings),
			kind:      "MaturityTarget", reader: reader, refs: targetShardRefs})),
		webhookFor(mgr, &v1alpha1.Campaign{}, campaignValidator(CampaignValidator{lookup: l, models: models}, opts.Sharded, reader)),
		webhookFor(mgr, &v1alpha1.SupportPlan{}, admission.Validator[*v1alpha1.SupportPlan](
			sameShard[*v1alpha1.SupportPlan]{Validator: SupportPlanValidator{lookup: l}, kind: "SupportPlan", reader: reader, refs: planShardRefs})),
		webhookFor(mgr, &v1alpha1.Partner{}, admission.Validator[*v1alpha1.Partner](sameShard[*v1alpha1.Partner]{
			Validator: warnOnly[*v1alpha1.Partner](PartnerValidator{lookup: l}.warnings),
			kind:      "Partner", reader: reader, refs: partnerShardRefs})),
		webhookFor(mgr, &v1alpha1.PartnerProgram{}, admission.Validator[*v1alpha1.PartnerProgram](sameShard[*v1alpha1.PartnerProgram]{
			Validator: warnOnly[*v1alpha1.PartnerProgram](PartnerProgramValidator{lookup: l}.warnings),
			kind:      "PartnerProgram", reader: reader, refs: programShardRefs})),
	} {
		if err := register(); err != nil {
			return err
		}
	}
	return nil
}

// campaignValidator checks, on a sharded manager, that a Campaign is in the
// shard of the targets it selects (campaignShard).
func campaignValidator(v CampaignValidator, sharded bool, reader client.Reader) admission.Validator[*v1alpha1.Campaign] {
	if sharded {
		return campaignShard{Validator: v, reader: reader}
	}
	return v
}

func webhookFor[T client.Object](mgr ctrl.Manager, obj T, v admission.Validator[T]) func() error {
	return func() error { return ctrl.NewWebhookManagedBy(mgr, obj).WithValidator(v).Complete() }
}
