package controllers_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var _ = Describe("MetricSource", func() {
	It("echoes reported values with their timestamps and marks them stale after maxAge", func() {
		ns := newNamespace()
		observed := fakeClock.Now().Add(-30 * time.Minute).Truncate(time.Second)
		src := reportedSource(ns, "reported", map[string]float64{"csat": 85, "availability": 99.5})
		src.Spec.Reported.ObservedAt = &metav1.Time{Time: observed}
		src.Spec.MaxAge = &metav1.Duration{Duration: time.Hour}
		create(src)
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(src.Status.ObservedGeneration).To(Equal(src.Generation))
			g.Expect(src.Status.Values).To(HaveLen(2))
			g.Expect(src.Status.Values[0]).To(SatisfyAll(HaveField("Name", "availability"), HaveField("Value", HaveValue(Equal(99.5)))))
			g.Expect(src.Status.Values[1].ObservedAt.Equal(&metav1.Time{Time: observed})).To(BeTrue())
			g.Expect(src.Status.ValueCount).To(BeEquivalentTo(2))
			g.Expect(src.Status.LastObservedAt.Equal(&metav1.Time{Time: observed})).To(BeTrue())
			g.Expect(condition(src.Status.Conditions, "Stale").Status).To(BeEquivalentTo("False"))
			g.Expect(condition(src.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
		// What `kubectl get ms` shows, as the API server renders it.
		Expect(tableRow(ns, "metricsources", src.Name)).To(SatisfyAll(
			HaveKeyWithValue("Type", "Reported"), HaveKeyWithValue("Values", BeEquivalentTo(2)),
			HaveKeyWithValue("Updated", Not(BeEmpty())), HaveKeyWithValue("Ready", "True")))

		By("values measured before maxAge are stale")
		Eventually(func(g Gomega) {
			get(g, src)
			src.Spec.Reported.ObservedAt = &metav1.Time{Time: fakeClock.Now().Add(-2 * time.Hour)}
			g.Expect(k8sClient.Update(context.Background(), src)).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, src)
			c := condition(src.Status.Conditions, "Stale")
			g.Expect(c.Status).To(BeEquivalentTo("True"))
			g.Expect(c.Message).To(ContainSubstring("availability, csat"))
		}).Should(Succeed())
	})
})
