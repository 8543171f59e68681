package v1alpha1

import (
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestObjectsWarnings(t *testing.T) {
	src := func(plan, prog string) *v1alpha1.MetricSource {
		s := &v1alpha1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "acme", Name: "acme-objects"},
			Spec: v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourceObjects, Objects: &v1alpha1.ObjectsSource{}}}
		if plan != "" {
			s.Spec.Objects.SupportPlanRef = &v1alpha1.LocalObjectReference{Name: plan}
		}
		if prog != "" {
			s.Spec.Objects.PartnerProgramRef = &v1alpha1.LocalObjectReference{Name: prog}
		}
		return s
	}
	cases := []struct {
		name            string
		src             *v1alpha1.MetricSource
		plans, programs []string
		want            []string
	}{
		{"both resolve", src("acme-shop", "acme-partners"), []string{"acme-shop"}, []string{"acme-partners"}, nil},
		{"not an Objects source", reportedSourceFor(), nil, nil, nil},
		{"plan missing", src("acme-shop", ""), []string{"other"}, nil, []string{
			`spec.objects.supportPlanRef.name: SupportPlan "acme-shop" not found in namespace acme; the source waits for it (SupportPlans there: other)`,
		}},
		{"both missing", src("acme-shop", "acme-partners"), nil, nil, []string{
			`spec.objects.supportPlanRef.name: SupportPlan "acme-shop" not found in namespace acme; the source waits for it (SupportPlans there: none)`,
			`spec.objects.partnerProgramRef.name: PartnerProgram "acme-partners" not found in namespace acme; the source waits for it (PartnerPrograms there: none)`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := objectsWarnings(c.src, c.plans, c.programs); !slices.Equal(got, c.want) {
				t.Errorf("got %q\nwant %q", got, c.want)
			}
		})
	}
}

func reportedSourceFor() *v1alpha1.MetricSource {
	return &v1alpha1.MetricSource{Spec: v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourceReported,
		Reported: &v1alpha1.ReportedMetrics{Values: map[string]float64{"x": 1}}}}
}
