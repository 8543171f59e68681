package controllers_test

import (
	"context"
	"fmt"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var _ = Describe("MaturityModel rollout", func() {
	ctx := context.Background()

	// atHighPerformance passes every rule of testModel.
	atHighPerformance := map[string]float64{"responseHours": 3, "csat": 85, "availability": 99.95, "pageSeconds": 1.5}

	setRollout := func(m *v1alpha1.MaturityModel, mode v1alpha1.RolloutMode, edit func(*v1alpha1.MaturityModel)) {
		GinkgoHelper()
		Eventually(func(g Gomega) {
			get(g, m)
			m.Spec.Rollout = &v1alpha1.ModelRollout{Mode: mode}
			if edit != nil {
				edit(m)
			}
			g.Expect(k8sClient.Update(ctx, m)).To(Succeed())
		}).Should(Succeed())
	}
	// levelAndTasks is the target's level and how many tasks it has.
	levelAndTasks := func(g Gomega, t *v1alpha1.MaturityTarget) string {
		get(g, t)
		return fmt.Sprintf("%s, %d tasks", t.Status.CurrentLevel, len(tasksOf(g, t.Namespace, t.Name)))
	}

	It("previews a tightened rule without effect, and applies it when approved", func() {
		ns := newNamespace()
		m := testModel(ns)
		create(m)
		create(reportedSource(ns, "growing", atGrowingPains()))
		create(reportedSource(ns, "high", atHighPerformance))
		growing := target(ns, "growing", ns, "HighPerformance", "growing")
		high := target(ns, "high", ns, "HighPerformance", "high")
		create(growing)
		create(high)

		// growing fails two HighPerformance rules (response, availability).
		Eventually(func(g Gomega) {
			g.Expect(levelAndTasks(g, growing)).To(Equal("GrowingPains, 2 tasks"))
			g.Expect(levelAndTasks(g, high)).To(Equal("HighPerformance, 0 tasks"))
			get(g, m)
			g.Expect(m.Status.AppliedGeneration).To(Equal(m.Generation))
			g.Expect(condition(m.Status.Conditions, v1alpha1.ConditionApplied).Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
		applied := m.Generation

		By("tightening satisfaction to csat >= 90 in Preview")
		setRollout(m, v1alpha1.RolloutPreview, func(m *v1alpha1.MaturityModel) {
			m.Spec.Streams[0].Objectives[1].Criteria[1].Rule = "metrics.csat >= 90"
		})
		Eventually(func(g Gomega) {
			get(g, m)
			g.Expect(m.Status.ObservedGeneration).To(Equal(m.Generation))
			g.Expect(m.Status.AppliedGeneration).To(Equal(applied))
			g.Expect(m.Status.Preview).NotTo(BeNil())
			p := m.Status.Preview
			g.Expect(p.Generation).To(Equal(m.Generation))
			g.Expect(*p).To(SatisfyAll(
				HaveField("Targets", BeEquivalentTo(2)), HaveField("LevelDown", BeEquivalentTo(1)),
				HaveField("LevelUp", BeEquivalentTo(0)), HaveField("Unchanged", BeEquivalentTo(1)),
				// satisfaction opens for both targets.
				HaveField("TasksToOpen", BeEquivalentTo(2)), HaveField("TasksToResolve", BeEquivalentTo(0))))
			c := condition(m.Status.Conditions, v1alpha1.ConditionApplied)
			g.Expect(c.Status).To(BeEquivalentTo("False"))
			g.Expect(c.Reason).To(Equal(v1alpha1.ReasonInPreview))
			g.Expect(c.Message).To(ContainSubstring("1 down, 2 tasks would open"))
		}).Should(Succeed())
		Expect(status.Compute(toUnstructured(m))).To(HaveField("Status", status.CurrentStatus))

		By("the targets, evaluated again after the edit, keep the applied generation's level and tasks")
		requestReconcile(high, "after-preview")
		requestReconcile(growing, "after-preview")
		expectHandled(high, "after-preview")
		expectHandled(growing, "after-preview")
		Eventually(func(g Gomega) {
			g.Expect(levelAndTasks(g, high)).To(Equal("HighPerformance, 0 tasks"))
			g.Expect(levelAndTasks(g, growing)).To(Equal("GrowingPains, 2 tasks"))
			// Each target's own status says what the preview means for it:
			// high would drop a level, growing stays; satisfaction opens a
			// task for both.
			g.Expect(high.Status.ModelPreview).To(Equal(&v1alpha1.TargetModelPreview{
				Generation: m.Generation, Level: "GrowingPains", TasksToOpen: 1}))
			g.Expect(growing.Status.ModelPreview).To(Equal(&v1alpha1.TargetModelPreview{
				Generation: m.Generation, Level: "GrowingPains", TasksToOpen: 1}))
		}).Should(Succeed())

		By("approving: mode Apply grades the targets with the new generation, as previewed")
		setRollout(m, v1alpha1.RolloutApply, nil)
		Eventually(func(g Gomega) {
			g.Expect(levelAndTasks(g, high)).To(Equal("GrowingPains, 1 tasks"))
			g.Expect(levelAndTasks(g, growing)).To(Equal("GrowingPains, 3 tasks"))
			g.Expect(high.Status.ModelPreview).To(BeNil())
			g.Expect(growing.Status.ModelPreview).To(BeNil())
			get(g, m)
			g.Expect(m.Status.AppliedGeneration).To(Equal(m.Generation))
			g.Expect(m.Status.Preview).To(BeNil())
			g.Expect(condition(m.Status.Conditions, v1alpha1.ConditionApplied).Status).To(BeEquivalentTo("True"))
		}).Should(Succeed())
	})

	It("tells a target in its own status that the previewed generation drops its target level", func() {
		ns := newNamespace()
		m := testModel(ns)
		create(m)
		create(reportedSource(ns, "high", atHighPerformance))
		high := target(ns, "high", ns, "HighPerformance", "high")
		create(high)
		Eventually(func(g Gomega) {
			g.Expect(levelAndTasks(g, high)).To(Equal("HighPerformance, 0 tasks"))
		}).Should(Succeed())

		setRollout(m, v1alpha1.RolloutPreview, func(m *v1alpha1.MaturityModel) {
			m.Spec.Levels[2].Name = "Scaling"
			for si := range m.Spec.Streams {
				for oi := range m.Spec.Streams[si].Objectives {
					o := &m.Spec.Streams[si].Objectives[oi]
					for ci := range o.Criteria {
						if o.Criteria[ci].Level == "HighPerformance" {
							o.Criteria[ci].Level = "Scaling"
						}
					}
					for pi := range o.Projects {
						o.Projects[pi].Level = "Scaling"
					}
				}
			}
		})
		Eventually(func(g Gomega) {
			g.Expect(levelAndTasks(g, high)).To(Equal("HighPerformance, 0 tasks"))
			g.Expect(high.Status.ModelPreview).NotTo(BeNil())
			g.Expect(high.Status.ModelPreview.Level).To(BeEmpty())
			g.Expect(high.Status.ModelPreview.NotEvaluated).To(Equal(fmt.Sprintf(
				`spec.targetLevel "HighPerformance" is not a level of generation %d (levels: Startup, GrowingPains, Scaling)`, m.Generation)))
		}).Should(Succeed())
	})

	It("previews a target with the campaigns selecting it: a change that grades nothing differently changes nothing", func() {
		ns := newNamespace()
		m := testModel(ns)
		create(m)
		create(reportedSource(ns, "growing", atGrowingPains()))
		t := target(ns, "shop", ns, "GrowingPains", "growing")
		t.Labels = map[string]string{"team": "web"}
		create(t)
		// The campaign's tightened response rule fails at GrowingPains
		// while it is active: one task, due at its target date.
		create(tightenResponse(ns, fakeClock.Now().Add(-time.Hour), fakeClock.Now().Add(48*time.Hour)))
		Eventually(func(g Gomega) {
			g.Expect(levelAndTasks(g, t)).To(Equal("GrowingPains, 1 tasks"))
			g.Expect(t.Status.Campaigns).To(HaveLen(1))
		}).Should(Succeed())

		setRollout(m, v1alpha1.RolloutPreview, func(m *v1alpha1.MaturityModel) {
			m.Spec.Streams[0].Description = "reworded, grading nothing differently"
		})
		previewed := m.Generation
		Eventually(func(g Gomega) {
			get(g, t)
			g.Expect(t.Status.ModelPreview).NotTo(BeNil())
			g.Expect(t.Status.ModelPreview.Generation).To(Equal(previewed))
			g.Expect(*t.Status.ModelPreview).To(SatisfyAll(HaveField("Level", "GrowingPains"),
				HaveField("TasksToOpen", BeZero()), HaveField("TasksToResolve", BeZero())))
			get(g, m)
			g.Expect(m.Status.Preview).NotTo(BeNil())
			g.Expect(*m.Status.Preview).To(SatisfyAll(HaveField("Unchanged", BeEquivalentTo(1)),
				HaveField("TasksToOpen", BeZero()), HaveField("TasksToResolve", BeZero())))
		}).Should(Succeed())
	})

	It("makes the targets of a model created in Preview wait until it is applied", func() {
		ns := newNamespace()
		src := reportedSource(ns, "high", atHighPerformance)
		create(src)
		high := target(ns, "high", ns, "HighPerformance", "high")
		create(high)
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(src.Status.Values).NotTo(BeEmpty())
		}).Should(Succeed())
		m := testModel(ns)
		m.Spec.Rollout = &v1alpha1.ModelRollout{Mode: v1alpha1.RolloutPreview}
		create(m)
		attempt := 0
		Eventually(func(g Gomega) {
			get(g, high)
			c := condition(high.Status.Conditions, v1alpha1.ConditionReconciling)
			g.Expect(c.Status).To(BeEquivalentTo("True"))
			g.Expect(c.Reason).To(Equal(v1alpha1.ReasonModelNotApplied))
			g.Expect(c.Message).To(ContainSubstring("spec.rollout.mode"))
			get(g, m)
			g.Expect(m.Status.AppliedGeneration).To(BeZero())
			g.Expect(m.Status.Preview).NotTo(BeNil())
			if m.Status.Preview.LevelUp != 1 {
				// The first preview may have read the source before its
				// values reached the manager's cache; a source's values do
				// not trigger a preview (the next periodic one would), so
				// ask for one as a user would.
				attempt++
				patch := fmt.Sprintf(`{"metadata":{"annotations":{%q:"preview-%d"}}}`, v1alpha1.AnnotationRequestedAt, attempt)
				g.Expect(k8sClient.Patch(ctx, m, client.RawPatch(types.MergePatchType, []byte(patch)))).To(Succeed())
			}
			g.Expect(m.Status.Preview.LevelUp).To(BeEquivalentTo(1))
		}).Should(Succeed())

		setRollout(m, v1alpha1.RolloutApply, nil)
		Eventually(func(g Gomega) {
			g.Expect(levelAndTasks(g, high)).To(Equal("HighPerformance, 0 tasks"))
		}).Should(Succeed())
	})
})
