package v1alpha1

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
)

// +kubebuilder:webhook:path=/validate-growth-scaleup-io-v1alpha1-metricsource,mutating=false,failurePolicy=fail,sideEffects=None,groups=growth.scaleup.io,resources=metricsources,verbs=create;update,versions=v1alpha1,name=vmetricsource-v1alpha1.growth.scaleup.io,admissionReviewVersions=v1
// +kubebuilder:rbac:groups=authorization.k8s.io,resources=subjectaccessreviews,verbs=create
// +kubebuilder:rbac:groups="",resources=secrets;configmaps,verbs=get

// MetricSourceValidator rejects HTTP sources whose CEL expressions do not
// compile (the CRD schema checks everything else), and sources naming a
// Secret or ConfigMap that the user writing them may not get. On update
// only the references that are new or changed are checked, all of them
// when the source's destination changes (see refsToCheck).
//
// An Objects source (the CRD checks that spec.objects goes with spec.type
// Objects and names at least one object) draws a warning for each
// SupportPlan or PartnerProgram it names that is not in its namespace yet.
type MetricSourceValidator struct {
	consent consent
	lookup  lookup
}

// ValidateCreate implements admission.Validator.
func (v MetricSourceValidator) ValidateCreate(ctx context.Context, s *v1alpha1.MetricSource) (admission.Warnings, error) {
	if err := validateSource(s); err != nil {
		return nil, err
	}
	ws, err := v.consent.check(ctx, s, refsToCheck(nil, &s.Spec))
	if err != nil {
		return nil, err
	}
	return v.withObjectsWarnings(ctx, s, ws), nil
}

// ValidateUpdate implements admission.Validator.
func (v MetricSourceValidator) ValidateUpdate(ctx context.Context, old, s *v1alpha1.MetricSource) (admission.Warnings, error) {
	if err := validateSource(s); err != nil {
		return nil, err
	}
	ws, err := v.consent.check(ctx, s, refsToCheck(&old.Spec, &s.Spec))
	if err != nil {
		return nil, err
	}
	return v.withObjectsWarnings(ctx, s, ws), nil
}

// withObjectsWarnings adds the warnings about an Objects source's objects
// to those of an admitted write.
func (v MetricSourceValidator) withObjectsWarnings(ctx context.Context, s *v1alpha1.MetricSource, ws admission.Warnings) admission.Warnings {
	if objs := v.lookup.objectsWarnings(ctx, s); len(objs) > 0 {
		return warnings(ws, objs)
	}
	return ws
}

// ValidateDelete implements admission.Validator.
func (MetricSourceValidator) ValidateDelete(context.Context, *v1alpha1.MetricSource) (admission.Warnings, error) {
	return nil, nil
}

func validateSource(s *v1alpha1.MetricSource) error {
	if s.Spec.HTTP == nil {
		return nil
	}
	var list field.ErrorList
	for i, m := range s.Spec.HTTP.Metrics {
		if err := metricsource.CompileExpression(m.Expression); err != nil {
			list = append(list, &field.Error{Type: field.ErrorTypeInvalid, BadValue: field.OmitValueType{},
				Field: fmt.Sprintf("spec.http.metrics[%d].expression", i), Detail: err.Error()})
		}
	}
	if len(list) == 0 {
		return nil
	}
	return apierrors.NewInvalid(v1alpha1.GroupVersion.WithKind("MetricSource").GroupKind(), s.Name, list)
}
