package v1alpha1

import (
	"slices"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestExemptionWarnings(t *testing.T) {
	model := ecommerceModel()
	model.Spec.Streams = []v1alpha1.Stream{
		{Name: "customer-service", Objectives: []v1alpha1.Objective{{Name: "response-time"}, {Name: "satisfaction"}}},
		{Name: "technology", Objectives: []v1alpha1.Objective{{Name: "availability"}}},
	}
	spec := func(refs ...[2]string) *v1alpha1.MaturityTargetSpec {
		s := targetSpec("ecommerce-scaleup", "HighPerformance")
		for _, r := range refs {
			s.Exemptions = append(s.Exemptions, v1alpha1.Exemption{Stream: r[0], Objective: r[1], Reason: "r", Approver: "a"})
		}
		return s
	}
	cases := []struct {
		name  string
		spec  *v1alpha1.MaturityTargetSpec
		model *v1alpha1.MaturityModel
		want  []string
	}{
		{"resolves", spec([2]string{"technology", "availability"}), model, nil},
		{"no model yet: no advice", spec([2]string{"technology", "nope"}), nil, nil},
		{"unknown objective", spec([2]string{"technology", "availability"}, [2]string{"customer-service", "response"}), model, []string{
			`spec.exemptions[1].objective: stream customer-service of MaturityModel ecommerce-scaleup has no objective "response"; the exemption has no effect (objectives: response-time, satisfaction)`,
		}},
		{"unknown stream", spec([2]string{"tech", "availability"}), model, []string{
			`spec.exemptions[0].stream: MaturityModel ecommerce-scaleup has no stream "tech"; the exemption has no effect (streams: customer-service, technology)`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := exemptionWarnings(tc.spec, tc.model); !slices.Equal(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
