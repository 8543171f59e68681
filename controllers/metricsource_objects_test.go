package controllers_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// capacityModel reads a SupportPlan's figures through an Objects source:
//
//	objective  GrowingPains                       HighPerformance
//	capacity   supportCapacityGap <= 0 (now)      supportNextPeakGap <= 0
func capacityModel(name string) *v1alpha1.MaturityModel {
	return &v1alpha1.MaturityModel{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: v1alpha1.MaturityModelSpec{
			Levels:      []v1alpha1.Level{{Name: "Startup"}, {Name: "GrowingPains"}, {Name: "HighPerformance"}},
			StallCauses: []v1alpha1.StallCause{{Name: "ComplexityAndCost"}},
			Streams: []v1alpha1.Stream{{Name: "support", Objectives: []v1alpha1.Objective{
				objective("capacity", v1alpha1.OwnerCustomerSupport, "ComplexityAndCost",
					"metrics.supportCapacityGap <= 0.0", "metrics.supportNextPeakGap <= 0.0"),
			}}},
		},
	}
}

func objectsSource(ns, name string, objects v1alpha1.ObjectsSource) *v1alpha1.MetricSource {
	return &v1alpha1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourceObjects, Objects: &objects},
	}
}

func sourceValues(src *v1alpha1.MetricSource) map[string]float64 {
	out := map[string]float64{}
	for _, v := range src.Status.Values {
		if v.Value != nil {
			out[v.Name] = *v.Value
		}
	}
	return out
}

func setHeroes(plan *v1alpha1.SupportPlan, heroes int32) {
	GinkgoHelper()
	Eventually(func(g Gomega) {
		get(g, plan)
		plan.Spec.Team.Heroes = heroes
		g.Expect(k8sClient.Update(context.Background(), plan)).To(Succeed())
	}).Should(Succeed())
}

var _ = Describe("MetricSource of type Objects", func() {
	It("moves a MaturityTarget's level when its SupportPlan's capacity gap closes", func() {
		ns := newNamespace()
		create(capacityModel(ns))
		// supportPlan: 4 heroes needed now, 7 at the spring sale.
		plan := supportPlan(ns, 2)
		create(plan)
		src := objectsSource(ns, "objects", v1alpha1.ObjectsSource{SupportPlanRef: &v1alpha1.LocalObjectReference{Name: plan.Name}})
		create(src)
		t := target(ns, "shop", ns, "HighPerformance", src.Name)
		create(t)

		level := func(want string, gapNow, gapPeak float64) {
			GinkgoHelper()
			Eventually(func(g Gomega) {
				get(g, src)
				g.Expect(sourceValues(src)).To(SatisfyAll(
					HaveKeyWithValue("supportCapacityGap", gapNow), HaveKeyWithValue("supportNextPeakGap", gapPeak)))
				g.Expect(condition(src.Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
				get(g, t)
				g.Expect(t.Status.CurrentLevel).To(Equal(want))
			}).Should(Succeed())
		}
		By("2 heroes: 2 missing now, 5 at the peak")
		level("Startup", 2, 5)
		Expect(status.Compute(toUnstructured(src))).To(HaveField("Status", status.CurrentStatus))

		By("4 heroes: none missing now, 3 at the peak")
		setHeroes(plan, 4)
		level("GrowingPains", 0, 3)

		By("7 heroes: the peak is covered too")
		setHeroes(plan, 7)
		level("HighPerformance", 0, 0)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, v1alpha1.ConditionTargetMet).Status).To(Equal(metav1.ConditionTrue))
		}).Should(Succeed())
	})

	It("waits for a SupportPlan that does not exist yet, with a warning, and publishes it once created", func() {
		ns := newNamespace()
		src := objectsSource(ns, "objects", v1alpha1.ObjectsSource{SupportPlanRef: &v1alpha1.LocalObjectReference{Name: "support"}})
		expectWarnings(src, Equal([]string{
			`spec.objects.supportPlanRef.name: SupportPlan "support" not found in namespace ` + ns +
				`; the source waits for it (SupportPlans there: none)`,
		}))
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(condition(src.Status.Conditions, v1alpha1.ConditionReady).Reason).To(Equal(v1alpha1.ReasonObjectNotFound))
			g.Expect(condition(src.Status.Conditions, v1alpha1.ConditionReconciling).Status).To(Equal(metav1.ConditionTrue))
			g.Expect(condition(src.Status.Conditions, v1alpha1.ConditionStalled).Status).To(BeEquivalentTo("Absent"))
			g.Expect(src.Status.Values).To(BeEmpty())
		}).Should(Succeed())
		Expect(status.Compute(toUnstructured(src))).To(HaveField("Status", status.InProgressStatus))

		create(supportPlan(ns, 4))
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(condition(src.Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
			g.Expect(condition(src.Status.Conditions, v1alpha1.ConditionReconciling).Status).To(BeEquivalentTo("Absent"))
			g.Expect(sourceValues(src)).To(SatisfyAll(
				HaveKeyWithValue("supportHeroes", 4.0), HaveKeyWithValue("supportCapacityGap", 0.0),
				HaveKeyWithValue("supportRequiredHeroes", 7.0), HaveKeyWithValue("supportStageIndex", 1.0)))
			g.Expect(src.Status.ObservedGeneration).To(Equal(src.Generation))
		}).Should(Succeed())
	})

	It("waits for a PartnerProgram that has no status yet", func() {
		ns := newNamespace()
		// The program's readiness gate names a MaturityTarget that does not
		// exist: the program waits, unevaluated.
		prog := gatedProgram(ns, "GrowingPains", v1alpha1.WhileNotReadyHoldFirstStage)
		create(prog)
		src := objectsSource(ns, "objects", v1alpha1.ObjectsSource{PartnerProgramRef: &v1alpha1.LocalObjectReference{Name: prog.Name}})
		create(src)
		Eventually(func(g Gomega) {
			get(g, src)
			ready := condition(src.Status.Conditions, v1alpha1.ConditionReady)
			g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonObjectNotReady))
			g.Expect(ready.Message).To(ContainSubstring(`PartnerProgram "partners"`))
			g.Expect(condition(src.Status.Conditions, v1alpha1.ConditionStalled).Status).To(BeEquivalentTo("Absent"))
		}).Should(Succeed())

		By("the program's target appears and the program is evaluated")
		create(capacityModel(ns))
		create(reportedSource(ns, "reported", map[string]float64{"supportCapacityGap": 0, "supportNextPeakGap": 0}))
		create(target(ns, "shop", ns, "HighPerformance", "reported"))
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(condition(src.Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
			g.Expect(sourceValues(src)).To(SatisfyAll(
				HaveKeyWithValue("partnersTotal", 0.0), HaveKeyWithValue("partnersExpansionOpen", 1.0),
				// No targets to hold and no validation window: the program
				// grows to its second stage, growth, at once.
				HaveKeyWithValue("partnersStageIndex", 2.0)))
		}).Should(Succeed())
	})
})
