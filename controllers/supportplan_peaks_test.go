package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// fixedPeak is the fixed-day peak of planYAML, the text the cases replace.
const fixedPeak = `start: "11-24", end: "12-01"`

var _ = Describe("SupportPlan peak forms and levers", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	It("admits a peak as a weekday rule, an Easter offset or explicit dates, and the accepted levers", func() {
		for i, to := range []string{
			`rule: {month: 11, weekday: Thursday, week: 4, offsetDays: 1, days: 4}`,
			`rule: {month: 5, weekday: Monday, week: -1, days: 1}`,
			`easter: {offsetDays: -2, days: 4}`,
			`dates: [{start: "2027-07-08", end: "2027-07-11"}, {start: "2028-12-28", end: "2029-01-03"}]`,
			`dates: [{start: "2027-01-01", end: "2027-04-02"}]`, // 92 days
			fixedPeak + ", wrapsNewYear: false",
		} {
			obj := manifestObject(planYAML, fixedPeak, to, fmt.Sprintf("peak-%d", i), ns)
			Expect(k8sClient.Create(context.Background(), obj)).To(Succeed(), "peak %s", to)
		}
		obj := manifestObject(planYAML, "  team:", "  levers: [Deflect, ShiftChannels]\n  team:", "levers", ns)
		Expect(k8sClient.Create(context.Background(), obj)).To(Succeed())
	})

	DescribeTable("refuses a peak or a lever with a message naming the field",
		func(from, to, wantField string) { expectRefused(planYAML, from, to, ns, wantField) },
		Entry("two forms", fixedPeak, fixedPeak+", easter: {days: 4}", "set exactly one of start and end, rule, easter or dates"),
		Entry("no form", fixedPeak+", ", "", "set exactly one of start and end, rule, easter or dates"),
		Entry("a start without its end", fixedPeak, `start: "11-24"`, "start and end go together"),
		Entry("wrapsNewYear on a rule", fixedPeak, `rule: {month: 12, weekday: Monday, week: -1, days: 14}, wrapsNewYear: true`,
			"wrapsNewYear applies to start and end only"),
		Entry("week 0", fixedPeak, `rule: {month: 11, weekday: Thursday, week: 0, days: 4}`, "spec.peakSeasons[0].rule.week"),
		Entry("week 6", fixedPeak, `rule: {month: 11, weekday: Thursday, week: 6, days: 4}`, "spec.peakSeasons[0].rule.week"),
		Entry("week -2", fixedPeak, `rule: {month: 11, weekday: Thursday, week: -2, days: 4}`, "spec.peakSeasons[0].rule.week"),
		Entry("month 13", fixedPeak, `rule: {month: 13, weekday: Thursday, week: 4, days: 4}`, "spec.peakSeasons[0].rule.month"),
		Entry("a weekday in lower case", fixedPeak, `rule: {month: 11, weekday: thursday, week: 4, days: 4}`, "spec.peakSeasons[0].rule.weekday"),
		Entry("a rule of 93 days", fixedPeak, `rule: {month: 11, weekday: Thursday, week: 4, days: 93}`, "spec.peakSeasons[0].rule.days"),
		Entry("a rule without days", fixedPeak, `rule: {month: 11, weekday: Thursday, week: 4}`, "spec.peakSeasons[0].rule.days"),
		Entry("an offset of 93 days", fixedPeak, `rule: {month: 11, weekday: Thursday, week: 4, offsetDays: 93, days: 4}`,
			"spec.peakSeasons[0].rule.offsetDays"),
		Entry("an Easter offset of -93 days", fixedPeak, `easter: {offsetDays: -93, days: 4}`, "spec.peakSeasons[0].easter.offsetDays"),
		Entry("an Easter peak of 0 days", fixedPeak, `easter: {days: 0}`, "spec.peakSeasons[0].easter.days"),
		Entry("no dates", fixedPeak, `dates: []`, "spec.peakSeasons[0].dates"),
		Entry("dates ending before they start", fixedPeak, `dates: [{start: "2027-07-11", end: "2027-07-08"}]`, "end is before start"),
		Entry("dates of 93 days", fixedPeak, `dates: [{start: "2027-01-01", end: "2027-04-03"}]`, "a peak lasts at most 92 days"),
		Entry("a day that does not exist", fixedPeak, `dates: [{start: "2027-02-30", end: "2027-03-01"}]`, "spec.peakSeasons[0].dates[0].start"),
		Entry("a day that is not YYYY-MM-DD", fixedPeak, `dates: [{start: "11-24", end: "2027-03-01"}]`, "spec.peakSeasons[0].dates[0].start"),
		Entry("21 date ranges", fixedPeak, "dates: ["+strings.TrimSuffix(strings.Repeat(`{start: "2027-07-08", end: "2027-07-11"}, `, 21), ", ")+"]",
			"spec.peakSeasons[0].dates"),
		Entry("an unknown lever", "  team:", "  levers: [Outsource]\n  team:", "spec.levers[0]"),
		Entry("a lever twice", "  team:", "  levers: [Hire, Hire]\n  team:", "spec.levers[1]"),
	)

	// supportPlan at the suite's clock (2026-03-02): Good Friday to Easter
	// Monday 2026 is 04-03..04-06 and doubles 1000 e-mails at 6 minutes:
	// 200 h / 32 h -> 7 heroes, 3 more than the team; hire by 04-03 - 21
	// days = 03-13. Deflect: 1 - 4*32*60 / (2000*6) = 36%, from none (an
	// unbounded change); e-mail only: nothing to shift. Hiring is proposed.
	It("projects an Easter peak on its actual dates with its three levers", func() {
		plan := supportPlan(ns, 4)
		plan.Spec.PeakSeasons = []v1alpha1.PeakSeason{{Name: "easter", Easter: &v1alpha1.EasterPeak{OffsetDays: -2, Days: 4}, Multiplier: 2}}
		create(plan)
		hireBy := time.Date(2026, 3, 13, 0, 0, 0, 0, time.UTC)
		Eventually(func(g Gomega) {
			get(g, plan)
			g.Expect(plan.Status.ObservedGeneration).To(Equal(plan.Generation))
			g.Expect(plan.Status.NextPeak).To(Equal("easter 2026-04-03"))
			p := plan.Status.Projection
			g.Expect(p).NotTo(BeNil())
			g.Expect(p.LeversNow).To(BeNil())
			g.Expect(p.Peaks).NotTo(BeEmpty())
			pk := p.Peaks[0]
			g.Expect(pk.End.Time).To(BeTemporally("==", time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC)))
			g.Expect(pk.HireBy.Time).To(BeTemporally("==", hireBy))
			g.Expect(pk.Levers).To(Equal(&v1alpha1.CapacityLevers{
				Proposed:      v1alpha1.LeverHire,
				Hire:          v1alpha1.HireLever{Possible: true, Heroes: 3},
				Deflect:       v1alpha1.DeflectLever{Possible: true, FromPercent: 0, ToPercent: 36},
				ShiftChannels: v1alpha1.ShiftChannelsLever{Reason: "no contacts on phone or video to move", AsyncMinutesPerContact: 6},
			}))
			hire := taskNamed(g, ns, "support-capacity-easter-2026-revenuetransition")
			g.Expect(hire.Spec.Title).To(Equal("Hire 3 heroes by 2026-03-13 for easter"))
			g.Expect(hire.Spec.Description).To(ContainSubstring("Levers, each alone: Hire: 3 heroes; Deflect: resolve 36% of contacts without a hero"))
			g.Expect(hire.Spec.DueDate.Time).To(BeTemporally("==", hireBy))
		}).Should(Succeed())
	})
})
