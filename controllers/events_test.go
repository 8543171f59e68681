package controllers_test

import (
	"context"
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	eventsv1 "k8s.io/api/events/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// eventsOf counts the Events (events.k8s.io/v1, as the manager's recorder
// writes them) regarding obj by reason. An Event the recorder folded into
// a series counts as often as the series says, so a repeated emission is
// counted even when no new Event object is created for it.
func eventsOf(obj client.Object) func(Gomega) map[string]int32 {
	return func(g Gomega) map[string]int32 {
		list := &eventsv1.EventList{}
		g.Expect(k8sClient.List(context.Background(), list, client.InNamespace(obj.GetNamespace()))).To(Succeed())
		counts := map[string]int32{}
		for _, e := range list.Items {
			if e.Regarding.UID != obj.GetUID() {
				continue
			}
			n := int32(1)
			if e.Series != nil {
				n = e.Series.Count
			}
			counts[e.Reason] += n
		}
		return counts
	}
}

// reconcileWithoutChange requests n reconciles of each object, one after
// the other, and waits until each was handled: reconciles that change
// nothing.
func reconcileWithoutChange(n int, objs ...requestEchoer) {
	GinkgoHelper()
	for i := range n {
		for _, obj := range objs {
			value := fmt.Sprintf("no-op-%d", i)
			requestReconcile(obj, value)
			expectHandled(obj, value)
		}
	}
}

var _ = Describe("Events", func() {
	It("announce a target's level and TargetMet, and its tasks opened and resolved, once per transition", func() {
		ns := newNamespace()
		create(testModel(ns))
		values := atGrowingPains()
		src := created(reportedSource(ns, "reported", values))
		t := created(target(ns, "shop", ns, "HighPerformance", "reported"))
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.CurrentLevel).To(Equal("GrowingPains"))
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 2}))
		}).Should(Succeed())
		Eventually(eventsOf(t)).Should(Equal(map[string]int32{v1alpha1.ReasonLevelReached: 1}))
		var tasks []requestEchoer
		Eventually(func(g Gomega) { g.Expect(tasksOf(g, ns, "shop")).To(HaveLen(2)) }).Should(Succeed())
		for _, task := range tasksOf(Default, ns, "shop") {
			tasks = append(tasks, &task)
			Eventually(eventsOf(&task)).Should(Equal(map[string]int32{v1alpha1.ReasonGapOpen: 1}))
		}

		By("reconciles that change nothing announce nothing")
		reconcileWithoutChange(3, append(tasks, t, src)...)
		Consistently(eventsOf(t)).Should(Equal(map[string]int32{v1alpha1.ReasonLevelReached: 1}))
		Expect(eventsOf(src)(Default)).To(BeEmpty())

		By("the business reaches its target: one Event per transition")
		values["responseHours"], values["availability"] = 3, 99.95
		patchValues(src, values)
		want := map[string]int32{v1alpha1.ReasonLevelReached: 2, v1alpha1.ReasonTargetReached: 1}
		Eventually(eventsOf(t)).Should(Equal(want))
		for _, task := range tasks {
			Eventually(eventsOf(task)).Should(Equal(map[string]int32{v1alpha1.ReasonGapOpen: 1, v1alpha1.ReasonGapClosed: 1}))
		}
		reconcileWithoutChange(2, append(tasks, t)...)
		Consistently(eventsOf(t)).Should(Equal(want))

		By("and loses it: the level and TargetMet are lost, the tasks open again")
		values["responseHours"] = 6
		patchValues(src, values)
		want = map[string]int32{v1alpha1.ReasonLevelReached: 2, v1alpha1.ReasonTargetReached: 1,
			v1alpha1.ReasonLevelLost: 1, v1alpha1.ReasonBelowTarget: 1}
		Eventually(eventsOf(t)).Should(Equal(want))
		Consistently(eventsOf(t)).Should(Equal(want))
	})

	It("announce a MetricSource failing and recovering, once each", func() {
		ns := newNamespace()
		srv := newCountingServer()
		src := created(hourlySource(ns, srv))
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(condition(src.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())

		srv.down.Store(true)
		requestReconcile(src, "down-1")
		expectHandled(src, "down-1")
		failing := map[string]int32{v1alpha1.ReasonProviderUnavailable: 1}
		Eventually(eventsOf(src)).Should(Equal(failing))
		requestReconcile(src, "down-2")
		expectHandled(src, "down-2")
		Consistently(eventsOf(src)).Should(Equal(failing))

		srv.down.Store(false)
		requestReconcile(src, "up")
		expectHandled(src, "up")
		recovered := map[string]int32{v1alpha1.ReasonProviderUnavailable: 1, v1alpha1.ReasonSucceeded: 1}
		Eventually(eventsOf(src)).Should(Equal(recovered))
		reconcileWithoutChange(2, src)
		Consistently(eventsOf(src)).Should(Equal(recovered))
	})

	It("announce a task opened and overdue, once each", func() {
		ns := newNamespace()
		late := created(projectTask(ns, "late", fakeClock.Now().Add(-1), v1alpha1.TaskOpen))
		want := map[string]int32{v1alpha1.ReasonGapOpen: 1, v1alpha1.ReasonPastDue: 1}
		Eventually(eventsOf(late)).Should(Equal(want))
		reconcileWithoutChange(3, late)
		Consistently(eventsOf(late)).Should(Equal(want))
	})
})
