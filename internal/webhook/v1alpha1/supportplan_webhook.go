package v1alpha1

import (
	"context"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/supportplan"
)

// failurePolicy=fail, as for the other webhooks that deny (MaturityModel,
// MetricSource): a stage rule that does not compile must not get in while
// the operator is down. The manager's two replicas and its
// PodDisruptionBudget keep a server up.
// +kubebuilder:webhook:path=/validate-growth-scaleup-io-v1alpha1-supportplan,mutating=false,failurePolicy=fail,sideEffects=None,groups=growth.scaleup.io,resources=supportplans,verbs=create;update,versions=v1alpha1,name=vsupportplan-v1alpha1.growth.scaleup.io,admissionReviewVersions=v1

// SupportPlanValidator rejects a SupportPlan whose stage rules do not
// compile or do not return a bool, naming each rule's field, with the
// compiler the controller uses (supportplan.CheckStages). It admits every
// other plan with a warning for each MetricSource it names that is missing
// from the namespace.
type SupportPlanValidator struct {
	lookup lookup
}

// ValidateCreate implements admission.Validator.
func (v SupportPlanValidator) ValidateCreate(ctx context.Context, p *v1alpha1.SupportPlan) (admission.Warnings, error) {
	if err := validateStages(p); err != nil {
		return nil, err
	}
	return warnOnly[*v1alpha1.SupportPlan](v.warnings).ValidateCreate(ctx, p)
}

// ValidateUpdate implements admission.Validator. An update that leaves
// spec.stages as they were is not refused for them (the controller reports
// such a plan Stalled already), so that a plan admitted before this check,
// or under an older compiler, can still lose a finalizer or get a label.
func (v SupportPlanValidator) ValidateUpdate(ctx context.Context, old, p *v1alpha1.SupportPlan) (admission.Warnings, error) {
	if !equality.Semantic.DeepEqual(old.Spec.Stages, p.Spec.Stages) {
		if err := validateStages(p); err != nil {
			return nil, err
		}
	}
	return warnOnly[*v1alpha1.SupportPlan](v.warnings).ValidateUpdate(ctx, old, p)
}

// ValidateDelete implements admission.Validator.
func (SupportPlanValidator) ValidateDelete(context.Context, *v1alpha1.SupportPlan) (admission.Warnings, error) {
	return nil, nil
}

func (v SupportPlanValidator) warnings(ctx context.Context, p *v1alpha1.SupportPlan) admission.Warnings {
	return warnings(v.lookup.sourceWarnings(ctx, p.Namespace, p.Spec.MetricSources))
}

// validateStages refuses the plan's stage rules that do not compile. The
// default stages (spec.stages empty) always compile.
func validateStages(p *v1alpha1.SupportPlan) error {
	if len(p.Spec.Stages) == 0 {
		return nil
	}
	return invalid("SupportPlan", p.Name, supportplan.CheckStages(&p.Spec))
}

// invalid is the Invalid error of the API server for errs, one cause per
// field, the bad value left out (the message quotes the rule); nil when
// errs is empty.
func invalid(kind, name string, errs []maturity.FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	list := make(field.ErrorList, 0, len(errs))
	for _, e := range errs {
		list = append(list, &field.Error{Type: field.ErrorTypeInvalid, Field: e.Field, BadValue: field.OmitValueType{}, Detail: e.Message})
	}
	return apierrors.NewInvalid(v1alpha1.GroupVersion.WithKind(kind).GroupKind(), name, list)
}
