package controllers_test

import (
	"path/filepath"
	"slices"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/sampledata"
)

// admitSamples creates every object of the sample set in dir, rendered for
// the suite's clock, in a namespace of the test's own (the model under a
// name of the test's own, since it is cluster-scoped), each admitted by
// the CRD schema and the webhooks without a warning. It returns the
// namespace.
func admitSamples(dir string) string {
	GinkgoHelper()
	ns := newNamespace()
	objs, err := sampledata.ObjectsIn(dir, fakeClock.Now())
	Expect(err).NotTo(HaveOccurred())
	// What others refer to first, so that no reference draws a warning
	// because its object is not there yet.
	slices.SortStableFunc(objs, func(a, b client.Object) int { return createRank(a) - createRank(b) })
	for _, o := range objs {
		switch o := o.(type) {
		case *v1alpha1.MaturityModel:
			o.Name = ns + "-" + o.Name
		case *v1alpha1.MaturityTarget:
			o.Spec.ModelRef.Name = ns + "-" + o.Spec.ModelRef.Name
		case *v1alpha1.Campaign:
			o.Spec.ModelRef.Name = ns + "-" + o.Spec.ModelRef.Name
		}
		if o.GetNamespace() != "" {
			o.SetNamespace(ns)
		}
		expectWarnings(o, BeEmpty())
	}
	return ns
}

// createRank orders the objects a sample set refers to before those that
// refer to them: models, then sources of numbers, then support plans
// (which read those sources), then Objects sources (which read the support
// plans), then the rest.
func createRank(o client.Object) int {
	switch o := o.(type) {
	case *v1alpha1.MaturityModel:
		return 0
	case *v1alpha1.MetricSource:
		if o.Spec.Objects != nil {
			return 3
		}
		return 1
	case *v1alpha1.SupportPlan:
		return 2
	}
	return 4
}

var _ = Describe("The samples", func() {
	It("in config/samples are admitted without a warning", func() {
		admitSamples(filepath.Join("..", "config", "samples"))
	})

	It("in config/samples/governance are admitted without a warning and put the business at its target through the exemption", func() {
		ns := admitSamples(filepath.Join("..", "config", "samples", "governance"))
		t := &v1alpha1.MaturityTarget{}
		t.Namespace, t.Name = ns, "trailhead-shop"
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.ObservedGeneration).To(Equal(t.Generation))
			g.Expect(t.Status.CurrentLevel).To(Equal("HighPerformance"))
			g.Expect(t.Status.Exemptions).To(ConsistOf(HaveField("State", v1alpha1.ExemptionActive)))
			g.Expect(t.Status.Shadow).NotTo(BeNil())
			// The shadow level holds availability (99.7, EnterpriseGrade
			// will need 99.95), the shadow criterion page-speed, and
			// returns-trend has no previous period yet.
			var held []string
			for _, o := range t.Status.Objectives {
				if o.ShadowBlocking != nil {
					held = append(held, o.Objective)
				}
			}
			g.Expect(held).To(ConsistOf("availability", "page-speed", "returns-trend"))
			g.Expect(t.Status.Shadow).NotTo(BeNil())
			g.Expect(t.Status.Shadow.Objectives).To(BeEquivalentTo(3))
		}).Should(Succeed())
	})
})
