package v1alpha1

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// +kubebuilder:webhook:path=/validate-growth-scaleup-io-v1alpha1-maturitymodel,mutating=false,failurePolicy=fail,sideEffects=None,groups=growth.scaleup.io,resources=maturitymodels,verbs=create;update,versions=v1alpha1,name=vmaturitymodel-v1alpha1.growth.scaleup.io,admissionReviewVersions=v1

// MaturityModelValidator rejects models whose rules do not compile or that
// point to levels or stall causes they do not declare. The CRD schema checks
// shapes and sizes; only compiling CEL needs code.
type MaturityModelValidator struct{}

// ValidateCreate implements admission.Validator.
func (MaturityModelValidator) ValidateCreate(_ context.Context, m *v1alpha1.MaturityModel) (admission.Warnings, error) {
	return nil, validateModel(m)
}

// ValidateUpdate implements admission.Validator.
func (MaturityModelValidator) ValidateUpdate(_ context.Context, _, m *v1alpha1.MaturityModel) (admission.Warnings, error) {
	return nil, validateModel(m)
}

// ValidateDelete implements admission.Validator. Deleting a model is always
// allowed; its targets wait for it (Reconciling, reason ModelNotFound).
func (MaturityModelValidator) ValidateDelete(context.Context, *v1alpha1.MaturityModel) (admission.Warnings, error) {
	return nil, nil
}

func validateModel(m *v1alpha1.MaturityModel) error {
	_, errs := maturity.Compile(&m.Spec)
	return invalid("MaturityModel", m.Name, errs)
}
