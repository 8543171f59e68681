package controllers_test

import (
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var _ = Describe("A burst of partner changes", Serial, func() {
	It("costs a PartnerProgram a few passes, not one per change, and admits first come first served", func() {
		ns := newNamespace()
		prog := partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionGradual,
			Stages: []v1alpha1.ExpansionStage{{Name: "pilot", MaxPartners: 50}}, ValidationWindow: &metav1.Duration{Duration: time.Hour}})
		create(prog)
		Eventually(func(g Gomega) {
			get(g, prog)
			g.Expect(prog.Status.ObservedGeneration).To(Equal(prog.Generation))
		}).Should(Succeed())

		// Each partner is a create, a status write of its own controller and,
		// once admitted, a status write of the program's: three events per
		// partner that each asked for a pass over all partners before
		// coalescing.
		const n = 60
		before := reconcileCount("partnerprogram")
		start := fakeClock.Now().Add(-24 * time.Hour)
		var all []*v1alpha1.Partner
		for i := range n {
			p := partner(ns, fmt.Sprintf("p%02d", i), start.Add(time.Duration(i)*time.Minute))
			create(p)
			all = append(all, p)
		}
		Eventually(func(g Gomega) {
			get(g, prog)
			g.Expect(prog.Status.Partners).To(BeEquivalentTo(n))
			for i, p := range all {
				get(g, p)
				// The first 50 to join hold the stage's 50 seats.
				g.Expect(p.Status.AdmittedAt != nil).To(Equal(i < 50), p.Name)
			}
		}).Should(Succeed())
		passes := reconcileCount("partnerprogram") - before
		GinkgoWriter.Printf("%d partners settled in %v program passes\n", n, passes)
		Expect(passes).To(BeNumerically("<=", n/4), "program passes for %d partners", n)
	})
})
