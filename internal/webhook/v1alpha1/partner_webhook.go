package v1alpha1

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// failurePolicy=ignore: these webhooks only warn, so an operator outage must
// never block writes of Partners or PartnerPrograms.
// +kubebuilder:webhook:path=/validate-growth-scaleup-io-v1alpha1-partner,mutating=false,failurePolicy=ignore,timeoutSeconds=5,sideEffects=None,groups=growth.scaleup.io,resources=partners,verbs=create;update,versions=v1alpha1,name=vpartner-v1alpha1.growth.scaleup.io,admissionReviewVersions=v1
// +kubebuilder:webhook:path=/validate-growth-scaleup-io-v1alpha1-partnerprogram,mutating=false,failurePolicy=ignore,timeoutSeconds=5,sideEffects=None,groups=growth.scaleup.io,resources=partnerprograms,verbs=create;update,versions=v1alpha1,name=vpartnerprogram-v1alpha1.growth.scaleup.io,admissionReviewVersions=v1

// PartnerValidator admits every Partner, with a warning when its program
// does not exist in the namespace yet or when the partner does not fit the
// program (a type or onboarding step the program does not have).
type PartnerValidator struct {
	lookup lookup
}

// ValidateCreate implements admission.Validator.
func (v PartnerValidator) ValidateCreate(ctx context.Context, p *v1alpha1.Partner) (admission.Warnings, error) {
	return v.warnings(ctx, p), nil
}

// ValidateUpdate implements admission.Validator.
func (v PartnerValidator) ValidateUpdate(ctx context.Context, _, p *v1alpha1.Partner) (admission.Warnings, error) {
	return v.warnings(ctx, p), nil
}

// ValidateDelete implements admission.Validator.
func (PartnerValidator) ValidateDelete(context.Context, *v1alpha1.Partner) (admission.Warnings, error) {
	return nil, nil
}

func (v PartnerValidator) warnings(ctx context.Context, p *v1alpha1.Partner) admission.Warnings {
	if deleting(p) {
		return nil
	}
	prog, programs, err := v.lookup.program(ctx, p.Namespace, p.Spec.ProgramRef.Name)
	if err != nil {
		lookupFailed(ctx, err)
		return nil
	}
	return warnings(partnerWarnings(p, prog, programs))
}

// PartnerProgramValidator admits every PartnerProgram, with a warning for
// each MetricSource it names that is missing from the namespace.
type PartnerProgramValidator struct {
	lookup lookup
}

// ValidateCreate implements admission.Validator.
func (v PartnerProgramValidator) ValidateCreate(ctx context.Context, p *v1alpha1.PartnerProgram) (admission.Warnings, error) {
	return v.warnings(ctx, p), nil
}

// ValidateUpdate implements admission.Validator.
func (v PartnerProgramValidator) ValidateUpdate(ctx context.Context, _, p *v1alpha1.PartnerProgram) (admission.Warnings, error) {
	return v.warnings(ctx, p), nil
}

// ValidateDelete implements admission.Validator.
func (PartnerProgramValidator) ValidateDelete(context.Context, *v1alpha1.PartnerProgram) (admission.Warnings, error) {
	return nil, nil
}

func (v PartnerProgramValidator) warnings(ctx context.Context, p *v1alpha1.PartnerProgram) admission.Warnings {
	if deleting(p) {
		return nil
	}
	return warnings(v.lookup.sourceWarnings(ctx, p.Namespace, p.Spec.MetricSources))
}
