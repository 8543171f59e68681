package v1alpha1

import (
	"context"
	"time"

	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// failurePolicy=ignore: this webhook only warns, so an operator outage must
// never block writes of MaturityTargets; a short timeout keeps a slow
// operator from slowing them down.
// +kubebuilder:webhook:path=/validate-growth-scaleup-io-v1alpha1-maturitytarget,mutating=false,failurePolicy=ignore,timeoutSeconds=5,sideEffects=None,groups=growth.scaleup.io,resources=maturitytargets,verbs=create;update,versions=v1alpha1,name=vmaturitytarget-v1alpha1.growth.scaleup.io,admissionReviewVersions=v1

// MaturityTargetValidator finds the warnings for a MaturityTarget: one for
// each reference that does not resolve yet: a model that does not exist, a
// target level the model does not have, a MetricSource missing from the
// namespace. A GitOps sync may create the model or the sources later, so
// these are not errors; the target reports them in its conditions too.
type MaturityTargetValidator struct {
	lookup lookup
	clock  clock.PassiveClock
}

func (v MaturityTargetValidator) warnings(ctx context.Context, t *v1alpha1.MaturityTarget) admission.Warnings {
	var model []string
	if m, models, err := v.lookup.model(ctx, t.Spec.ModelRef.Name); err != nil {
		lookupFailed(ctx, err)
	} else {
		model = append(modelWarnings(&t.Spec, m, models), exemptionWarnings(&t.Spec, m)...)
	}
	now := time.Now()
	if v.clock != nil {
		now = v.clock.Now()
	}
	model = append(model, expiredExemptionWarnings(&t.Spec, now)...)
	return warnings(model, v.lookup.sourceWarnings(ctx, t.Namespace, t.Spec.MetricSources))
}
