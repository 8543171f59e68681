package controllers_test

import (
	"context"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

func partnerProgram(ns string, expansion v1alpha1.Expansion) *v1alpha1.PartnerProgram {
	return &v1alpha1.PartnerProgram{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partners"},
		Spec: v1alpha1.PartnerProgramSpec{
			Business: "Acme Outdoor Ltd",
			PartnerTypes: []v1alpha1.PartnerType{
				{Name: "Affiliate", RevenueShare: v1alpha1.RevenueShare{Percent: ptr.To(10.0)}},
				{Name: "Distributor", RevenueShare: v1alpha1.RevenueShare{Percent: ptr.To(20.0)}},
			},
			Onboarding: v1alpha1.Onboarding{Steps: []v1alpha1.OnboardingStep{{Name: "agreement"}, {Name: "training"}}},
			Expansion:  expansion,
		},
	}
}

func partner(ns, name string, joined time.Time) *v1alpha1.Partner {
	return &v1alpha1.Partner{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.PartnerSpec{
			ProgramRef: v1alpha1.LocalObjectReference{Name: "partners"},
			Type:       "Affiliate",
			JoinedAt:   metav1.NewTime(joined),
		},
	}
}

// slowOnboarding is a program whose onboarding target (a day, judged from
// one partner) its one partner misses: it took two days and a minute.
func slowOnboarding(ns string) (*v1alpha1.PartnerProgram, *v1alpha1.Partner) {
	prog := partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen})
	prog.Spec.Targets = v1alpha1.PartnerTargets{MinSample: ptr.To(int32(1)), OnboardingP50: &metav1.Duration{Duration: 24 * time.Hour}}
	// Joined ten days ago, onboarded two days and a minute later.
	joined := fakeClock.Now().Add(-10 * 24 * time.Hour)
	p := partner(ns, "quick", joined)
	p.Spec.Onboarding.Completed = []v1alpha1.CompletedStep{
		{Step: "agreement", At: metav1.NewTime(joined.Add(time.Hour))},
		{Step: "training", At: metav1.NewTime(joined.Add(48*time.Hour + time.Minute))},
	}
	return prog, p
}

var _ = Describe("PartnerProgram and Partner", func() {
	ctx := context.Background()

	It("moves a partner through its phases as its facts change", func() {
		ns := newNamespace()
		create(partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}))
		now := fakeClock.Now()
		p := partner(ns, "trailhead", now.Add(-10*24*time.Hour))
		create(p)
		phase := func(want v1alpha1.PartnerPhase) {
			GinkgoHelper()
			Eventually(func(g Gomega) {
				get(g, p)
				g.Expect(p.Status.Phase).To(Equal(want))
				g.Expect(p.Status.ObservedGeneration).To(Equal(p.Generation))
			}).Should(Succeed())
		}
		phase(v1alpha1.PhaseOnboarding)
		Expect(p.Status.OnboardingProgress).To(Equal("0/2"))
		Expect(condition(p.Status.Conditions, "Admitted").Status).To(BeEquivalentTo("True"))

		update := func(change func(*v1alpha1.Partner)) {
			GinkgoHelper()
			Eventually(func(g Gomega) {
				get(g, p)
				change(p)
				g.Expect(k8sClient.Update(ctx, p)).To(Succeed())
			}).Should(Succeed())
		}
		By("completing the onboarding without contributing")
		update(func(p *v1alpha1.Partner) {
			p.Spec.Onboarding.Completed = []v1alpha1.CompletedStep{
				{Step: "agreement", At: metav1.NewTime(now.Add(-9 * 24 * time.Hour))},
				{Step: "training", At: metav1.NewTime(now.Add(-8 * 24 * time.Hour))},
			}
		})
		phase(v1alpha1.PhaseInactive)
		Expect(condition(p.Status.Conditions, "Onboarded").Status).To(BeEquivalentTo("True"))

		By("contributing")
		update(func(p *v1alpha1.Partner) {
			p.Spec.Activity.FirstContributionAt = &metav1.Time{Time: now.Add(-5 * 24 * time.Hour)}
			p.Spec.Activity.LastActivityAt = &metav1.Time{Time: now.Add(-24 * time.Hour)}
		})
		phase(v1alpha1.PhaseActive)
		Expect(p.Status.TimeToActivation).To(Equal(&metav1.Duration{Duration: 5 * 24 * time.Hour}))

		By("leaving")
		update(func(p *v1alpha1.Partner) { p.Spec.Activity.LeftAt = &metav1.Time{Time: now.Add(-time.Hour)} })
		phase(v1alpha1.PhaseChurned)
	})

	It("brings a partner back when the calendar moves its phase, with no change to it", func() {
		ns := newNamespace()
		create(partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}))
		now := fakeClock.Now()
		window := partners.DefaultActivationWindow
		// Onboarded, last active a day inside the activation window.
		p := partner(ns, "fading", now.Add(-window-10*24*time.Hour))
		p.Spec.Onboarding.Completed = []v1alpha1.CompletedStep{
			{Step: "agreement", At: metav1.NewTime(now.Add(-window - 9*24*time.Hour))},
			{Step: "training", At: metav1.NewTime(now.Add(-window - 8*24*time.Hour))},
		}
		p.Spec.Activity.FirstContributionAt = &metav1.Time{Time: now.Add(-window + 24*time.Hour)}
		prog := &v1alpha1.PartnerProgram{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partners"}}
		create(p)
		// Settled: the program counted the partner Active, so no pass of
		// the program (whose seats fan out to its partners) is still due.
		Eventually(func(g Gomega) {
			get(g, p)
			g.Expect(p.Status.Phase).To(Equal(v1alpha1.PhaseActive))
			get(g, prog)
			g.Expect(prog.Status.Active).To(BeEquivalentTo(1))
		}).Should(Succeed())
		generation := p.Generation

		// Two days on, nothing about the partner has changed but the date.
		fakeClock.Step(2 * 24 * time.Hour)
		Eventually(func(g Gomega) {
			get(g, p)
			g.Expect(p.Status.Phase).To(Equal(v1alpha1.PhaseInactive))
			g.Expect(p.Status.PhaseReason).To(HavePrefix("no contribution for"))
		}).Should(Succeed())
		Expect(p.Generation).To(Equal(generation))
	})

	It("shows onboarding times as durations, written like their targets", func() {
		ns := newNamespace()
		prog, p := slowOnboarding(ns)
		create(prog)
		create(p)
		Eventually(func(g Gomega) {
			get(g, prog)
			g.Expect(prog.Status.Metrics).To(ContainElement(SatisfyAll(
				HaveField("Name", "onboardingP50"),
				HaveField("Value", BeNil()),
				HaveField("Duration", Equal(&metav1.Duration{Duration: 48*time.Hour + time.Minute})),
				HaveField("Target", "24h0m0s"),
				HaveField("Met", HaveValue(BeFalse())))))
			g.Expect(condition(prog.Status.Conditions, "TargetsMet").Message).To(ContainSubstring("onboardingP50"))
		}).Should(Succeed())
		// As stored: the duration and its target are written the same way.
		obj := &unstructured.Unstructured{}
		obj.SetGroupVersionKind(v1alpha1.GroupVersion.WithKind("PartnerProgram"))
		Expect(k8sClient.Get(ctx, client.ObjectKeyFromObject(prog), obj)).To(Succeed())
		metrics, _, _ := unstructured.NestedSlice(obj.Object, "status", "metrics")
		Expect(metrics).To(ContainElement(SatisfyAll(HaveKeyWithValue("name", "onboardingP50"),
			HaveKeyWithValue("duration", "48h1m0s"), HaveKeyWithValue("target", "24h0m0s"), Not(HaveKey("value")))))
	})

	It("waitlists the 11th partner of a 10-partner stage and admits it when the stage validates", func() {
		ns := newNamespace()
		prog := partnerProgram(ns, v1alpha1.Expansion{
			Mode:             v1alpha1.ExpansionGradual,
			Stages:           []v1alpha1.ExpansionStage{{Name: "pilot", MaxPartners: 10}, {Name: "growth", MaxPartners: 50}},
			ValidationWindow: &metav1.Duration{Duration: time.Hour},
		})
		create(prog)
		start := fakeClock.Now().Add(-24 * time.Hour)
		var all []*v1alpha1.Partner
		for i := range 11 {
			p := partner(ns, fmt.Sprintf("p%02d", i), start.Add(time.Duration(i)*time.Minute))
			create(p)
			all = append(all, p)
		}
		Eventually(func(g Gomega) {
			for _, p := range all[:10] {
				get(g, p)
				g.Expect(p.Status.AdmittedAt).NotTo(BeNil(), p.Name)
			}
			get(g, all[10])
			g.Expect(all[10].Status.Phase).To(Equal(v1alpha1.PhaseWaitlisted))
			get(g, prog)
			g.Expect(prog.Status.Stage).To(Equal("pilot"))
			g.Expect(prog.Status.Partners).To(BeEquivalentTo(11))
			g.Expect(prog.Status.Expansion).To(Equal("Closed"))
			g.Expect(condition(prog.Status.Conditions, "ExpansionOpen").Reason).To(Equal("StageFull"))
			g.Expect(prog.Status.TargetsHeldSince).NotTo(BeNil())
		}).Should(Succeed())

		By("the targets hold through the validation window")
		fakeClock.Step(2 * time.Hour)
		// Any partner event brings the program back; its own timer would too.
		Eventually(func(g Gomega) {
			get(g, all[0])
			all[0].Spec.Results.Revenue = 100
			g.Expect(k8sClient.Update(ctx, all[0])).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, prog)
			g.Expect(prog.Status.Stage).To(Equal("growth"))
			get(g, all[10])
			g.Expect(all[10].Status.AdmittedAt).NotTo(BeNil())
			g.Expect(all[10].Status.Phase).To(Equal(v1alpha1.PhaseOnboarding))
		}).Should(Succeed())
		Eventually(eventsOf(prog)).Should(HaveKeyWithValue(v1alpha1.ReasonStageOpened, BeEquivalentTo(2)), "pilot, then growth")

		By("deleting a partner updates the program")
		Expect(k8sClient.Delete(ctx, all[3])).To(Succeed())
		Eventually(func(g Gomega) {
			get(g, prog)
			g.Expect(prog.Status.Partners).To(BeEquivalentTo(10))
		}).Should(Succeed())
	})

	It("stalls a partner of an unknown type and waits for a missing program", func() {
		ns := newNamespace()
		orphan := partner(ns, "orphan", fakeClock.Now())
		orphan.Spec.ProgramRef.Name = "later"
		create(orphan)
		Eventually(func(g Gomega) {
			get(g, orphan)
			g.Expect(condition(orphan.Status.Conditions, "Ready").Reason).To(Equal("ProgramNotFound"))
			g.Expect(condition(orphan.Status.Conditions, "Reconciling").Status).To(BeEquivalentTo("True"))
			g.Expect(condition(orphan.Status.Conditions, "Stalled").Status).To(BeEquivalentTo("Absent"))
		}).Should(Succeed())

		create(partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}))
		odd := partner(ns, "odd", fakeClock.Now())
		odd.Spec.Type = "Reseller"
		create(odd)
		Eventually(func(g Gomega) {
			get(g, odd)
			c := condition(odd.Status.Conditions, "Stalled")
			g.Expect(c.Status).To(BeEquivalentTo("True"))
			g.Expect(c.Message).To(ContainSubstring("spec.type"))
		}).Should(Succeed())
	})
})
