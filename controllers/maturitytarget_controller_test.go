package controllers_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var _ = Describe("MaturityTarget", func() {
	var ns string
	ctx := context.Background()

	BeforeEach(func() {
		ns = newNamespace()
		create(testModel(ns))
	})

	It("computes the current level and follows the metrics up and down", func() {
		src := reportedSource(ns, "reported", atGrowingPains())
		create(src)
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		create(t)

		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.ObservedGeneration).To(Equal(t.Generation))
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			g.Expect(t.Status.NextLevel).To(Equal("HighPerformance"))
			g.Expect(t.Status.Score).To(Equal(&v1alpha1.Score{Passed: 2, Total: 4, Summary: "2/4"}))
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(condition(t.Status.Conditions, "TargetMet").Reason).To(Equal("BelowTarget"))
			g.Expect(condition(t.Status.Conditions, "MetricsAvailable").Status).To(BeEquivalentTo("True"))
			g.Expect(t.Status.StallCauses).To(Equal([]v1alpha1.StallCauseCount{
				{Name: "ComplexityAndCost", FailingObjectives: 1}, {Name: "CostlyTechnology", FailingObjectives: 1},
			}))
			g.Expect(t.Status.BlockedBy).To(ContainElement(HaveField("Objective", "response")))
			g.Expect(t.Status.Objectives).To(ContainElement(SatisfyAll(
				HaveField("Blocking", Not(BeNil())),
				HaveField("Blocking.Objective", "response"),
				HaveField("Blocking.Rule", "metrics.responseHours <= 4.0"),
				HaveField("Blocking.Result", "Failed"),
				HaveField("Blocking.Values", []string{"responseHours=6 (reported)"}),
			)))
		}).Should(Succeed())
		Expect(status.Compute(toUnstructured(t))).To(HaveField("Status", status.CurrentStatus))

		By("raising the failing metrics the business reaches its target")
		patchValues(src, map[string]float64{"responseHours": 3, "csat": 85, "availability": 99.95, "pageSeconds": 1.5})
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("HighPerformance"))
			g.Expect(condition(t.Status.Conditions, "TargetMet").Status).To(BeEquivalentTo("True"))
			g.Expect(t.Status.Trend).To(Equal("Improving"))
			g.Expect(t.Status.History).To(HaveLen(2))
		}).Should(Succeed())

		By("an availability drop moves it below GrowingPains")
		patchValues(src, map[string]float64{"responseHours": 3, "csat": 85, "availability": 98, "pageSeconds": 1.5})
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("Startup"))
			g.Expect(t.Status.Trend).To(Equal("Declining"))
			g.Expect(condition(t.Status.Conditions, "TargetMet").Status).To(BeEquivalentTo("False"))
		}).Should(Succeed())
	})

	It("reports metrics no source provides as missing, never as passed", func() {
		values := atGrowingPains()
		delete(values, "csat")
		create(reportedSource(ns, "reported", values))
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("Startup"))
			g.Expect(t.Status.MissingMetrics).To(Equal([]string{"csat"}))
			c := condition(t.Status.Conditions, "MetricsAvailable")
			g.Expect(c.Reason).To(Equal("MetricsMissing"))
			g.Expect(c.Message).To(ContainSubstring("csat"))
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
	})

	It("is Stalled when the target level is not one of the model's levels", func() {
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns, "Unicorn", "reported")
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			c := condition(t.Status.Conditions, "Stalled")
			g.Expect(c.Status).To(BeEquivalentTo("True"))
			g.Expect(c.Reason).To(Equal("UnknownLevel"))
			g.Expect(c.Message).To(ContainSubstring(`spec.targetLevel "Unicorn"`))
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("False"))
			g.Expect(t.Status.ObservedGeneration).To(Equal(t.Generation))
		}).Should(Succeed())
		Expect(status.Compute(toUnstructured(t))).To(HaveField("Status", status.FailedStatus))

		By("fixing the spec clears Stalled")
		t.Spec.TargetLevel = "GrowingPains"
		Expect(k8sClient.Update(ctx, t)).To(Succeed())
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "Stalled").Status).To(Equal(metav1.ConditionStatus("Absent")))
			g.Expect(condition(t.Status.Conditions, "TargetMet").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
	})

	It("waits, InProgress and never Stalled, for a missing model and proceeds when it is created", func() {
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns+"-later", "HighPerformance", "reported")
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "Ready")).To(SatisfyAll(
				HaveField("Status", BeEquivalentTo("False")), HaveField("Reason", "ModelNotFound"),
				HaveField("Message", ContainSubstring(ns+"-later"))))
			g.Expect(condition(t.Status.Conditions, "Reconciling").Status).To(BeEquivalentTo("True"))
			g.Expect(condition(t.Status.Conditions, "Stalled").Status).To(BeEquivalentTo("Absent"))
			g.Expect(t.Status.ObservedGeneration).To(BeZero())
		}).Should(Succeed())
		create(testModel(ns + "-later"))
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
		}).Should(Succeed())
	})

	It("is un-stalled when its model gains the target level", func() {
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns, "EnterpriseGrade", "reported")
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "Stalled").Reason).To(Equal("UnknownLevel"))
		}).Should(Succeed())

		m := testModel(ns)
		Eventually(func(g Gomega) {
			get(g, m)
			m.Spec.Levels = append(m.Spec.Levels, v1alpha1.Level{Name: "EnterpriseGrade"})
			g.Expect(k8sClient.Update(ctx, m)).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "Stalled").Status).To(BeEquivalentTo("Absent"))
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
		}).Should(Succeed())
	})

	It("waits, InProgress, for a MetricSource that does not exist yet", func() {
		t := target(ns, "shop", ns, "HighPerformance", "later")
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "Ready").Reason).To(Equal("MetricSourceNotFound"))
			g.Expect(condition(t.Status.Conditions, "Reconciling").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
		Expect(status.Compute(toUnstructured(t))).To(HaveField("Status", status.InProgressStatus))
		create(reportedSource(ns, "later", atGrowingPains()))
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
	})

	It("merges sources in order, the later one winning", func() {
		create(reportedSource(ns, "base", atGrowingPains()))
		create(reportedSource(ns, "override", map[string]float64{"responseHours": 2}))
		t := target(ns, "shop", ns, "HighPerformance", "base", "override")
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Score).To(HaveField("Passed", BeEquivalentTo(3)))
			g.Expect(t.Status.Objectives).To(ContainElement(SatisfyAll(
				HaveField("Objective", "response"), HaveField("ReachedLevel", "HighPerformance"))))
		}).Should(Succeed())
	})
})

func patchValues(src *v1alpha1.MetricSource, values map[string]float64) {
	GinkgoHelper()
	Eventually(func(g Gomega) {
		get(g, src)
		src.Spec.Reported.Values = values
		src.Spec.Reported.ObservedAt = &metav1.Time{Time: fakeClock.Now()}
		g.Expect(k8sClient.Update(context.Background(), src)).To(Succeed())
	}).Should(Succeed())
}

func toUnstructured(obj runtime.Object) *unstructured.Unstructured {
	GinkgoHelper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	Expect(err).NotTo(HaveOccurred())
	return &unstructured.Unstructured{Object: m}
}
