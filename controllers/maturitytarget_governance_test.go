package controllers_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Governance of a MaturityTarget: exemptions, shadow rules, weighted scores
// and stabilization, driven by the suite's fake clock.
var _ = Describe("MaturityTarget governance", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	It("counts an exempted objective as meeting the target until the exemption expires", func() {
		create(testModel(ns))
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		expires := fakeClock.Now().Add(time.Hour).Truncate(time.Second)
		t.Spec.Exemptions = []v1alpha1.Exemption{
			{Stream: "service", Objective: "response", Reason: "new helpdesk lands in Q3", Approver: "platform-team", ExpiresAt: metav1.NewTime(expires)},
			{Stream: "service", Objective: "responses", Reason: "typo", Approver: "platform-team", ExpiresAt: metav1.NewTime(expires)},
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
				SatisfyAll(HaveField("State", v1alpha1.ExemptionUnknownObjective), HaveField("Message", ContainSubstring("service/responses"))),
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
		Eventually(eventsOf(t)).Should(HaveKeyWithValue(v1alpha1.ReasonExemptionLapsed, BeEquivalentTo(2)),
			"one for the unknown objective, one for the expiry")
	})

	// expectShadowed creates a target whose numbers pass every rule of
	// testModel, under the model just created with one shadow rule it fails
	// (objective, rule), and waits until the target is at HighPerformance,
	// met and without tasks, with that rule reported as holding it back in
	// the shadow. It returns the target as it then is.
	expectShadowed := func(objective, rule string) *v1alpha1.MaturityTarget {
		GinkgoHelper()
		create(reportedSource(ns, "reported", map[string]float64{"responseHours": 3, "csat": 85, "availability": 99.95, "pageSeconds": 1.5}))
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("HighPerformance"))
			g.Expect(condition(t.Status.Conditions, "TargetMet").Status).To(BeEquivalentTo("True"))
			g.Expect(t.Status.Shadow).To(Equal(&v1alpha1.ShadowSummary{CurrentLevel: "GrowingPains", Objectives: 1}))
			g.Expect(t.Status.Objectives).To(ContainElement(SatisfyAll(
				HaveField("Objective", objective), HaveField("MeetsTarget", true), HaveField("ReachedLevel", "HighPerformance"),
				HaveField("ShadowBlocking.Rule", rule), HaveField("ShadowBlocking.Result", "Failed"))))
			g.Expect(tasksOf(g, ns, "shop")).To(BeEmpty())
		}).Should(Succeed())
		return t
	}

	It("reports a shadow rule without changing the level or the tasks", func() {
		model := testModel(ns)
		speed := &model.Spec.Streams[1].Objectives[1]
		speed.Criteria[0] = v1alpha1.Criterion{Level: "HighPerformance", Rule: "metrics.pageSeconds <= 1.0", Shadow: true}
		create(model)
		t := expectShadowed("speed", "metrics.pageSeconds <= 1.0")
		Expect(t.Status.Score).To(HaveField("Passed", BeEquivalentTo(4)))
	})

	It("reports a shadow level without changing the level or the tasks", func() {
		model := testModel(ns)
		// Scaling is being introduced between GrowingPains and
		// HighPerformance, with one rule the business fails.
		model.Spec.Levels = []v1alpha1.Level{{Name: "Startup"}, {Name: "GrowingPains"}, {Name: "Scaling", Shadow: true}, {Name: "HighPerformance"}}
		satisfaction := &model.Spec.Streams[0].Objectives[1]
		satisfaction.Criteria = append(satisfaction.Criteria, v1alpha1.Criterion{Level: "Scaling", Rule: "metrics.csat >= 95"})
		create(model)
		expectShadowed("satisfaction", "metrics.csat >= 95")
	})

	It("weighs the score and names a failing key objective, which keeps the target unmet", func() {
		model := testModel(ns)
		response := &model.Spec.Streams[0].Objectives[0]
		response.Weight, response.Key = ptr.To[int32](3), true
		create(model)
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			// satisfaction and speed pass, weight 2 of 3+1+1+1.
			g.Expect(t.Status.Score).To(Equal(&v1alpha1.Score{Passed: 2, Total: 4, Summary: "2/4", Percent: ptr.To[int32](33),
				KeyFailing: []v1alpha1.ObjectiveRef{{Stream: "service", Objective: "response"}}}))
			c := condition(t.Status.Conditions, "TargetMet")
			g.Expect(c.Status).To(BeEquivalentTo("False"))
			g.Expect(c.Message).To(ContainSubstring("key objectives below it: service/response"))
		}).Should(Succeed())
	})

	It("holds a level change back until it has lasted spec.stabilization.duration", func() {
		create(testModel(ns))
		src := reportedSource(ns, "reported", atGrowingPains())
		create(src)
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		t.Spec.Stabilization = &v1alpha1.Stabilization{Duration: &metav1.Duration{Duration: time.Hour}}
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"), "the first evaluation takes effect at once")
			g.Expect(t.Status.PendingLevel).To(BeNil())
		}).Should(Succeed())

		By("the business climbs: the new level is pending")
		climbed := fakeClock.Now().Truncate(time.Second)
		patchValues(src, map[string]float64{"responseHours": 3, "csat": 85, "availability": 99.95, "pageSeconds": 1.5})
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			g.Expect(t.Status.PendingLevel).To(SatisfyAll(HaveField("Level", "HighPerformance"),
				HaveField("Since.Time", BeTemporally("==", climbed))))
			g.Expect(t.Status.Score).To(HaveField("Passed", BeEquivalentTo(4)))
			g.Expect(condition(t.Status.Conditions, "TargetMet").Status).To(BeEquivalentTo("False"))
		}).Should(Succeed())

		By("an hour later it takes effect")
		fakeClock.Step(time.Hour)
		nudge(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("HighPerformance"))
			g.Expect(t.Status.PendingLevel).To(BeNil())
			g.Expect(condition(t.Status.Conditions, "TargetMet").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
	})

	It("never drops a stabilized level on missing or stale data", func() {
		create(testModel(ns))
		src := reportedSource(ns, "reported", map[string]float64{"responseHours": 3, "csat": 85, "availability": 99.95, "pageSeconds": 1.5})
		create(src)
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		t.Spec.Stabilization = &v1alpha1.Stabilization{Evaluations: ptr.To[int32](1)}
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("HighPerformance"))
		}).Should(Succeed())

		By("a metric disappears: its objective is unknown, the level stays")
		patchValues(src, map[string]float64{"responseHours": 3, "csat": 85, "pageSeconds": 1.5})
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.MissingMetrics).To(Equal([]string{"availability"}))
			g.Expect(t.Status.Objectives).To(ContainElement(SatisfyAll(HaveField("Objective", "availability"), HaveField("MeetsTarget", false))))
			g.Expect(t.Status.CurrentLevel).To(Equal("HighPerformance"))
			g.Expect(t.Status.PendingLevel).To(BeNil())
		}).Should(Succeed())

		By("failing values arrive already stale: the level stays")
		Eventually(func(g Gomega) {
			get(g, src)
			src.Spec.MaxAge = &metav1.Duration{Duration: time.Hour}
			src.Spec.Reported.Values = map[string]float64{"responseHours": 30, "csat": 10, "availability": 90, "pageSeconds": 9}
			src.Spec.Reported.ObservedAt = &metav1.Time{Time: fakeClock.Now().Add(-2 * time.Hour)}
			g.Expect(k8sClient.Update(context.Background(), src)).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "MetricsAvailable").Reason).To(Equal("MetricsStale"))
			g.Expect(t.Status.Score).To(HaveField("Passed", BeEquivalentTo(0)))
			g.Expect(t.Status.CurrentLevel).To(Equal("HighPerformance"))
		}).Should(Succeed())

		By("the same values, fresh, drop it")
		patchValues(src, map[string]float64{"responseHours": 30, "csat": 10, "availability": 90, "pageSeconds": 9})
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("Startup"))
		}).Should(Succeed())
	})
})
