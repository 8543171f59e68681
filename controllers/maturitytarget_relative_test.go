package controllers_test

import (
	"context"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Relative targets: a rule compares a metric with its value one comparison
// period earlier, recorded in the target's status; driven by the suite's
// fake clock.
var _ = Describe("A MaturityTarget with a rule over the previous period", func() {
	const rule = "previous.returnRate * 1.1 >= metrics.returnRate"

	It("is unknown until a period has passed, compares with the recorded value, and is unknown again after a restore without status", func() {
		ns := newNamespace()
		model := testModel(ns)
		model.Spec.ComparisonPeriod = &metav1.Duration{Duration: time.Hour}
		model.Spec.Streams = append(model.Spec.Streams, v1alpha1.Stream{Name: "quality", Objectives: []v1alpha1.Objective{{
			Name: "returns", Owner: v1alpha1.OwnerProductManager,
			Criteria: []v1alpha1.Criterion{{Level: "GrowingPains", Rule: rule}},
		}}})
		create(model)
		values := atGrowingPains()
		values["returnRate"] = 0.05
		source := reportedSource(ns, "reported", values)
		create(source)
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		create(t)

		nudge := func() {
			GinkgoHelper()
			value := fmt.Sprintf("nudge-%d", fakeClock.Now().UnixNano())
			requestReconcile(t, value)
			expectHandled(t, value)
		}
		returns := func(g Gomega, result string) *v1alpha1.RuleOutcome {
			var o v1alpha1.ObjectiveResult
			for _, each := range t.Status.Objectives {
				if each.Objective == "returns" {
					o = each
				}
			}
			g.Expect(o.Blocking).NotTo(BeNil(), "objectives: %+v", t.Status.Objectives)
			g.Expect(o.Blocking.Rule).To(Equal(rule))
			g.Expect(o.Blocking.Result).To(Equal(result))
			return o.Blocking
		}
		expectUnknown := func(since time.Time) {
			GinkgoHelper()
			Eventually(func(g Gomega) {
				get(g, t)
				g.Expect(t.Status.CurrentLevel).To(Equal("Startup"), "never passed")
				b := returns(g, "Unknown")
				g.Expect(b.Missing).To(Equal([]string{"previous.returnRate"}))
				g.Expect(t.Status.MissingMetrics).To(BeEmpty(), "no source is missing")
				g.Expect(condition(t.Status.Conditions, "MetricsAvailable").Status).To(BeEquivalentTo("True"))
				g.Expect(t.Status.PeriodSnapshots).To(equalSnapshots(&v1alpha1.PeriodSnapshots{
					Current: &v1alpha1.MetricSnapshot{TakenAt: metav1.NewTime(since), Values: map[string]float64{"returnRate": 0.05}}}))
			}).Should(Succeed())
		}

		By("the first period: nothing to compare with, the rule is unknown")
		start := fakeClock.Now().Truncate(time.Second)
		expectUnknown(start)

		By("a period later the value recorded then is previous: a rise under 10% passes")
		source.Spec.Reported.Values["returnRate"] = 0.054
		Eventually(func() error { return updateSpec(source) }).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(returns(g, "Unknown").Values).To(Equal([]string{"returnRate=0.054 (reported)"}))
		}).Should(Succeed())
		fakeClock.Step(time.Hour)
		nudge()
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			g.Expect(t.Status.PeriodSnapshots).To(equalSnapshots(&v1alpha1.PeriodSnapshots{
				Previous: &v1alpha1.MetricSnapshot{TakenAt: metav1.NewTime(start), Values: map[string]float64{"returnRate": 0.05}},
				Current:  &v1alpha1.MetricSnapshot{TakenAt: metav1.NewTime(start.Add(time.Hour)), Values: map[string]float64{"returnRate": 0.054}},
			}))
		}).Should(Succeed())

		By("a rise over 10% fails, showing both values")
		source.Spec.Reported.Values["returnRate"] = 0.06
		Eventually(func() error { return updateSpec(source) }).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("Startup"))
			b := returns(g, "Failed")
			g.Expect(b.Values).To(Equal([]string{"returnRate=0.06 (reported)",
				"previous.returnRate=0.05 (recorded " + start.UTC().Format(time.RFC3339) + ")"}))
		}).Should(Succeed())

		By("a pass within the period, from the compacted cached copy, writes nothing")
		r := newCountingReconciler(countedTargets, true)
		Eventually(func(g Gomega) {
			get(g, t)
			r.settle(t)
			g.Expect(r.reconcile(t)).To(BeZero())
		}).Should(Succeed())
		Expect(r.compactedReads.Load()).To(BeNumerically(">", 0))

		By("a restore without status: unknown again until a period has passed, never passed")
		source.Spec.Reported.Values["returnRate"] = 0.05
		Eventually(func() error { return updateSpec(source) }).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
		}).Should(Succeed())
		fakeClock.Step(10 * time.Minute)
		restored := fakeClock.Now().Truncate(time.Second)
		Eventually(func(g Gomega) {
			get(g, t)
			t.Status = v1alpha1.MaturityTargetStatus{}
			g.Expect(k8sClient.Status().Update(context.Background(), t)).To(Succeed())
		}).Should(Succeed())
		nudge()
		expectUnknown(restored)
		fakeClock.Step(30 * time.Minute)
		nudge()
		expectUnknown(restored)
		fakeClock.Step(30 * time.Minute)
		nudge()
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			g.Expect(t.Status.PeriodSnapshots).To(equalSnapshots(&v1alpha1.PeriodSnapshots{
				Previous: &v1alpha1.MetricSnapshot{TakenAt: metav1.NewTime(restored), Values: map[string]float64{"returnRate": 0.05}},
				Current:  &v1alpha1.MetricSnapshot{TakenAt: metav1.NewTime(restored.Add(time.Hour)), Values: map[string]float64{"returnRate": 0.05}},
			}))
		}).Should(Succeed())
	})
})

// equalSnapshots compares snapshots as the API server stores them (times
// in any location, to the second).
func equalSnapshots(want *v1alpha1.PeriodSnapshots) types.GomegaMatcher {
	return WithTransform(func(s *v1alpha1.PeriodSnapshots) string { return s.String() }, Equal(want.String()))
}

// updateSpec writes obj's spec over the stored object's.
func updateSpec(src *v1alpha1.MetricSource) error {
	stored := &v1alpha1.MetricSource{}
	if err := k8sClient.Get(context.Background(), client.ObjectKeyFromObject(src), stored); err != nil {
		return err
	}
	stored.Spec = src.Spec
	return k8sClient.Update(context.Background(), stored)
}
