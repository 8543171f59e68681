package controllers_test

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Governance of a MaturityTarget: exemptions, shadow rules, weighted scores
// and stabilization, driven by the suite's fake clock.
var _ = Describe("MaturityTarget governance", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	// nudge brings the target back after the clock moved, as its own
	// RequeueAfter would in a cluster.
	nudge := func(t *v1alpha1.MaturityTarget) {
		GinkgoHelper()
		value := fmt.Sprintf("nudge-%d", fakeClock.Now().Unix())
		requestReconcile(t, value)
		expectHandled(t, value)
	}

	It("counts an exempted objective as meeting the target until the exemption expires", func() {
		create(testModel(ns))
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		expires := fakeClock.Now().Add(time.Hour).Truncate(time.Second)
		t.Spec.Exemptions = []v1alpha1.Exemption{
			{Stream: "service", Objective: "response", Reason: "new helpdesk lands in Q3", Approver: "platform-team", ExpiresAt: metav1.NewTime(expires)},
			{Stream: "service", Objective: "reponse", Reason: "typo", Approver: "platform-team", ExpiresAt: metav1.NewTime(expires)},
		}
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Score).To(HaveField("Passed", BeEquivalentTo(3)))
			g.Expect(t.Status.Objectives).To(ContainElement(SatisfyAll(
				HaveField("Objective", "response"), HaveField("MeetsTarget", true), HaveField("ReachedLevel", "GrowingPains"),
				HaveField("Exemption.Reason", "new helpdesk lands in Q3"), HaveField("Exemption.Approver", "platform-team"),
				HaveField("Blocking.Rule", "metrics.responseHours <= 4.0"))))
			g.Expect(t.Status.Exemptions).To(HaveExactElements(
				HaveField("State", v1alpha1.ExemptionActive),
				SatisfyAll(HaveField("State", v1alpha1.ExemptionUnknownObjective), HaveField("Message", ContainSubstring("service/reponse"))),
			))
			names := []string{}
			for _, task := range tasksOf(g, ns, "shop") {
				names = append(names, task.Name)
			}
			g.Expect(names).To(ConsistOf("shop-tech-availability-highperformance"))
		}).Should(Succeed())

		By("the exemption lapses at its expiry and the objective is judged again")
		fakeClock.Step(2 * time.Hour)
		nudge(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Score).To(HaveField("Passed", BeEquivalentTo(2)))
			g.Expect(t.Status.Exemptions[0].State).To(Equal(v1alpha1.ExemptionExpired))
			g.Expect(t.Status.Objectives).To(ContainElement(SatisfyAll(
				HaveField("Objective", "response"), HaveField("MeetsTarget", false), HaveField("Exemption", BeNil()))))
			g.Expect(tasksOf(g, ns, "shop")).To(HaveLen(2))
		}).Should(Succeed())
	})
})
