package controllers_test

import (
	"context"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var _ = Describe("ProjectTasks of a MaturityTarget", func() {
	var (
		ns  string
		src *v1alpha1.MetricSource
		t   *v1alpha1.MaturityTarget
	)
	ctx := context.Background()

	BeforeEach(func() {
		ns = newNamespace()
		create(testModel(ns))
		src = reportedSource(ns, "reported", atGrowingPains())
		create(src)
		t = target(ns, "shop", ns, "HighPerformance", "reported")
		// GitOps tools label what they apply; generated tasks must not
		// inherit that, or Argo CD and Flux would prune them.
		t.Labels = map[string]string{"argocd.argoproj.io/instance": "shop", "kustomize.toolkit.fluxcd.io/name": "shop"}
		t.Annotations = map[string]string{"argocd.argoproj.io/tracking-id": "shop:growth.scaleup.io/MaturityTarget:x/shop"}
	})

	openTasks := func(g Gomega) []v1alpha1.ProjectTask {
		list := tasksOf(g, ns, "shop")
		g.Expect(list).To(HaveLen(2))
		return list
	}

	It("opens one task per gap, owned by the target, with the model's project and the objective's owner", func() {
		create(t)
		Eventually(func(g Gomega) {
			list := openTasks(g)
			names := []string{list[0].Name, list[1].Name}
			g.Expect(names).To(ConsistOf("shop-service-response-highperformance", "shop-tech-availability-highperformance"))
			for _, task := range list {
				g.Expect(task.Spec.Title).To(HavePrefix("Lift "))
				g.Expect(task.Spec.Priority).To(Equal(v1alpha1.PriorityHigh))
				g.Expect(task.Spec.State).To(Equal(v1alpha1.TaskOpen))
				g.Expect(task.Spec.DueDate.Time).To(BeTemporally("==", fakeClock.Now().Add(720*time.Hour)))
				g.Expect(task.Spec.Source).To(HaveField("Kind", "MaturityTarget"))
				g.Expect(task.Labels).NotTo(HaveKey("argocd.argoproj.io/instance"))
				g.Expect(task.Labels).NotTo(HaveKey("kustomize.toolkit.fluxcd.io/name"))
				g.Expect(task.Annotations).NotTo(HaveKey("argocd.argoproj.io/tracking-id"))
				// Garbage collection (run by kube-controller-manager in a
				// cluster) deletes tasks through this controller reference.
				g.Expect(task.OwnerReferences).To(ConsistOf(SatisfyAll(
					HaveField("Kind", "MaturityTarget"), HaveField("Name", "shop"), HaveField("UID", t.UID),
					HaveField("Controller", ptr.To(true)), HaveField("BlockOwnerDeletion", ptr.To(true)))))
				g.Expect(condition(task.Status.Conditions, "Resolved").Reason).To(Equal("GapOpen"))
				g.Expect(condition(task.Status.Conditions, "Overdue").Status).To(BeEquivalentTo("False"))
			}
			owners := map[string]v1alpha1.OwnerRole{}
			for _, task := range list {
				owners[task.Spec.Source.Objective] = task.Spec.OwnerRole
			}
			g.Expect(owners).To(Equal(map[string]v1alpha1.OwnerRole{
				"response": v1alpha1.OwnerCustomerSupport, "availability": v1alpha1.OwnerIT,
			}), "each task is owned by its objective's role")
			get(g, t)
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 2}))
		}).Should(Succeed())
	})

	It("keeps a person's assignee and state, and resolves the task when the gap closes", func() {
		create(t)
		var task v1alpha1.ProjectTask
		Eventually(func(g Gomega) {
			for _, pt := range openTasks(g) {
				if pt.Spec.Source.Objective == "response" {
					task = pt
				}
			}
			g.Expect(task.Name).NotTo(BeEmpty())
		}).Should(Succeed())

		By("a person takes the task")
		Eventually(func(g Gomega) {
			get(g, &task)
			task.Spec.Assignee = "jane@acme.example"
			task.Spec.State = v1alpha1.TaskInProgress
			g.Expect(k8sClient.Update(ctx, &task, client.FieldOwner("kubectl-edit"))).To(Succeed())
		}).Should(Succeed())

		By("the template changes and the target is re-evaluated")
		model := &v1alpha1.MaturityModel{}
		Eventually(func(g Gomega) {
			g.Expect(k8sClient.Get(ctx, client.ObjectKey{Name: ns}, model)).To(Succeed())
			model.Spec.Streams[0].Objectives[0].Projects[0].Title = "Shared inbox with response-time SLAs"
			g.Expect(k8sClient.Update(ctx, model)).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, &task)
			g.Expect(task.Spec.Title).To(Equal("Shared inbox with response-time SLAs"))
			g.Expect(task.Spec.Assignee).To(Equal("jane@acme.example"))
			g.Expect(task.Spec.State).To(Equal(v1alpha1.TaskInProgress))
		}).Should(Succeed())

		By("the gap closes")
		patchValues(src, map[string]float64{"responseHours": 3, "csat": 85, "availability": 99.5, "pageSeconds": 1.5})
		Eventually(func(g Gomega) {
			get(g, &task)
			c := condition(task.Status.Conditions, "Resolved")
			g.Expect(c.Status).To(BeEquivalentTo("True"))
			g.Expect(c.Reason).To(Equal("GapClosed"))
			g.Expect(task.Spec.Assignee).To(Equal("jane@acme.example"))
			get(g, t)
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 1, Resolved: 1}))
		}).Should(Succeed())
		Expect(tasksOf(Default, ns, "shop")).To(HaveLen(2), "a resolved task is kept, not deleted")
	})

	It("caps open tasks with maxOpen and says how many were held back", func() {
		t.Spec.Tasks = &v1alpha1.TaskPolicy{MaxOpen: ptr.To[int32](1), DueIn: &metav1.Duration{Duration: time.Hour}}
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 1, HeldBack: 1}))
			g.Expect(tasksOf(g, ns, "shop")).To(HaveLen(1))
		}).Should(Succeed())
	})

	It("opens no task with mode Off", func() {
		t.Spec.Tasks = &v1alpha1.TaskPolicy{Mode: v1alpha1.TaskModeOff}
		create(t)
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.ObservedGeneration).To(Equal(t.Generation))
			g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{}))
		}).Should(Succeed())
		Consistently(func(g Gomega) { g.Expect(tasksOf(g, ns, "shop")).To(BeEmpty()) }).Should(Succeed())
	})

	It("neither resolves nor opens tasks on stale metrics", func() {
		create(t)
		Eventually(func(g Gomega) { openTasks(g) }).Should(Succeed())

		By("new values arrive already older than maxAge")
		Eventually(func(g Gomega) {
			get(g, src)
			src.Spec.MaxAge = &metav1.Duration{Duration: time.Hour}
			src.Spec.Reported.Values = map[string]float64{"responseHours": 3, "csat": 85, "availability": 99.95, "pageSeconds": 1.5}
			src.Spec.Reported.ObservedAt = &metav1.Time{Time: fakeClock.Now().Add(-2 * time.Hour)}
			g.Expect(k8sClient.Update(ctx, src)).To(Succeed())
		}).Should(Succeed())
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "MetricsAvailable").Reason).To(Equal("MetricsStale"))
			g.Expect(condition(t.Status.Conditions, "Ready").Reason).To(Equal("MetricsStale"))
		}).Should(Succeed())
		Consistently(func(g Gomega) {
			for _, task := range openTasks(g) {
				g.Expect(condition(task.Status.Conditions, "Resolved").Status).To(BeEquivalentTo("False"))
			}
		}).Should(Succeed())

		By("fresh values resolve them")
		patchValues(src, map[string]float64{"responseHours": 3, "csat": 85, "availability": 99.95, "pageSeconds": 1.5})
		Eventually(func(g Gomega) {
			for _, task := range openTasks(g) {
				g.Expect(condition(task.Status.Conditions, "Resolved").Status).To(BeEquivalentTo("True"))
			}
			get(g, t)
			g.Expect(condition(t.Status.Conditions, "Ready").Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
	})
})
