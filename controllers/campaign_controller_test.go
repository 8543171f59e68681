package controllers_test

import (
	"context"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/campaign"
)

// tightenResponse is a campaign of ns's model that asks service/response
// for responseHours <= 5 at GrowingPains (atGrowingPains has 6) from start
// to targetDate, for the targets labelled team=web.
func tightenResponse(ns string, start, targetDate time.Time) *v1alpha1.Campaign {
	return &v1alpha1.Campaign{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "faster-replies"},
		Spec: v1alpha1.CampaignSpec{
			ModelRef:       v1alpha1.ClusterObjectReference{Name: ns},
			TargetSelector: metav1.LabelSelector{MatchLabels: map[string]string{"team": "web"}},
			Start:          metav1.NewTime(start),
			TargetDate:     metav1.NewTime(targetDate),
			Objectives: []v1alpha1.CampaignObjective{{Stream: "service", Tighten: &v1alpha1.ObjectiveTightening{
				Objective: "response",
				Criteria:  []v1alpha1.Criterion{{Level: "GrowingPains", Rule: "metrics.responseHours <= 5.0"}},
			}}},
		},
	}
}

var _ = Describe("Campaign", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	It("is shadow before its start, opens tasks due at its target date while active, and counts in the level once enforced", func() {
		create(testModel(ns))
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns, "GrowingPains", "reported")
		t.Labels = map[string]string{"team": "web"}
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
		}).Should(Succeed())

		start := fakeClock.Now().Add(time.Hour).Truncate(time.Second)
		due := start.Add(48 * time.Hour)
		c := tightenResponse(ns, start, due)
		create(c)

		By("before the start the rule is shadow: reported, level and tasks unchanged")
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Campaigns).To(HaveExactElements(SatisfyAll(
				HaveField("Name", "faster-replies"), HaveField("Phase", v1alpha1.CampaignScheduled),
				HaveField("Failing", HaveExactElements(v1alpha1.ObjectiveRef{Stream: "service", Objective: "response"})))))
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			g.Expect(t.Status.Shadow).NotTo(BeNil())
			g.Expect(t.Status.Objectives).To(ContainElement(SatisfyAll(
				HaveField("Objective", "response"), HaveField("ShadowBlocking.Rule", "metrics.responseHours <= 5.0"))))
			g.Expect(tasksOf(g, ns, "shop")).To(BeEmpty())
			get(g, c)
			g.Expect(c.Status.Phase).To(Equal(v1alpha1.CampaignScheduled))
			g.Expect(c.Status.TargetsInScope).To(BeEquivalentTo(1))
			g.Expect(c.Status.Passing).To(BeEquivalentTo(0))
			g.Expect(condition(c.Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
		}).Should(Succeed())

		By("from the start a failing rule opens a task due at the target date; the level stays")
		fakeClock.Step(2 * time.Hour)
		nudge(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Campaigns).To(HaveExactElements(HaveField("Phase", v1alpha1.CampaignActive)))
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			tasks := tasksOf(g, ns, "shop")
			g.Expect(tasks).To(HaveLen(1))
			g.Expect(tasks[0].Spec.Source.Objective).To(Equal("response"))
			g.Expect(tasks[0].Spec.OwnerRole).To(Equal(v1alpha1.OwnerCustomerSupport))
			g.Expect(tasks[0].Spec.DueDate).NotTo(BeNil())
			g.Expect(tasks[0].Spec.DueDate.Time).To(BeTemporally("==", due))
			get(g, c)
			g.Expect(c.Status.Phase).To(Equal(v1alpha1.CampaignActive))
		}).Should(Succeed())

		By("from the target date the rule is part of the level")
		fakeClock.Step(48 * time.Hour)
		nudge(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Campaigns).To(HaveExactElements(HaveField("Phase", v1alpha1.CampaignEnforced)))
			g.Expect(t.Status.CurrentLevel).To(Equal("Startup"))
			g.Expect(condition(t.Status.Conditions, v1alpha1.ConditionTargetMet).Status).To(Equal(metav1.ConditionFalse))
			get(g, c)
			g.Expect(c.Status.Phase).To(Equal(v1alpha1.CampaignEnforced))
			g.Expect(c.Status.BurnUp).NotTo(BeEmpty())
		}).Should(Succeed())

		By("a target relabelled out of scope leaves the campaign: its task resolves and its level comes back")
		get(Default, t)
		t.Labels = map[string]string{"team": "shop"}
		Expect(k8sClient.Update(context.Background(), t)).To(Succeed())
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Campaigns).To(BeEmpty())
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			tasks := tasksOf(g, ns, "shop")
			g.Expect(tasks).To(HaveLen(1))
			g.Expect(condition(tasks[0].Status.Conditions, v1alpha1.ConditionResolved).Status).To(Equal(metav1.ConditionTrue))
			get(g, c)
			g.Expect(c.Status.TargetsInScope).To(BeEquivalentTo(0))
		}).Should(Succeed())
	})

	It("counts the targets in scope that pass", func() {
		create(testModel(ns))
		create(reportedSource(ns, "fast", map[string]float64{"responseHours": 3, "csat": 85, "availability": 99.5, "pageSeconds": 1.5}))
		create(reportedSource(ns, "slow", atGrowingPains()))
		for name, source := range map[string]string{"fast-shop": "fast", "slow-shop": "slow", "other-shop": "fast"} {
			t := target(ns, name, ns, "GrowingPains", source)
			t.Labels = map[string]string{"team": "web"}
			if name == "other-shop" {
				t.Labels["team"] = "data"
			}
			create(t)
		}
		c := tightenResponse(ns, fakeClock.Now().Add(-time.Hour), fakeClock.Now().Add(time.Hour))
		create(c)
		Eventually(func(g Gomega) {
			get(g, c)
			g.Expect(c.Status.Phase).To(Equal(v1alpha1.CampaignActive))
			g.Expect(c.Status.TargetsInScope).To(BeEquivalentTo(2))
			g.Expect(c.Status.Passing).To(BeEquivalentTo(1))
			g.Expect(c.Status.Failing).To(BeEquivalentTo(1))
			g.Expect(c.Status.BurnUp).NotTo(BeEmpty())
			last := c.Status.BurnUp[len(c.Status.BurnUp)-1]
			g.Expect(last.InScope).To(BeEquivalentTo(2))
			g.Expect(last.Passing).To(BeEquivalentTo(1))
		}).Should(Succeed())
	})

	It("says which targets in scope it does not reach because they take 20 other campaigns first", func() {
		create(testModel(ns))
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns, "GrowingPains", "reported")
		t.Labels = map[string]string{"team": "web"}
		create(t)
		start, due := fakeClock.Now().Add(-time.Hour), fakeClock.Now().Add(time.Hour)
		for i := range campaign.MaxPerTarget {
			c := tightenResponse(ns, start, due)
			c.Name = fmt.Sprintf("a%02d", i)
			create(c)
		}
		late := tightenResponse(ns, start, due)
		late.Name = "zz-late"
		create(late)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Campaigns).To(HaveLen(campaign.MaxPerTarget))
			g.Expect(t.Status.Campaigns).NotTo(ContainElement(HaveField("Name", late.Name)))
			get(g, late)
			g.Expect(late.Status.TargetsInScope).To(BeEquivalentTo(1))
			g.Expect(condition(late.Status.Conditions, "Ready").Message).To(ContainSubstring("1 do not take this campaign"))
		}).Should(Succeed())
	})

	It("waits for a missing model and stalls when the model drops the objective it tightens", func() {
		now := fakeClock.Now()
		c := tightenResponse(ns, now.Add(-time.Hour), now.Add(time.Hour))
		create(c)
		Eventually(func(g Gomega) {
			get(g, c)
			g.Expect(condition(c.Status.Conditions, v1alpha1.ConditionReady)).To(SatisfyAll(
				HaveField("Status", metav1.ConditionFalse), HaveField("Reason", v1alpha1.ReasonModelNotFound)))
			g.Expect(condition(c.Status.Conditions, v1alpha1.ConditionReconciling).Status).To(Equal(metav1.ConditionTrue))
		}).Should(Succeed())

		model := testModel(ns)
		create(model)
		create(reportedSource(ns, "reported", atGrowingPains()))
		t := target(ns, "shop", ns, "GrowingPains", "reported")
		t.Labels = map[string]string{"team": "web"}
		create(t)
		Eventually(func(g Gomega) {
			get(g, c)
			g.Expect(condition(c.Status.Conditions, v1alpha1.ConditionReady).Status).To(Equal(metav1.ConditionTrue))
			g.Expect(c.Status.TargetsInScope).To(BeEquivalentTo(1))
		}).Should(Succeed())

		By("the model loses service/response")
		get(Default, model)
		model.Spec.Streams[0].Objectives = model.Spec.Streams[0].Objectives[1:]
		Expect(k8sClient.Update(context.Background(), model)).To(Succeed())
		Eventually(func(g Gomega) {
			get(g, c)
			g.Expect(condition(c.Status.Conditions, v1alpha1.ConditionStalled)).To(SatisfyAll(
				HaveField("Status", metav1.ConditionTrue), HaveField("Reason", v1alpha1.ReasonInvalidSpec),
				HaveField("Message", ContainSubstring("spec.objectives[0].tighten.objective"))))
			get(g, t)
			g.Expect(t.Status.Campaigns).To(HaveExactElements(SatisfyAll(
				HaveField("Name", "faster-replies"), HaveField("Message", ContainSubstring("not applied")))))
		}).Should(Succeed())
	})

	It("refuses dates out of order and objectives the model does not have", func() {
		create(testModel(ns))
		now := fakeClock.Now()
		c := tightenResponse(ns, now.Add(time.Hour), now)
		err := k8sClient.Create(context.Background(), c)
		Expect(err).To(MatchError(ContainSubstring("spec.targetDate must be after spec.start")))

		c = tightenResponse(ns, now, now.Add(time.Hour))
		c.Spec.Objectives[0].Tighten.Objective = "responses"
		err = k8sClient.Create(context.Background(), c)
		Expect(err).To(MatchError(SatisfyAll(ContainSubstring("spec.objectives[0].tighten.objective"), ContainSubstring(`no objective "responses"`))))

		c = tightenResponse(ns, now, now.Add(time.Hour))
		c.Spec.Objectives[0].Tighten.Criteria[0].Rule = "metrics.responseHours <="
		err = k8sClient.Create(context.Background(), c)
		Expect(err).To(MatchError(ContainSubstring("spec.objectives[0].tighten.criteria[0].rule")))
	})
})
