package v1alpha1

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// failurePolicy=ignore: this webhook only warns, so an operator outage must
// never block writes of SupportPlans.
// +kubebuilder:webhook:path=/validate-growth-scaleup-io-v1alpha1-supportplan,mutating=false,failurePolicy=ignore,timeoutSeconds=5,sideEffects=None,groups=growth.scaleup.io,resources=supportplans,verbs=create;update,versions=v1alpha1,name=vsupportplan-v1alpha1.growth.scaleup.io,admissionReviewVersions=v1

// SupportPlanValidator finds the warnings for a SupportPlan: one for each
// MetricSource it names that is missing from the namespace.
type SupportPlanValidator struct {
	lookup lookup
}

func (v SupportPlanValidator) warnings(ctx context.Context, p *v1alpha1.SupportPlan) admission.Warnings {
	return warnings(v.lookup.sourceWarnings(ctx, p.Namespace, p.Spec.MetricSources))
}
