package controllers_test

import (
	"context"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	admissionv1 "k8s.io/api/admissionregistration/v1"
	"k8s.io/client-go/discovery"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var _ = Describe("MaturityModel", func() {
	ctx := context.Background()

	It("compiles its rules and reports its size", func() {
		ns := newNamespace()
		m := testModel(ns)
		create(m)
		Eventually(func(g Gomega) {
			get(g, m)
			g.Expect(m.Status.ObservedGeneration).To(Equal(m.Generation))
			g.Expect(m.Status).To(SatisfyAll(
				HaveField("Levels", BeEquivalentTo(3)), HaveField("Objectives", BeEquivalentTo(4)),
				HaveField("Rules", BeEquivalentTo(7)), HaveField("RuleErrors", BeEmpty())))
			g.Expect(condition(m.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
		Expect(status.Compute(toUnstructured(m))).To(HaveField("Status", status.CurrentStatus))
	})

	It("rejects a rule that does not compile, naming the field and the rule", func() {
		m := testModel(newNamespace())
		m.Spec.Streams[1].Objectives[0].Criteria[1].Rule = "metrics.availability >="
		err := k8sClient.Create(ctx, m)
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).To(ContainSubstring("spec.streams[1].objectives[0].criteria[1].rule"))
		Expect(err.Error()).To(ContainSubstring(`"metrics.availability >="`))
	})

	// When the webhook is not installed, a bad model gets in; the model and
	// every target using it must then say so.
	Context("without the validating webhook", Serial, func() {
		BeforeEach(withoutValidatingWebhook)

		It("marks the model and its targets Stalled with the compile error", func() {
			ns := newNamespace()
			m := brokenModel(ns)
			create(reportedSource(ns, "reported", atGrowingPains()))
			t := target(ns, "shop", ns, "HighPerformance", "reported")
			create(t)

			Eventually(func(g Gomega) {
				get(g, m)
				c := condition(m.Status.Conditions, "Stalled")
				g.Expect(c.Status).To(BeEquivalentTo("True"))
				g.Expect(c.Reason).To(Equal("InvalidRule"))
				g.Expect(c.Message).To(ContainSubstring("spec.streams[0].objectives[1].criteria[0].rule"))
				g.Expect(m.Status.RuleErrors).To(HaveLen(1))
				get(g, t)
				c = condition(t.Status.Conditions, "Stalled")
				g.Expect(c.Status).To(BeEquivalentTo("True"))
				g.Expect(c.Reason).To(Equal("ModelNotReady"))
				g.Expect(c.Message).To(ContainSubstring("metrics.csat + 1"))
			}).Should(Succeed())
			Expect(status.Compute(toUnstructured(m))).To(HaveField("Status", status.FailedStatus))
			Expect(status.Compute(toUnstructured(t))).To(HaveField("Status", status.FailedStatus))

			By("fixing the rule un-stalls both")
			Eventually(func(g Gomega) {
				get(g, m)
				m.Spec.Streams[0].Objectives[1].Criteria[0].Rule = "metrics.csat >= 60"
				g.Expect(k8sClient.Update(ctx, m)).To(Succeed())
			}).Should(Succeed())
			Eventually(func(g Gomega) {
				get(g, m)
				g.Expect(condition(m.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
				get(g, t)
				g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
				g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			}).Should(Succeed())
		})
	})

	It("puts every kind in the scaleup category with a short name, so `kubectl get scaleup` lists them", func() {
		dc, err := discovery.NewDiscoveryClientForConfig(cfg)
		Expect(err).NotTo(HaveOccurred())
		Eventually(func(g Gomega) {
			list, err := dc.ServerResourcesForGroupVersion(v1alpha1.GroupVersion.String())
			g.Expect(err).NotTo(HaveOccurred())
			kinds := map[string][]string{}
			for _, r := range list.APIResources {
				if !strings.Contains(r.Name, "/") {
					g.Expect(r.Categories).To(ContainElement("scaleup"), r.Name)
					kinds[r.Kind] = r.ShortNames
				}
			}
			g.Expect(kinds).To(Equal(map[string][]string{
				"MaturityModel": {"mm"}, "MaturityTarget": {"mt"}, "MetricSource": {"ms"}, "ProjectTask": {"pt"}, "SupportPlan": {"sp"},
				"PartnerProgram": {"pp"}, "Partner": {"ptn"}, "Campaign": {"mcp"},
			}))
		}).Should(Succeed())
	})
})

// withoutValidatingWebhook removes the operator's validating webhook until
// the test ends, so objects admission would reject get in.
func withoutValidatingWebhook() {
	GinkgoHelper()
	ctx := context.Background()
	list := &admissionv1.ValidatingWebhookConfigurationList{}
	Expect(k8sClient.List(ctx, list)).To(Succeed())
	Expect(list.Items).NotTo(BeEmpty())
	saved := list.Items[0].DeepCopy()
	Expect(k8sClient.Delete(ctx, &list.Items[0])).To(Succeed())
	DeferCleanup(func() {
		saved.ResourceVersion = ""
		Expect(k8sClient.Create(ctx, saved)).To(Succeed())
	})
}

// brokenModel creates, once the webhook is gone, a model with a rule that
// does not return a bool, and deletes it when the test ends.
func brokenModel(name string) *v1alpha1.MaturityModel {
	GinkgoHelper()
	ctx := context.Background()
	m := testModel(name)
	m.Spec.Streams[0].Objectives[1].Criteria[0].Rule = "metrics.csat + 1"
	Eventually(func() error { return k8sClient.Create(ctx, m) }).Should(Succeed())
	DeferCleanup(func() { _ = k8sClient.Delete(ctx, m) })
	return m
}
