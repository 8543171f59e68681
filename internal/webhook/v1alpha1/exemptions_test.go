package v1alpha1

import (
	"slices"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

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

func TestExpiredExemptionWarnings(t *testing.T) {
	now := time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC)
	exemption := func(expires time.Time) v1alpha1.Exemption {
		return v1alpha1.Exemption{Stream: "technology", Objective: "availability", Reason: "r", Approver: "a", ExpiresAt: metav1.NewTime(expires)}
	}
	spec := targetSpec("ecommerce-scaleup", "HighPerformance")
	spec.Exemptions = []v1alpha1.Exemption{exemption(now.Add(time.Second)), exemption(now), exemption(now.Add(-24 * time.Hour))}
	want := []string{
		`spec.exemptions[1].expiresAt: 2027-02-01T12:00:00Z has passed; the exemption for technology/availability has no effect`,
		`spec.exemptions[2].expiresAt: 2027-01-31T12:00:00Z has passed; the exemption for technology/availability has no effect`,
	}
	if got := expiredExemptionWarnings(spec, now); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
