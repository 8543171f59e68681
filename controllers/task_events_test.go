package controllers_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var _ = Describe("Task events", func() {
	It("sends a task a MaturityTarget opens to the sink once, and resolved when its gap closes", func() {
		ns := newNamespace()
		create(testModel(ns))
		src := reportedSource(ns, "reported", atGrowingPains())
		create(src)
		create(target(ns, "shop", ns, "HighPerformance", "reported"))
		const name = "shop-service-response-highperformance"
		task := &v1alpha1.ProjectTask{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}

		var opened received
		Eventually(func(g Gomega) {
			got := taskEvents.accepted(ns, name, "opened")
			g.Expect(got).To(HaveLen(1))
			opened = got[0]
			get(g, task)
			g.Expect(task.Status.Notified).NotTo(BeNil())
			g.Expect(task.Status.Notified.ID).To(Equal(opened.event.ID()))
			g.Expect(condition(task.Status.Conditions, v1alpha1.ConditionNotified)).To(SatisfyAll(
				HaveField("Status", BeEquivalentTo("True")), HaveField("Reason", v1alpha1.ReasonDelivered)))
		}).Should(Succeed())
		Expect(opened.contentType).To(HavePrefix("application/cloudevents+json"), "structured mode")
		Expect(opened.event.Source()).To(Equal("/apis/growth.scaleup.io/v1alpha1/namespaces/" + ns + "/projecttasks/" + name))
		Expect(opened.data).To(SatisfyAll(
			HaveField("Title", task.Spec.Title),
			HaveField("OwnerRole", v1alpha1.OwnerCustomerSupport),
			HaveField("State", v1alpha1.TaskOpen),
			HaveField("Phase", v1alpha1.TaskPhaseOpen),
			HaveField("Namespace", ns),
			HaveField("Source", HaveField("Kind", "MaturityTarget")),
			HaveField("Source", HaveField("Name", "shop")),
		))
		Expect(*opened.data.DueDate).To(BeTemporally("==", task.Spec.DueDate.Time))

		By("the gap closes")
		patchValues(src, map[string]float64{"responseHours": 3, "csat": 85, "availability": 99.5, "pageSeconds": 1.5})
		Eventually(func(g Gomega) {
			resolved := taskEvents.accepted(ns, name, "resolved")
			g.Expect(resolved).To(HaveLen(1))
			g.Expect(resolved[0].data.Phase).To(Equal(v1alpha1.TaskPhaseResolved))
			get(g, task)
			g.Expect(task.Status.Notified.ID).To(Equal(resolved[0].event.ID()))
		}).Should(Succeed())
		// Every delivery attempt was acknowledged: opened reached the sink
		// exactly once before resolved.
		Expect(taskEvents.events(ns, name)).To(HaveLen(2))
	})

	It("delivers after the sink answered 500, with Notified=False meanwhile and Ready left alone", func() {
		ns := newNamespace()
		taskEvents.setDown(ns, true)
		failedBefore := counterValue("scaleup_task_events_failed_total")
		task := projectTask(ns, "inbox", fakeClock.Now().Add(time.Hour), v1alpha1.TaskOpen)
		create(task)

		Eventually(func(g Gomega) {
			g.Expect(len(taskEvents.events(ns, "inbox"))).To(BeNumerically(">=", 3))
			get(g, task)
			g.Expect(condition(task.Status.Conditions, v1alpha1.ConditionNotified)).To(SatisfyAll(
				HaveField("Status", BeEquivalentTo("False")), HaveField("Reason", v1alpha1.ReasonSinkUnavailable),
				HaveField("Message", ContainSubstring("HTTP 500"))))
			g.Expect(condition(task.Status.Conditions, v1alpha1.ConditionReady).Status).To(BeEquivalentTo("True"))
			g.Expect(task.Status.Notified).To(BeNil())
		}).Should(Succeed())
		Expect(counterValue("scaleup_task_events_failed_total")).To(BeNumerically(">=", failedBefore+3))

		By("the sink comes back")
		taskEvents.setDown(ns, false)
		Eventually(func(g Gomega) {
			g.Expect(taskEvents.accepted(ns, "inbox", "opened")).To(HaveLen(1))
			get(g, task)
			g.Expect(condition(task.Status.Conditions, v1alpha1.ConditionNotified).Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
		// Every attempt carried the same id, so a receiver can deduplicate.
		ids := map[string]bool{}
		for _, r := range taskEvents.events(ns, "inbox") {
			ids[r.event.ID()] = true
		}
		Expect(ids).To(HaveLen(1))

		By("reassigning the task")
		Eventually(func(g Gomega) {
			get(g, task)
			task.Spec.Assignee = "jane@shop.example"
			g.Expect(k8sClient.Update(context.Background(), task)).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			got := taskEvents.accepted(ns, "inbox", "reassigned")
			g.Expect(got).To(HaveLen(1))
			g.Expect(got[0].data.Assignee).To(Equal("jane@shop.example"))
		}).Should(Succeed())
	})
})

var _ = Describe("Task events across a manager restart", Serial, func() {
	It("resends what the sink had not acknowledged", func() {
		ns := newNamespace()
		taskEvents.setDown(ns, true)
		task := projectTask(ns, "inbox", fakeClock.Now().Add(time.Hour), v1alpha1.TaskOpen)
		create(task)
		Eventually(func(g Gomega) {
			g.Expect(taskEvents.events(ns, "inbox")).NotTo(BeEmpty())
			get(g, task)
			g.Expect(condition(task.Status.Conditions, v1alpha1.ConditionNotified).Reason).To(Equal(v1alpha1.ReasonSinkUnavailable))
		}).Should(Succeed())
		refusedID := taskEvents.events(ns, "inbox")[0].event.ID()

		// The in-memory queue goes with the manager; the task keeps what
		// the sink has acknowledged (nothing).
		stopManager()
		taskEvents.setDown(ns, false)
		startManager()
		Eventually(func(g Gomega) {
			got := taskEvents.accepted(ns, "inbox", "opened")
			g.Expect(got).To(HaveLen(1))
			g.Expect(got[0].event.ID()).To(Equal(refusedID))
			get(g, task)
			g.Expect(task.Status.Notified).NotTo(BeNil())
			g.Expect(task.Status.Notified.ID).To(Equal(refusedID))
		}).Should(Succeed())
	})
})

// counterValue sums a counter of the metrics registry.
func counterValue(name string) float64 {
	GinkgoHelper()
	families, err := crmetrics.Registry.Gather()
	Expect(err).NotTo(HaveOccurred())
	var total float64
	for _, f := range families {
		if f.GetName() == name {
			for _, m := range f.GetMetric() {
				total += m.GetCounter().GetValue()
			}
		}
	}
	return total
}
