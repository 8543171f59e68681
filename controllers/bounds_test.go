package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Numbers at the schema's bounds reach the status as finite numbers (or as
// a note), so every status patch encodes and Ready follows each pass; a
// number above a bound is refused at admission, naming the field.
var _ = Describe("Numbers at the schema's bounds", func() {
	ctx := context.Background()

	It("shows a program's revenue per support hour from the largest revenue, an overflow as a note, and keeps following the partners", func() {
		ns := newNamespace()
		prog := partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen})
		prog.Spec.Targets.MinSample = ptr.To(int32(1))
		create(prog)
		p := partner(ns, "big-spender", fakeClock.Now().Add(-10*24*time.Hour))
		p.Spec.Results = v1alpha1.PartnerResults{Revenue: 1e15, SupportHours: 1e-300}
		create(p)

		revenuePerHour := func(g Gomega) v1alpha1.ProgramMetric {
			get(g, prog)
			g.Expect(prog.Status.ObservedGeneration).To(Equal(prog.Generation))
			g.Expect(condition(prog.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			for _, m := range prog.Status.Metrics {
				if m.Name == "revenuePerSupportHour" {
					return m
				}
			}
			g.Expect(prog.Status.Metrics).To(ContainElement(HaveField("Name", "revenuePerSupportHour")))
			return v1alpha1.ProgramMetric{}
		}
		setHours := func(hours float64) {
			GinkgoHelper()
			Eventually(func(g Gomega) {
				get(g, p)
				p.Spec.Results.SupportHours = hours
				g.Expect(k8sClient.Update(ctx, p)).To(Succeed())
			}).Should(Succeed())
		}

		By("a quotient beyond the range of a number: no value, a note")
		Eventually(func(g Gomega) {
			m := revenuePerHour(g)
			g.Expect(m.Value).To(BeNil())
			g.Expect(m.Note).To(Equal("overflow: too large to compute"))
		}).Should(Succeed())

		By("a quotient near the largest number, which used to round to +Inf and freeze the status")
		setHours(1e-290)
		Eventually(func(g Gomega) {
			g.Expect(revenuePerHour(g).Value).To(Equal(ptr.To(1e305)))
		}).Should(Succeed())

		By("ordinary support hours")
		setHours(1e4)
		Eventually(func(g Gomega) {
			g.Expect(revenuePerHour(g).Value).To(Equal(ptr.To(1e11)))
		}).Should(Succeed())
	})

	It("projects the largest demand the schema admits, and refuses a metric beyond it by name", func() {
		ns := newNamespace()
		plan := supportPlan(ns, 100000)
		plan.Spec.Demand.ContactsPerWeek = 1e9
		create(plan)
		Eventually(func(g Gomega) {
			get(g, plan)
			g.Expect(plan.Status.ObservedGeneration).To(Equal(plan.Generation))
			g.Expect(condition(plan.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
			g.Expect(plan.Status.Projection).NotTo(BeNil())
			g.Expect(plan.Status.Projection.DemandNow).To(Equal(1e9))
			g.Expect(plan.Status.Projection.VolumePerHero).To(Equal(1e4))
		}).Should(Succeed())

		By("taking the contacts from a metric far beyond the bound")
		create(reportedSource(ns, "feed", map[string]float64{"contacts": 1e307}))
		Eventually(func(g Gomega) {
			get(g, plan)
			plan.Spec.MetricSources = []v1alpha1.LocalObjectReference{{Name: "feed"}}
			plan.Spec.MetricInputs = []v1alpha1.MetricInput{{Field: "demand.contactsPerWeek", Metric: "contacts"}}
			g.Expect(k8sClient.Update(ctx, plan)).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, plan)
			ready := condition(plan.Status.Conditions, "Ready")
			g.Expect(ready.Status).To(BeEquivalentTo("False"))
			g.Expect(ready.Reason).To(Equal(v1alpha1.ReasonInvalidInput))
			g.Expect(ready.Message).To(ContainSubstring("spec.demand.contactsPerWeek: must be at most 1e+09, got 1e+307"))
			g.Expect(ready.ObservedGeneration).To(Equal(plan.Generation))
		}).Should(Succeed())
	})

	DescribeTable("refuses a number above its bound, naming the field",
		func(build func(ns string) client.Object, field, message string) {
			ns := newNamespace()
			err := k8sClient.Create(ctx, build(ns))
			Expect(err).To(HaveOccurred())
			Expect(err.Error()).To(ContainSubstring(field))
			Expect(err.Error()).To(ContainSubstring(message))
		},
		Entry("a partner's revenue above 1e15", func(ns string) client.Object {
			p := partner(ns, "p", fakeClock.Now())
			p.Spec.Results.Revenue = 1.5e15
			return p
		}, "spec.results.revenue", "less than or equal to 1000000000000000"),
		Entry("a partner's support hours above 1e9", func(ns string) client.Object {
			p := partner(ns, "p", fakeClock.Now())
			p.Spec.Results.SupportHours = 2e9
			return p
		}, "spec.results.supportHours", "less than or equal to 1000000000"),
		Entry("a partner's visits above 1e12", func(ns string) client.Object {
			p := partner(ns, "p", fakeClock.Now())
			p.Spec.Results.Visits = 2e12
			return p
		}, "spec.results.visits", "less than or equal to 1000000000000"),
		Entry("contacts per week above 1e9", func(ns string) client.Object {
			plan := supportPlan(ns, 4)
			plan.Spec.Demand.ContactsPerWeek = 1e307
			return plan
		}, "spec.demand.contactsPerWeek", "less than or equal to 1e+09"),
		Entry("a revenue-per-hour target above 1e15", func(ns string) client.Object {
			prog := partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen})
			prog.Spec.Targets.RevenuePerSupportHour = ptr.To(2e15)
			return prog
		}, "spec.targets.revenuePerSupportHour", "less than or equal to 1000000000000000"),
		Entry("a revenue tier above 1e15", func(ns string) client.Object {
			prog := partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen})
			prog.Spec.PartnerTypes[1].RevenueShare = v1alpha1.RevenueShare{Tiers: []v1alpha1.RevenueTier{{Percent: 10}, {FromRevenue: 1e300, Percent: 20}}}
			return prog
		}, "spec.partnerTypes[1].revenueShare.tiers[1].fromRevenue", "less than or equal to 1e+15"),
		Entry("a model with more text than its budget", func(ns string) client.Object {
			return wordyModel(ns)
		}, "spec.streams", "may hold at most 400000 characters together"),
	)
})

// wordyModel has 200 objectives of 2065 characters of text each (a
// description, a rule, a project's title and description), 413000 in all:
// more than the 400000 a model's objectives may hold.
func wordyModel(name string) *v1alpha1.MaturityModel {
	m := testModel(name)
	m.Spec.Streams = nil
	for s := range 20 {
		st := v1alpha1.Stream{Name: fmt.Sprintf("stream-%02d", s)}
		for o := range 10 {
			st.Objectives = append(st.Objectives, v1alpha1.Objective{
				Name: fmt.Sprintf("objective-%d", o), Owner: v1alpha1.OwnerIT, Description: strings.Repeat("d", 1024),
				Criteria: []v1alpha1.Criterion{{Level: "GrowingPains", Rule: "metrics.a >= 1.0"}},
				Projects: []v1alpha1.ProjectTemplate{{Level: "GrowingPains", Title: "P", Description: strings.Repeat("p", 1024)}},
			})
		}
		m.Spec.Streams = append(m.Spec.Streams, st)
	}
	return m
}
