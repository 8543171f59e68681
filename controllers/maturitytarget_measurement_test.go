package controllers_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var _ = Describe("Missing metrics of a MaturityTarget", func() {
	var ns string

	BeforeEach(func() {
		ns = newNamespace()
		create(testModel(ns))
	})

	// byName indexes the target's tasks by name.
	byName := func(g Gomega) map[string]v1alpha1.ProjectTask {
		out := map[string]v1alpha1.ProjectTask{}
		for _, task := range tasksOf(g, ns, "shop") {
			out[task.Name] = task
		}
		return out
	}

	It("open one measurement task owned by IT, no task for the objectives that read them, and resolve it once provided", func() {
		values := atGrowingPains()
		delete(values, "csat")
		delete(values, "availability")
		src := reportedSource(ns, "reported", values)
		create(src)
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		create(t)

		Eventually(func(g Gomega) {
			tasks := byName(g)
			// response fails HighPerformance on a known value; satisfaction
			// and availability cannot be judged and get no task of their own.
			g.Expect(tasks).To(HaveLen(2))
			g.Expect(tasks).To(HaveKey("shop-service-response-highperformance"))
			g.Expect(tasks).To(HaveKey("shop-missing-metrics"))
			m := tasks["shop-missing-metrics"]
			g.Expect(m.Spec.OwnerRole).To(Equal(v1alpha1.OwnerIT))
			g.Expect(m.Spec.Title).To(Equal("Provide 2 missing metrics"))
			g.Expect(m.Spec.Description).To(HaveSuffix("\n- availability: tech/availability (GrowingPains)\n- csat: service/satisfaction (GrowingPains)\n"))
			g.Expect(m.Spec.Source).To(Equal(v1alpha1.TaskSource{Kind: "MaturityTarget", Name: "shop", Stream: "measurement"}))
			g.Expect(m.Labels).To(Equal(map[string]string{
				"growth.scaleup.io/source-kind": "MaturityTarget", "growth.scaleup.io/source-name": "shop",
				"growth.scaleup.io/stream": "measurement", "growth.scaleup.io/owner-role": "IT",
			}))
			g.Expect(m.Spec.DueDate.Time).To(BeTemporally("==", fakeClock.Now().Add(720*time.Hour)))
			g.Expect(m.OwnerReferences).To(ConsistOf(HaveField("Name", "shop")))
			resolved := condition(m.Status.Conditions, "Resolved")
			g.Expect(resolved.Status).To(BeEquivalentTo("False"))
			g.Expect(resolved.Reason).To(Equal("MetricsMissing"))
			g.Expect(resolved.Message).To(Equal("no MetricSource provides: availability, csat"))
			get(g, t)
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 2}))
		}).Should(Succeed())

		By("the metrics are provided")
		patchValues(src, atGrowingPains())
		Eventually(func(g Gomega) {
			tasks := byName(g)
			// availability now fails HighPerformance on a known value;
			// satisfaction passes it.
			g.Expect(tasks).To(HaveLen(3))
			g.Expect(tasks).To(HaveKey("shop-tech-availability-highperformance"))
			resolved := condition(tasks["shop-missing-metrics"].Status.Conditions, "Resolved")
			g.Expect(resolved.Status).To(BeEquivalentTo("True"))
			g.Expect(resolved.Reason).To(Equal("MetricsProvided"))
			get(g, t)
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 2, Resolved: 1}))
		}).Should(Succeed())
	})

	It("neither resolve nor reopen the tasks of objectives whose metric goes missing", func() {
		src := reportedSource(ns, "reported", atGrowingPains())
		create(src)
		t := target(ns, "shop", ns, "HighPerformance", "reported")
		create(t)
		const response, availability = "shop-service-response-highperformance", "shop-tech-availability-highperformance"

		By("the response gap closes; the availability gap stays open")
		values := atGrowingPains()
		values["responseHours"] = 3
		patchValues(src, values)
		var closed, open metav1.Condition
		Eventually(func(g Gomega) {
			tasks := byName(g)
			g.Expect(tasks).To(HaveLen(2))
			closed = condition(tasks[response].Status.Conditions, "Resolved")
			open = condition(tasks[availability].Status.Conditions, "Resolved")
			g.Expect(closed.Reason).To(Equal("GapClosed"))
			g.Expect(open.Reason).To(Equal("GapOpen"))
		}).Should(Succeed())

		By("both metrics go missing")
		delete(values, "responseHours")
		delete(values, "availability")
		patchValues(src, values)
		Eventually(func(g Gomega) {
			tasks := byName(g)
			g.Expect(tasks).To(HaveLen(3))
			m := tasks["shop-missing-metrics"]
			g.Expect(condition(m.Status.Conditions, "Resolved").Message).To(Equal("no MetricSource provides: availability, responseHours"))
			// The reconcile that opened the measurement task judged the
			// others: they carry the conditions they had.
			g.Expect(condition(tasks[response].Status.Conditions, "Resolved")).To(Equal(closed))
			g.Expect(condition(tasks[availability].Status.Conditions, "Resolved")).To(Equal(open))
			get(g, t)
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 2, Resolved: 1}))
		}).Should(Succeed())
	})
})
