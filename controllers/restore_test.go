package controllers_test

import (
	"context"
	"path/filepath"
	"sort"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/sampledata"
)

// businessState is what a restore must bring back: each partner's phase,
// the program's stage, whom it admitted, and the open tasks with their
// owners.
type businessState struct {
	Phases    map[string]v1alpha1.PartnerPhase
	Stage     string
	Admitted  []string
	OpenTasks map[string]v1alpha1.OwnerRole
}

// observe reads the business in ns once the program has judged every
// partner of its current generation.
func observe(g Gomega, ns, program string) businessState {
	ctx := context.Background()
	prog := &v1alpha1.PartnerProgram{}
	g.Expect(k8sClient.Get(ctx, client.ObjectKey{Namespace: ns, Name: program}, prog)).To(Succeed())
	g.Expect(prog.Status.ObservedGeneration).To(Equal(prog.Generation))
	s := businessState{Stage: prog.Status.Stage, Phases: map[string]v1alpha1.PartnerPhase{}, OpenTasks: map[string]v1alpha1.OwnerRole{}}
	partnerList := &v1alpha1.PartnerList{}
	g.Expect(k8sClient.List(ctx, partnerList, client.InNamespace(ns))).To(Succeed())
	for _, p := range partnerList.Items {
		g.Expect(p.Status.ObservedGeneration).To(Equal(p.Generation), "partner %s not judged yet", p.Name)
		s.Phases[p.Name] = p.Status.Phase
		if p.Status.AdmittedAt != nil {
			s.Admitted = append(s.Admitted, p.Name)
		}
	}
	sort.Strings(s.Admitted)
	g.Expect(prog.Status.Partners).To(BeEquivalentTo(len(partnerList.Items)))
	taskList := &v1alpha1.ProjectTaskList{}
	g.Expect(k8sClient.List(ctx, taskList, client.InNamespace(ns))).To(Succeed())
	for _, t := range taskList.Items {
		if !meta.IsStatusConditionTrue(t.Status.Conditions, v1alpha1.ConditionResolved) {
			s.OpenTasks[t.Name] = t.Spec.OwnerRole
		}
	}
	return s
}

// settled waits until observe reads the same twice in a row and returns it.
func settled(ns, program string, check func(Gomega, businessState)) businessState {
	GinkgoHelper()
	var last *businessState
	Eventually(func(g Gomega) {
		s := observe(g, ns, program)
		check(g, s)
		prev := last
		last = &s
		g.Expect(prev).NotTo(BeNil())
		g.Expect(s).To(Equal(*prev), "still moving")
	}).Should(Succeed())
	return *last
}

// eachObject lists every object of the sample's kinds in ns.
func eachObject(ns string) []client.Object {
	GinkgoHelper()
	ctx := context.Background()
	var out []client.Object
	lists := []client.ObjectList{&v1alpha1.MetricSourceList{}, &v1alpha1.MaturityTargetList{}, &v1alpha1.SupportPlanList{},
		&v1alpha1.PartnerProgramList{}, &v1alpha1.PartnerList{}, &v1alpha1.ProjectTaskList{}, &v1alpha1.CampaignList{}}
	for _, l := range lists {
		Expect(k8sClient.List(ctx, l, client.InNamespace(ns))).To(Succeed())
		items, err := meta.ExtractList(l)
		Expect(err).NotTo(HaveOccurred())
		for _, o := range items {
			out = append(out, o.(client.Object))
		}
	}
	return out
}

// withoutStatus is obj as a restore without status brings it back: its
// status zeroed, its spec and metadata kept.
func withoutStatus(obj client.Object) {
	switch o := obj.(type) {
	case *v1alpha1.MetricSource:
		o.Status = v1alpha1.MetricSourceStatus{}
	case *v1alpha1.MaturityTarget:
		o.Status = v1alpha1.MaturityTargetStatus{}
	case *v1alpha1.SupportPlan:
		o.Status = v1alpha1.SupportPlanStatus{}
	case *v1alpha1.PartnerProgram:
		o.Status = v1alpha1.PartnerProgramStatus{}
	case *v1alpha1.Partner:
		o.Status = v1alpha1.PartnerStatus{}
	case *v1alpha1.ProjectTask:
		o.Status = v1alpha1.ProjectTaskStatus{}
	case *v1alpha1.Campaign:
		o.Status = v1alpha1.CampaignStatus{}
	default:
		Fail("unexpected kind")
	}
}

// fromSpec is obj as Git holds it: name, namespace and spec, nothing the
// cluster or the operator added.
func fromSpec(obj client.Object) client.Object {
	fresh := obj.DeepCopyObject().(client.Object)
	withoutStatus(fresh)
	fresh.SetAnnotations(nil)
	fresh.SetResourceVersion("")
	fresh.SetUID("")
	fresh.SetCreationTimestamp(metav1.Time{})
	fresh.SetGeneration(0)
	fresh.SetManagedFields(nil)
	fresh.SetOwnerReferences(nil)
	return fresh
}

var _ = Describe("A restore", Serial, func() {
	It("brings back the sample's phases, stage, admissions and open tasks, without status and from specs alone", func() {
		ctx := context.Background()
		ns := newNamespace()
		objs, err := sampledata.Objects(filepath.Join(".."), fakeClock.Now())
		Expect(err).NotTo(HaveOccurred())
		var prog *v1alpha1.PartnerProgram
		for _, o := range objs {
			switch o := o.(type) {
			case *v1alpha1.MaturityModel:
				// Cluster-scoped: a name of the test's own.
				o.Name = ns + "-model"
			case *v1alpha1.MaturityTarget:
				o.Spec.ModelRef.Name = ns + "-model"
			case *v1alpha1.PartnerProgram:
				// The two targets the sample misses (it tells a pilot story)
				// are dropped, so the others hold and the program can pass
				// its pilot after the validation window, an hour here: the
				// suite's clock is shared, and other tests read the date.
				o.Spec.Targets.ActivationRate, o.Spec.Targets.OnboardingP50 = nil, nil
				o.Spec.Expansion.ValidationWindow = &metav1.Duration{Duration: time.Hour}
				prog = o
			}
			if o.GetNamespace() != "" {
				o.SetNamespace(ns)
			}
			create(o)
		}
		name := prog.Name

		By("the pilot seats the first six partners")
		settled(ns, name, func(g Gomega, s businessState) {
			g.Expect(s.Stage).To(Equal("pilot"))
			g.Expect(s.Admitted).To(HaveLen(6))
			g.Expect(s.Phases).To(HaveKeyWithValue("wild-ads", v1alpha1.PhaseWaitlisted))
		})

		By("the targets hold through the validation window: the next stage opens and admits the last partner")
		fakeClock.Step(prog.Spec.Expansion.ValidationWindow.Duration + time.Hour)
		// Everything is judged again at the new time, so that what is
		// recorded below is what any later pass computes.
		for _, o := range eachObject(ns) {
			if _, isTask := o.(*v1alpha1.ProjectTask); !isTask {
				requestReconcile(o, "after-window")
			}
		}
		Eventually(func(g Gomega) {
			get(g, prog)
			g.Expect(prog.Status.Stage).To(Equal("regional"))
		}).Should(Succeed())
		// Admitted, it signs the agreement: the fact that tells a rebuild
		// from specs alone it was admitted.
		wild := &v1alpha1.Partner{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "wild-ads"}}
		Eventually(func(g Gomega) {
			get(g, wild)
			g.Expect(wild.Status.AdmittedAt).NotTo(BeNil())
			wild.Spec.Onboarding.Completed = []v1alpha1.CompletedStep{{Step: "agreement", At: metav1.NewTime(fakeClock.Now().Add(-time.Hour))}}
			g.Expect(k8sClient.Update(ctx, wild)).To(Succeed())
		}).Should(Succeed())
		before := settled(ns, name, func(g Gomega, s businessState) {
			g.Expect(s.Stage).To(Equal("regional"))
			g.Expect(s.Phases).To(HaveKeyWithValue("wild-ads", v1alpha1.PhaseOnboarding))
		})
		Expect(before.Admitted).To(HaveLen(7), "every partner but the churned one")
		Expect(before.OpenTasks).NotTo(BeEmpty())

		By("a restore without status: every status wiped, the manager restarted")
		stopManager()
		for _, o := range eachObject(ns) {
			withoutStatus(o)
			Expect(k8sClient.Status().Update(ctx, o)).To(Succeed())
		}
		get(Default, prog)
		Expect(prog.Status.Stage).To(BeEmpty())
		startManager()
		Eventually(func(g Gomega) { g.Expect(observe(g, ns, name)).To(Equal(before)) }).Should(Succeed())
		// pilot and regional, each once: the stage read back is no new one.
		Consistently(eventsOf(prog)).Should(HaveKeyWithValue(v1alpha1.ReasonStageOpened, BeEquivalentTo(2)))

		By("a rebuild from specs alone: every object deleted and created again from its spec")
		stopManager()
		all := eachObject(ns)
		for _, o := range all {
			Expect(k8sClient.Delete(ctx, o)).To(Succeed())
		}
		Eventually(func(g Gomega) {
			for _, o := range all {
				g.Expect(apierrors.IsNotFound(k8sClient.Get(ctx, client.ObjectKeyFromObject(o), o))).To(BeTrue(), o.GetName())
			}
		}).Should(Succeed())
		startManager()
		// Tasks are not in Git: the operator opens them again. The partners
		// come first and wait for their program, which proves the manager's
		// cache holds them all when the program judges them: a program
		// without a record of its stage takes it from the partners it sees
		// on its first pass (see the README's Backup and restore).
		var partnersFirst, rest []client.Object
		for _, o := range all {
			switch o.(type) {
			case *v1alpha1.ProjectTask:
			case *v1alpha1.Partner:
				partnersFirst = append(partnersFirst, fromSpec(o))
			default:
				rest = append(rest, fromSpec(o))
			}
		}
		for _, o := range partnersFirst {
			create(o)
		}
		Eventually(func(g Gomega) {
			for _, o := range partnersFirst {
				p := o.(*v1alpha1.Partner)
				get(g, p)
				g.Expect(condition(p.Status.Conditions, v1alpha1.ConditionReady).Reason).To(Equal(v1alpha1.ReasonProgramNotFound), p.Name)
			}
		}).Should(Succeed())
		for _, o := range rest {
			create(o)
		}
		Eventually(func(g Gomega) { g.Expect(observe(g, ns, name)).To(Equal(before)) }).Should(Succeed())
	})
})
