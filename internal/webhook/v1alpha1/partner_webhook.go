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

// PartnerValidator finds the warnings for a Partner: when its program
// does not exist in the namespace yet or when the partner does not fit the
// program (a type or onboarding step the program does not have).
type PartnerValidator struct {
	lookup lookup
}

func (v PartnerValidator) warnings(ctx context.Context, p *v1alpha1.Partner) admission.Warnings {
	prog, programs, err := v.lookup.program(ctx, p.Namespace, p.Spec.ProgramRef.Name)
	if err != nil {
		lookupFailed(ctx, err)
		return nil
	}
	return warnings(partnerWarnings(p, prog, programs))
}

// PartnerProgramValidator finds the warnings for a PartnerProgram: one for
// each MetricSource it names that is missing from the namespace, and one
// for a readiness gate whose MaturityTarget is missing or whose
// minimumLevel the target's model does not have.
type PartnerProgramValidator struct {
	lookup lookup
}

func (v PartnerProgramValidator) warnings(ctx context.Context, p *v1alpha1.PartnerProgram) admission.Warnings {
	return warnings(v.lookup.readinessWarnings(ctx, p), v.lookup.sourceWarnings(ctx, p.Namespace, p.Spec.MetricSources))
}
