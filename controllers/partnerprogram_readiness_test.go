package controllers_test

import (
	"fmt"
	"maps"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// gatedProgram is a program in two stages, pilot (2 seats) and growth, with
// no targets and a zero validation window: without a gate it would open
// growth on its first pass. Its readiness gate names MaturityTarget shop.
func gatedProgram(ns, minimum string, hold v1alpha1.WhileNotReady) *v1alpha1.PartnerProgram {
	prog := partnerProgram(ns, v1alpha1.Expansion{
		Mode:             v1alpha1.ExpansionGradual,
		Stages:           []v1alpha1.ExpansionStage{{Name: "pilot", MaxPartners: 2}, {Name: "growth", MaxPartners: 10}},
		ValidationWindow: &metav1.Duration{},
	})
	prog.Spec.Readiness = &v1alpha1.ReadinessGate{
		MaturityTargetRef: v1alpha1.LocalObjectReference{Name: "shop"}, MinimumLevel: minimum, WhileNotReady: hold,
	}
	return prog
}

// threePartners joined a day apart, the first three days ago.
func threePartners(ns string) []*v1alpha1.Partner {
	var ps []*v1alpha1.Partner
	for i := range 3 {
		p := partner(ns, fmt.Sprintf("p%d", i), fakeClock.Now().Add(time.Duration(i-3)*24*time.Hour))
		create(p)
		ps = append(ps, p)
	}
	return ps
}

var _ = Describe("PartnerProgram readiness gate", func() {
	It("holds the first stage while the business is below the minimum level, and opens once, with one Event, when it reaches it", func() {
		ns := newNamespace()
		create(testModel(ns))
		values := atGrowingPains()
		src := created(reportedSource(ns, "reported", maps.Clone(values)))
		create(target(ns, "shop", ns, "HighPerformance", "reported"))
		prog := created(gatedProgram(ns, "HighPerformance", ""))
		ps := threePartners(ns)

		Eventually(func(g Gomega) {
			get(g, prog)
			g.Expect(prog.Status.ObservedGeneration).To(Equal(prog.Generation))
			g.Expect(prog.Status.Stage).To(Equal("pilot"))
			g.Expect(prog.Status.Partners).To(BeEquivalentTo(3))
			ready := condition(prog.Status.Conditions, v1alpha1.ConditionReadyForPartners)
			g.Expect(ready.Status).To(BeEquivalentTo("False"))
			g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonBelowMinimumLevel))
			g.Expect(ready.Message).To(Equal("shop is at GrowingPains; HighPerformance required"))
			g.Expect(condition(prog.Status.Conditions, v1alpha1.ConditionExpansionOpen).Message).To(ContainSubstring("until the business is ready"))
			g.Expect(condition(prog.Status.Conditions, v1alpha1.ConditionReady).Status).To(BeEquivalentTo("True"))
			get(g, ps[2])
			g.Expect(ps[2].Status.Phase).To(Equal(v1alpha1.PhaseWaitlisted))
			g.Expect(ps[2].Status.PhaseReason).To(Equal("waitlisted: the program holds its first stage's 2 seats, all taken, " +
				"until the business is ready (shop is at GrowingPains; HighPerformance required)"))
		}).Should(Succeed())
		for _, p := range ps[:2] {
			Eventually(func(g Gomega) {
				get(g, p)
				g.Expect(p.Status.Phase).To(Equal(v1alpha1.PhaseOnboarding))
				// Admitted now after waiting idle: the onboarding clock of a
				// gradual program starts at admission.
				g.Expect(p.Status.PhaseReason).To(Equal("onboarding for 0 days: 0 of 2 steps done"))
			}).Should(Succeed())
		}
		reconcileWithoutChange(2, prog)
		Expect(prog.Status.Stage).To(Equal("pilot"), "no stage opens while the business is not ready")
		Eventually(eventsOf(prog)).Should(HaveKeyWithValue(v1alpha1.ReasonStageOpened, BeEquivalentTo(1)), "pilot only")
		Expect(eventsOf(prog)(Default)).NotTo(HaveKey(v1alpha1.ReasonBelowMinimumLevel), "a first value is no flip")

		By("raising the business's numbers to HighPerformance")
		values["responseHours"], values["availability"] = 3, 99.95
		patchValues(src, values)
		Eventually(func(g Gomega) {
			get(g, prog)
			ready := condition(prog.Status.Conditions, v1alpha1.ConditionReadyForPartners)
			g.Expect(ready.Status).To(BeEquivalentTo("True"))
			g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonMinimumLevelReached))
			g.Expect(ready.Message).To(Equal("shop is at HighPerformance; HighPerformance required"))
			g.Expect(prog.Status.Stage).To(Equal("growth"))
			get(g, ps[2])
			g.Expect(ps[2].Status.Phase).To(Equal(v1alpha1.PhaseOnboarding))
		}).Should(Succeed())
		opened := SatisfyAll(HaveKeyWithValue(v1alpha1.ReasonStageOpened, BeEquivalentTo(2)),
			HaveKeyWithValue(v1alpha1.ReasonMinimumLevelReached, BeEquivalentTo(1)), Not(HaveKey(v1alpha1.ReasonBelowMinimumLevel)))
		Eventually(eventsOf(prog)).Should(opened)
		reconcileWithoutChange(2, prog)
		Consistently(eventsOf(prog)).Should(opened)
	})

	It("waits for a target that does not exist yet, then keeps a Closed program closed below the minimum level", func() {
		ns := newNamespace()
		prog := gatedProgram(ns, "HighPerformance", v1alpha1.WhileNotReadyClosed)
		prog.Spec.Expansion = v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}
		expectWarnings(prog, Equal([]string{`spec.readiness.maturityTargetRef.name: MaturityTarget "shop" not found in namespace ` + ns +
			`; the program waits for it (MaturityTargets there: none)`}))
		p := created(partner(ns, "early", fakeClock.Now().Add(-24*time.Hour)))
		Eventually(func(g Gomega) {
			get(g, prog)
			g.Expect(condition(prog.Status.Conditions, v1alpha1.ConditionReady).Reason).To(Equal(v1alpha1.ReasonMaturityTargetNotFound))
			g.Expect(condition(prog.Status.Conditions, v1alpha1.ConditionReconciling).Status).To(BeEquivalentTo("True"))
			g.Expect(condition(prog.Status.Conditions, v1alpha1.ConditionStalled).Status).To(BeEquivalentTo("Absent"))
			get(g, p)
			g.Expect(p.Status.Phase).To(Equal(v1alpha1.PhaseWaitlisted))
		}).Should(Succeed())

		By("the target appears, below the minimum level")
		create(testModel(ns))
		create(reportedSource(ns, "reported", atGrowingPains()))
		create(target(ns, "shop", ns, "HighPerformance", "reported"))
		Eventually(func(g Gomega) {
			get(g, prog)
			g.Expect(condition(prog.Status.Conditions, v1alpha1.ConditionReady).Status).To(BeEquivalentTo("True"))
			g.Expect(condition(prog.Status.Conditions, v1alpha1.ConditionReconciling).Status).To(BeEquivalentTo("Absent"))
			g.Expect(condition(prog.Status.Conditions, v1alpha1.ConditionReadyForPartners).Reason).To(Equal(v1alpha1.ReasonBelowMinimumLevel))
			g.Expect(condition(prog.Status.Conditions, v1alpha1.ConditionExpansionOpen).Reason).To(Equal(v1alpha1.ReasonBusinessNotReady))
			g.Expect(prog.Status.Expansion).To(Equal("Closed"))
			get(g, p)
			g.Expect(p.Status.AdmittedAt).To(BeNil())
			g.Expect(p.Status.PhaseReason).To(Equal("waitlisted: the program admits no one until the business is ready " +
				"(shop is at GrowingPains; HighPerformance required)"))
		}).Should(Succeed())
		Expect(eventsOf(prog)(Default)).NotTo(HaveKey(v1alpha1.ReasonBelowMinimumLevel), "a first value is no flip")
	})

	It("stalls on a minimumLevel the target's model does not have", func() {
		ns := newNamespace()
		create(testModel(ns))
		create(reportedSource(ns, "reported", atGrowingPains()))
		create(target(ns, "shop", ns, "HighPerformance", "reported"))
		prog := created(gatedProgram(ns, "Unicorn", ""))
		Eventually(func(g Gomega) {
			get(g, prog)
			stalled := condition(prog.Status.Conditions, v1alpha1.ConditionStalled)
			g.Expect(stalled.Status).To(BeEquivalentTo("True"))
			g.Expect(stalled.Reason).To(Equal(v1alpha1.ReasonUnknownLevel))
			g.Expect(stalled.Message).To(ContainSubstring(`spec.readiness.minimumLevel "Unicorn"`))
			g.Expect(condition(prog.Status.Conditions, v1alpha1.ConditionReconciling).Status).To(BeEquivalentTo("Absent"))
			g.Expect(prog.Status.ObservedGeneration).To(Equal(prog.Generation))
		}).Should(Succeed())
	})
})
