package v1alpha1

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// +kubebuilder:webhook:path=/validate-growth-scaleup-io-v1alpha1-campaign,mutating=false,failurePolicy=fail,sideEffects=None,groups=growth.scaleup.io,resources=campaigns,verbs=create;update,versions=v1alpha1,name=vcampaign-v1alpha1.growth.scaleup.io,admissionReviewVersions=v1

// CampaignValidator rejects campaigns whose rules do not compile, whose
// selector does not parse, or that name streams, objectives, levels or
// stall causes their model does not have. The CRD schema checks the dates
// (spec.targetDate after spec.start). A model that does not exist yet draws
// a warning: the campaign waits for it.
type CampaignValidator struct {
	lookup lookup
	models *maturity.Cache
}

// ValidateCreate implements admission.Validator.
func (v CampaignValidator) ValidateCreate(ctx context.Context, c *v1alpha1.Campaign) (admission.Warnings, error) {
	return v.validate(ctx, c)
}

// ValidateUpdate implements admission.Validator.
func (v CampaignValidator) ValidateUpdate(ctx context.Context, _, c *v1alpha1.Campaign) (admission.Warnings, error) {
	return v.validate(ctx, c)
}

// ValidateDelete implements admission.Validator.
func (CampaignValidator) ValidateDelete(context.Context, *v1alpha1.Campaign) (admission.Warnings, error) {
	return nil, nil
}

func (v CampaignValidator) validate(ctx context.Context, c *v1alpha1.Campaign) (admission.Warnings, error) {
	if deleting(c) {
		return nil, nil
	}
	var errs []maturity.FieldError
	if _, err := metav1.LabelSelectorAsSelector(&c.Spec.TargetSelector); err != nil {
		errs = append(errs, maturity.FieldError{Field: "spec.targetSelector", Message: err.Error()})
	}
	compiled, cerrs := maturity.CompileCampaign(&c.Spec)
	errs = append(errs, cerrs...)
	if compiled == nil {
		return nil, invalid("Campaign", c.Name, errs)
	}
	m, models, err := v.lookup.model(ctx, c.Spec.ModelRef.Name)
	switch {
	case err != nil:
		lookupFailed(ctx, err)
	case m == nil:
		return campaignModelWarning(c.Spec.ModelRef.Name, models), invalid("Campaign", c.Name, errs)
	default:
		if model, merrs := v.models.Get(m); len(merrs) == 0 {
			errs = append(errs, model.CheckCampaign(compiled)...)
		}
	}
	return nil, invalid("Campaign", c.Name, errs)
}

// campaignModelWarning is the warning for a campaign whose model does not
// exist.
func campaignModelWarning(name string, models []string) admission.Warnings {
	return admission.Warnings{fmt.Sprintf("spec.modelRef: MaturityModel %q does not exist (yet); the campaign waits for it (models: %v)", name, models)}
}
