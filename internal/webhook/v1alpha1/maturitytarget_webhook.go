package v1alpha1

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// failurePolicy=ignore: this webhook only warns, so an operator outage must
// never block writes of MaturityTargets; a short timeout keeps a slow
// operator from slowing them down.
// +kubebuilder:webhook:path=/validate-growth-scaleup-io-v1alpha1-maturitytarget,mutating=false,failurePolicy=ignore,timeoutSeconds=5,sideEffects=None,groups=growth.scaleup.io,resources=maturitytargets,verbs=create;update,versions=v1alpha1,name=vmaturitytarget-v1alpha1.growth.scaleup.io,admissionReviewVersions=v1

// MaturityTargetValidator admits every MaturityTarget, with a warning for
// each reference that does not resolve yet: a model that does not exist, a
// target level the model does not have, a MetricSource missing from the
// namespace. A GitOps sync may create the model or the sources later, so
// these are not errors; the target reports them in its conditions too.
type MaturityTargetValidator struct {
	lookup lookup
}

// ValidateCreate implements admission.Validator.
func (v MaturityTargetValidator) ValidateCreate(ctx context.Context, t *v1alpha1.MaturityTarget) (admission.Warnings, error) {
	return v.warnings(ctx, t), nil
}

// ValidateUpdate implements admission.Validator.
func (v MaturityTargetValidator) ValidateUpdate(ctx context.Context, _, t *v1alpha1.MaturityTarget) (admission.Warnings, error) {
	return v.warnings(ctx, t), nil
}

// ValidateDelete implements admission.Validator.
func (MaturityTargetValidator) ValidateDelete(context.Context, *v1alpha1.MaturityTarget) (admission.Warnings, error) {
	return nil, nil
}

func (v MaturityTargetValidator) warnings(ctx context.Context, t *v1alpha1.MaturityTarget) admission.Warnings {
	if deleting(t) {
		return nil
	}
	var model []string
	if m, models, err := v.lookup.model(ctx, t.Spec.ModelRef.Name); err != nil {
		lookupFailed(ctx, err)
	} else {
		model = modelWarnings(&t.Spec, m, models)
	}
	return warnings(model, v.lookup.sourceWarnings(ctx, t.Namespace, t.Spec.MetricSources))
}
