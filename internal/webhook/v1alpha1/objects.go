package v1alpha1

import (
	"context"
	"slices"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// objectsWarnings warns about each object an Objects source names that is
// not in its namespace (plans and programs are the names of the SupportPlans
// and PartnerPrograms there): the source waits for it.
func objectsWarnings(src *v1alpha1.MetricSource, plans, programs []string) []string {
	spec := src.Spec.Objects
	if spec == nil {
		return nil
	}
	var out []string
	if ref := spec.SupportPlanRef; ref != nil && !slices.Contains(plans, ref.Name) {
		out = append(out, warning("spec.objects.supportPlanRef.name",
			"SupportPlan %q not found in namespace %s; the source waits for it (SupportPlans there: %s)",
			ref.Name, src.Namespace, listNames(plans)))
	}
	if ref := spec.PartnerProgramRef; ref != nil && !slices.Contains(programs, ref.Name) {
		out = append(out, warning("spec.objects.partnerProgramRef.name",
			"PartnerProgram %q not found in namespace %s; the source waits for it (PartnerPrograms there: %s)",
			ref.Name, src.Namespace, listNames(programs)))
	}
	return out
}

// objectsWarnings looks up the objects an Objects source names. A failed
// lookup is logged and gives no warning: warnings advise, they never block.
func (r lookup) objectsWarnings(ctx context.Context, src *v1alpha1.MetricSource) []string {
	spec := src.Spec.Objects
	if r.reader == nil || spec == nil || deleting(src) {
		return nil
	}
	var plans, programs []string
	var err error
	if ref := spec.SupportPlanRef; ref != nil {
		if plans, err = r.existing(ctx, src.Namespace, []string{ref.Name},
			func() client.Object { return &v1alpha1.SupportPlan{} }, &v1alpha1.SupportPlanList{}); err != nil {
			lookupFailed(ctx, err)
			return nil
		}
	}
	if ref := spec.PartnerProgramRef; ref != nil {
		if programs, err = r.existing(ctx, src.Namespace, []string{ref.Name},
			func() client.Object { return &v1alpha1.PartnerProgram{} }, &v1alpha1.PartnerProgramList{}); err != nil {
			lookupFailed(ctx, err)
			return nil
		}
	}
	return objectsWarnings(src, plans, programs)
}
