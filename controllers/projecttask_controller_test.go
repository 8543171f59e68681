package controllers_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// projectTask is a task as a person could write it, due at due.
func projectTask(ns, name string, due time.Time, state v1alpha1.TaskState) *v1alpha1.ProjectTask {
	return &v1alpha1.ProjectTask{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.ProjectTaskSpec{
			Title: "Shared inbox", OwnerRole: v1alpha1.OwnerCustomerSupport, State: state,
			DueDate: &metav1.Time{Time: due},
			Source:  v1alpha1.TaskSource{Kind: "MaturityTarget", Name: "shop"},
		},
	}
}

var _ = Describe("ProjectTask", func() {
	It("is Overdue once open past its due date, by the injected clock", func() {
		ns := newNamespace()
		late := projectTask(ns, "late", fakeClock.Now().Add(-time.Hour), v1alpha1.TaskInProgress)
		early := projectTask(ns, "early", fakeClock.Now().Add(time.Hour), v1alpha1.TaskOpen)
		done := projectTask(ns, "done", fakeClock.Now().Add(-time.Hour), v1alpha1.TaskDone)
		for _, t := range []*v1alpha1.ProjectTask{late, early, done} {
			create(t)
		}
		Eventually(func(g Gomega) {
			get(g, late)
			g.Expect(condition(late.Status.Conditions, "Overdue")).To(SatisfyAll(
				HaveField("Status", BeEquivalentTo("True")), HaveField("Reason", "PastDue")))
			get(g, early)
			g.Expect(condition(early.Status.Conditions, "Overdue").Status).To(BeEquivalentTo("False"))
			get(g, done)
			g.Expect(condition(done.Status.Conditions, "Overdue").Reason).To(Equal("OnSchedule"))
			g.Expect(condition(done.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())

		By("marking the late task done clears Overdue")
		Eventually(func(g Gomega) {
			get(g, late)
			late.Spec.State = v1alpha1.TaskDone
			g.Expect(k8sClient.Update(context.Background(), late)).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, late)
			g.Expect(condition(late.Status.Conditions, "Overdue").Status).To(BeEquivalentTo("False"))
			g.Expect(late.Status.ObservedGeneration).To(Equal(late.Generation))
		}).Should(Succeed())
	})
})
