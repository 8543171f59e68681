package controllers_test

import (
	"encoding/json"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// statusObject is a kind whose status has conditions and an
// observedGeneration.
type statusObject interface {
	client.Object
	GetConditions() []metav1.Condition
}

// Hostile manifests that the schema cannot refuse, because only another
// object or the clock tells them apart: they are admitted, and the subject
// reports the field it cannot use in one line, for its current generation,
// with only finite numbers in its status.
var _ = Describe("Hostile manifests that are admitted", func() {
	longName := strings.Repeat("n", 253)
	joined := func() time.Time { return fakeClock.Now().Add(-10 * 24 * time.Hour) }
	withProgram := func(ns string, p *v1alpha1.Partner) *v1alpha1.Partner {
		create(partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}))
		return p
	}

	DescribeTable("report the field in one line",
		func(build func(ns string) statusObject, condType string, want metav1.ConditionStatus, wantField string) {
			ns := newNamespace()
			subject := build(ns)
			create(subject)
			Eventually(func(g Gomega) {
				get(g, subject)
				raw, err := json.Marshal(subject)
				g.Expect(err).NotTo(HaveOccurred(), "the status must encode: no NaN or Inf")
				var status struct {
					Status struct {
						ObservedGeneration int64 `json:"observedGeneration"`
					} `json:"status"`
				}
				g.Expect(json.Unmarshal(raw, &status)).To(Succeed())
				g.Expect(status.Status.ObservedGeneration).To(Equal(subject.GetGeneration()))
				c := condition(subject.GetConditions(), condType)
				g.Expect(c.Status).To(Equal(want), "%s: %s", c.Reason, c.Message)
				g.Expect(c.ObservedGeneration).To(Equal(subject.GetGeneration()))
				g.Expect(c.Message).To(ContainSubstring(wantField))
				g.Expect(c.Message).NotTo(ContainSubstring("\n"))
			}).Should(Succeed())
		},
		Entry("a partner whose onboarding step is before it joined", func(ns string) statusObject {
			p := withProgram(ns, partner(ns, longName, joined()))
			p.Spec.Onboarding.Completed = []v1alpha1.CompletedStep{{Step: "agreement", At: metav1.NewTime(joined().Add(-time.Hour))}}
			return p
		}, "Stalled", metav1.ConditionTrue, "spec.onboarding.completed[0].at"),
		Entry("a partner who left before joining", func(ns string) statusObject {
			p := withProgram(ns, partner(ns, "left-early", joined()))
			p.Spec.Activity.LeftAt = &metav1.Time{Time: joined().Add(-time.Second)}
			return p
		}, "Stalled", metav1.ConditionTrue, "spec.activity.leftAt"),
		Entry("a partner who contributed in year 1 but joined this year", func(ns string) statusObject {
			p := withProgram(ns, partner(ns, "year-one", joined()))
			p.Spec.Activity.FirstContributionAt = &metav1.Time{Time: time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC)}
			return p
		}, "Stalled", metav1.ConditionTrue, "spec.activity.firstContributionAt"),
		Entry("a partner whose last activity, in year 9999, is before its first contribution", func(ns string) statusObject {
			p := withProgram(ns, partner(ns, "far-apart", joined()))
			p.Spec.Activity.FirstContributionAt = &metav1.Time{Time: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)}
			p.Spec.Activity.LastActivityAt = &metav1.Time{Time: time.Date(9999, 12, 31, 23, 59, 58, 0, time.UTC)}
			return p
		}, "Stalled", metav1.ConditionTrue, "spec.activity.lastActivityAt"),
		Entry("a partner of a type spelled with a digit 1 for an l", func(ns string) statusObject {
			p := withProgram(ns, partner(ns, "look-alike", joined()))
			p.Spec.Type = "Affi1iate"
			return p
		}, "Stalled", metav1.ConditionTrue, "spec.type"),
		Entry("a target level behind a right-to-left override", func(ns string) statusObject {
			create(testModel(ns))
			create(reportedSource(ns, "reported", atGrowingPains()))
			return target(ns, longName, ns, "Growing\u202ePains", "reported")
		}, "Stalled", metav1.ConditionTrue, "spec.targetLevel"),
		Entry("an HTTP source on loopback with a 253-character name", func(ns string) statusObject {
			return httpMetricSource(ns, longName, "http://127.0.0.2:1/metrics.json",
				"pairs=[1, 2, 3].all(x, x > 0) ? 1.0 : 0.0")
		}, "Stalled", metav1.ConditionTrue, "spec.http.url"),
	)
})
