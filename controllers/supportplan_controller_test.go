package controllers_test

import (
	"context"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// supportPlan is a plan the arithmetic of which fits in a comment, with the
// suite's clock at 2026-03-02 09:00 UTC:
//
//	1000 contacts/week by email at 6 minutes = 100 hero hours a week
//	40 h x 0.8 utilisation = 32 h per hero -> ceil(3.125) = 4 heroes now
//	spring-sale (04-01..04-07) doubles demand: 200 h -> ceil(6.25) = 7 heroes
//	ramp-up 21 days -> hire by 2026-03-11
func supportPlan(ns string, heroes int32) *v1alpha1.SupportPlan {
	return &v1alpha1.SupportPlan{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "support"},
		Spec: v1alpha1.SupportPlanSpec{
			Business:    "Acme Outdoor Ltd",
			TargetStage: v1alpha1.StageRevenueTransition,
			Team: v1alpha1.SupportTeam{
				Heroes: heroes, HoursPerHeroPerWeek: ptr.To(40.0), TargetUtilisation: ptr.To(0.8),
				RampUp: &metav1.Duration{Duration: 21 * 24 * time.Hour},
			},
			Demand:      v1alpha1.SupportDemand{ContactsPerWeek: 1000},
			PeakSeasons: []v1alpha1.PeakSeason{{Name: "spring-sale", Start: "04-01", End: "04-07", Multiplier: 2}},
			Channels:    []v1alpha1.SupportChannel{{Channel: "Email", Share: 1, HandlingMinutes: 6}},
			AI:          &v1alpha1.SupportAI{Enabled: true},
		},
	}
}

var _ = Describe("SupportPlan", func() {
	ctx := context.Background()

	It("finds the heroes the next peak lacks, opens a hire task due by the hire-by date, and resolves it when heroes are added", func() {
		ns := newNamespace()
		plan := supportPlan(ns, 4)
		create(plan)
		hireBy := time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)
		Eventually(func(g Gomega) {
			get(g, plan)
			g.Expect(plan.Status.ObservedGeneration).To(Equal(plan.Generation))
			g.Expect(plan.Status.Heroes).To(BeEquivalentTo(4))
			g.Expect(plan.Status.RequiredHeroes).To(BeEquivalentTo(7))
			g.Expect(plan.Status.NextPeak).To(Equal("spring-sale 2026-04-01"))
			p := plan.Status.Projection
			g.Expect(p).NotTo(BeNil())
			g.Expect(p.RequiredHeroesNow).To(BeEquivalentTo(4))
			g.Expect(p.MinutesPerContact).To(Equal(6.0))
			g.Expect(p.CapacityGap).To(BeEquivalentTo(3))
			g.Expect(p.Peaks).To(HaveLen(1))
			g.Expect(p.Peaks[0].HireBy.Time).To(BeTemporally("==", hireBy))
			g.Expect(condition(plan.Status.Conditions, "CapacitySufficient").Status).To(BeEquivalentTo("False"))
			g.Expect(condition(plan.Status.Conditions, "HumanHandoffConfigured").Reason).To(Equal("HandoffMissing"))
			g.Expect(condition(plan.Status.Conditions, "ChannelMixEfficient").Status).To(BeEquivalentTo("True"))
			g.Expect(condition(plan.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))

			// Default stages: no self-service yet, so the team is still at PreRevenue.
			g.Expect(plan.Status.CurrentStage).To(Equal("PreRevenue"))
			g.Expect(condition(plan.Status.Conditions, "TargetStageReached").Status).To(BeEquivalentTo("False"))
			g.Expect(plan.Status.Blocking).To(ContainElement(SatisfyAll(
				HaveField("Objective", "self-service-in-place"), HaveField("Values", ContainElement("deflection=0 (plan)")))))

			hire := taskNamed(g, ns, "support-capacity-spring-sale-2026-revenuetransition")
			g.Expect(hire.Spec.Title).To(Equal("Hire 3 heroes by 2026-03-11 for spring-sale"))
			g.Expect(hire.Spec.OwnerRole).To(Equal(v1alpha1.OwnerCustomerSupport))
			g.Expect(hire.Spec.DueDate.Time).To(BeTemporally("==", hireBy))
			handoff := taskNamed(g, ns, "support-ai-human-handoff-revenuetransition")
			g.Expect(handoff.Spec.Priority).To(Equal(v1alpha1.PriorityCritical))
			g.Expect(plan.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 2}))
		}).Should(Succeed())
		Expect(status.Compute(toUnstructured(plan))).To(HaveField("Status", status.CurrentStatus))
		Eventually(eventsOf(plan)).Should(Equal(map[string]int32{v1alpha1.ReasonStageReached: 1}))

		By("hiring three heroes and configuring the hand-off")
		Eventually(func(g Gomega) {
			get(g, plan)
			plan.Spec.Team.Heroes = 7
			plan.Spec.AI.Handoff = &v1alpha1.HumanHandoff{Channel: "Chat"}
			g.Expect(k8sClient.Update(ctx, plan)).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, plan)
			g.Expect(condition(plan.Status.Conditions, "CapacitySufficient").Status).To(BeEquivalentTo("True"))
			g.Expect(condition(plan.Status.Conditions, "HumanHandoffConfigured").Status).To(BeEquivalentTo("True"))
			hire := taskNamed(g, ns, "support-capacity-spring-sale-2026-revenuetransition")
			g.Expect(condition(hire.Status.Conditions, "Resolved").Reason).To(Equal("GapClosed"))
			g.Expect(plan.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Resolved: 2}))
		}).Should(Succeed())
	})

	It("is Stalled, naming the field, on a day that does not exist", func() {
		plan := supportPlan(newNamespace(), 4)
		plan.Spec.PeakSeasons[0].End = "04-31"
		create(plan)
		Eventually(func(g Gomega) {
			get(g, plan)
			c := condition(plan.Status.Conditions, "Stalled")
			g.Expect(c.Status).To(BeEquivalentTo("True"))
			g.Expect(c.Reason).To(Equal("InvalidSpec"))
			g.Expect(c.Message).To(ContainSubstring(`spec.peakSeasons[0].end: "04-31" is not a day of April`))
		}).Should(Succeed())
	})

	It("says hire now, due now, when the peak's hire-by date has already passed", func() {
		// The peak starts a week from the suite's clock; a 21-day ramp-up put
		// its hire-by date two weeks ago.
		now := fakeClock.Now()
		start := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7)
		ns := newNamespace()
		plan := supportPlan(ns, 4)
		plan.Spec.PeakSeasons[0].Start = start.Format("01-02")
		plan.Spec.PeakSeasons[0].End = start.AddDate(0, 0, 3).Format("01-02")
		create(plan)
		name := fmt.Sprintf("support-capacity-spring-sale-%d-revenuetransition", start.Year())
		Eventually(func(g Gomega) {
			get(g, plan)
			p := plan.Status.Projection
			g.Expect(p).NotTo(BeNil())
			g.Expect(p.Peaks).NotTo(BeEmpty())
			g.Expect(p.Peaks[0].Start.Time).To(BeTemporally("==", start))
			g.Expect(p.Peaks[0].HireBy.Time).To(BeTemporally("==", start.AddDate(0, 0, -21)))
			g.Expect(p.Peaks[0].HireNow).To(BeTrue())
			g.Expect(condition(plan.Status.Conditions, "CapacitySufficient").Message).To(ContainSubstring(
				"hire 3 now (hire-by " + start.AddDate(0, 0, -21).Format(time.DateOnly) + " has passed)"))
			hire := taskNamed(g, ns, name)
			g.Expect(hire.Spec.Title).To(Equal("Hire 3 heroes now for spring-sale (ramp-up ends after it starts)"))
			g.Expect(hire.Spec.DueDate.Time).To(BeTemporally("==", now.Truncate(time.Second)))
		}).Should(Succeed())
	})

	brokenStages := []v1alpha1.StageRules{{Stage: v1alpha1.StagePreRevenue, Rules: []v1alpha1.NamedRule{
		{Name: "ok", Rule: "metrics.heroes >= 1"}, {Name: "broken", Rule: "metrics.heroes >="},
	}}}

	It("refuses a stage rule that does not compile at admission, naming it", func() {
		plan := supportPlan(newNamespace(), 4)
		plan.Spec.Stages = brokenStages
		err := k8sClient.Create(context.Background(), plan)
		Expect(err).To(MatchError(And(
			ContainSubstring(`SupportPlan.growth.scaleup.io "support" is invalid`),
			ContainSubstring(`spec.stages[0].rules[1].rule: Invalid value: rule "metrics.heroes >=" does not compile`))))
	})

	// A plan admitted without the webhook (before it, or while it was not
	// installed) is reported by the controller, at the same field.
	It("reports a stage rule that does not compile where it was written", Serial, func() {
		withoutValidatingWebhook()
		plan := supportPlan(newNamespace(), 4)
		plan.Spec.Stages = brokenStages
		Eventually(func() error { return k8sClient.Create(context.Background(), plan) }).Should(Succeed())
		DeferCleanup(func() { _ = k8sClient.Delete(context.Background(), plan) })
		Eventually(func(g Gomega) {
			get(g, plan)
			c := condition(plan.Status.Conditions, "Stalled")
			g.Expect(c.Reason).To(Equal("InvalidRule"))
			g.Expect(c.Message).To(HavePrefix("spec.stages[0].rules[1].rule: "))
		}).Should(Succeed())
	})
})

func taskNamed(g Gomega, ns, name string) *v1alpha1.ProjectTask {
	t := &v1alpha1.ProjectTask{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
	get(g, t)
	return t
}
