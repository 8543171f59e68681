package controllers_test

import (
	"context"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/controllers"
	"github.com/scaleup-operator/scaleup-operator/internal/cachestore"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
	"github.com/scaleup-operator/scaleup-operator/internal/packed"
)

// The manager caches MaturityTargets compacted (controllers.CacheOptions):
// without the results the controller recomputes. These tests run the
// target's reconciler over a cache of their own, compacted as the
// manager's or whole, and count the status writes each makes.
var _ = Describe("A MaturityTarget reconciled from its compacted cached copy", func() {
	It("makes the writes a whole copy makes: none on a no-op, the whole status on a change", func() {
		t := evaluatedTarget()
		// The details compaction drops are there to drop.
		Expect(t.Status.BlockedBy).NotTo(BeEmpty())
		Expect(t.Status.Objectives[0].Blocking).NotTo(BeNil())
		settled := t.Status.DeepCopy()

		for _, compacted := range []bool{true, false} {
			By(map[bool]string{true: "compacted", false: "whole"}[compacted])
			r := newCountingReconciler(countedTargets, compacted)

			// A pass over the settled target computes the status it has.
			r.settle(t)
			Expect(r.reconcile(t)).To(BeZero(), "a no-op pass writes nothing")
			if compacted {
				Expect(r.compactedReads.Load()).To(BeNumerically(">", 0), "the pass read a compacted copy")
			} else {
				Expect(r.compactedReads.Load()).To(BeZero(), "the pass read a whole copy")
			}

			// The stored status differs in the results only, which the
			// compacted copy lacks: a value the rule no longer reads, an
			// objective's stale result, an objective the model no longer
			// has, a metric no longer missing. The pass writes once, and
			// what it writes is the whole status: each replaced or removed.
			stale := settled.DeepCopy()
			stale.Objectives[0].Blocking.Values = []string{"stale=1 (gone)"}
			stale.Objectives[1].MeetsTarget = !stale.Objectives[1].MeetsTarget
			stale.Objectives = append(stale.Objectives, v1alpha1.ObjectiveResult{Stream: "gone", Objective: "gone", Owner: v1alpha1.OwnerIT})
			stale.MissingMetrics = []string{"stale"}
			t.Status = *stale
			Expect(k8sClient.Status().Update(context.Background(), t)).To(Succeed())
			r.settle(t)
			Expect(r.reconcile(t)).To(Equal(int32(1)))
			Eventually(func(g Gomega) {
				get(g, t)
				g.Expect(t.Status).To(Equal(*settled))
			}).Should(Succeed())
		}
	})
})

// evaluatedTarget is a target the suite's manager evaluated, with the rule
// details and objectives the cache leaves out.
func evaluatedTarget() *v1alpha1.MaturityTarget {
	GinkgoHelper()
	ns := newNamespace()
	create(testModel(ns))
	create(reportedSource(ns, "reported", atGrowingPains()))
	t := target(ns, "shop", ns, "HighPerformance", "reported")
	create(t)
	Eventually(func(g Gomega) {
		get(g, t)
		g.Expect(t.Status.ObservedGeneration).To(Equal(t.Generation))
		g.Expect(t.Status.Tasks).To(Equal(&v1alpha1.TaskCounts{Open: 2}))
	}).Should(Succeed())
	return t
}

var _ = Describe("A MaturityTarget waiting on a compacted cached copy", func() {
	It("leaves the stored results as they are, as from a whole copy", func() {
		t := evaluatedTarget()
		settled := t.Status.DeepCopy()

		for _, compacted := range []bool{true, false} {
			By(map[bool]string{true: "compacted", false: "whole"}[compacted])
			// The reconciler does not find the target's source: the target
			// waits, keeps its last results, and the one write changes its
			// conditions alone. (The source stays, so that the suite's
			// manager leaves the target alone.)
			r := newCountingReconciler(countedTargetsWithoutSources, compacted)
			r.settle(t)
			Expect(r.reconcile(t)).To(Equal(int32(1)))
			get(Default, t)
			Expect(condition(t.Status.Conditions, v1alpha1.ConditionReady).Reason).To(Equal(v1alpha1.ReasonMetricSourceNotFound))
			waiting := t.Status.DeepCopy()
			waiting.Conditions = settled.Conditions
			Expect(*waiting).To(Equal(*settled), "only the conditions changed")

			t.Status = *settled.DeepCopy()
			Expect(k8sClient.Status().Update(context.Background(), t)).To(Succeed())
		}
	})
})

// countedTargetsWithoutSources reconciles targets with a client that finds
// no MetricSource.
var countedTargetsWithoutSources = countedKind{
	is:        countedTargets.is,
	compacted: countedTargets.compacted,
	reconciler: func(c client.Client) reconcile.Reconciler {
		blind := interceptor.NewClient(c.(client.WithWatch), interceptor.Funcs{
			Get: func(ctx context.Context, c client.WithWatch, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
				if _, ok := obj.(*v1alpha1.MetricSource); ok {
					return apierrors.NewNotFound(v1alpha1.GroupVersion.WithResource("metricsources").GroupResource(), key.Name)
				}
				return c.Get(ctx, key, obj, opts...)
			},
		})
		return countedTargets.reconciler(blind)
	},
}

// The manager caches Partners without the uid and the annotations that are
// not the operator's (controllers.CacheOptions).
var _ = Describe("A Partner reconciled from its compacted cached copy", func() {
	It("makes the writes a whole copy makes: none on a no-op, the changed fields on a change", func() {
		ns := newNamespace()
		create(partnerProgram(ns, v1alpha1.Expansion{Mode: v1alpha1.ExpansionOpen}))
		p := partner(ns, "trailhead", fakeClock.Now().Add(-10*24*time.Hour))
		p.Annotations = map[string]string{"kubectl.kubernetes.io/last-applied-configuration": "{}"}
		create(p)
		settledPartner := func() {
			GinkgoHelper()
			Eventually(func(g Gomega) {
				get(g, p)
				g.Expect(p.Status.ObservedGeneration).To(Equal(p.Generation))
				g.Expect(p.Status.AdmittedAt).NotTo(BeNil())
				g.Expect(p.Annotations).To(HaveKey(v1alpha1.AnnotationAdmittedAt))
				g.Expect(p.Status.PhaseReason).To(HavePrefix("onboarding for 10 days"))
			}).Should(Succeed())
		}
		settledPartner()

		written := map[bool]*v1alpha1.Partner{}
		for _, compacted := range []bool{true, false} {
			By(map[bool]string{true: "compacted", false: "whole"}[compacted])
			r := newCountingReconciler(partnersAt(fakeClock), compacted)
			r.settle(p)
			Expect(r.reconcile(p)).To(BeZero(), "a no-op pass writes nothing")
			if compacted {
				Expect(r.compactedReads.Load()).To(BeNumerically(">", 0), "the pass read a compacted copy")
				Expect(storedPartner(r.cache, p)).To(BeAssignableToTypeOf(&packed.Partner{}), "the cache stores the partner packed")
			} else {
				Expect(r.compactedReads.Load()).To(BeZero(), "the pass read a whole copy")
			}

			// Twenty days later the phase's reason changes: one write.
			// (The suite's manager, at the suite's time, puts it back.)
			later := newCountingReconciler(partnersAt(clocktesting.NewFakePassiveClock(fakeClock.Now().Add(20*24*time.Hour))), compacted)
			later.settle(p)
			Expect(later.reconcile(p)).To(Equal(int32(1)))
			written[compacted] = later.written.(*v1alpha1.Partner)
			settledPartner()
		}
		// Both wrote the same: the stored partner after either write.
		for _, w := range written {
			Expect(w.Status.PhaseReason).To(HavePrefix("onboarding for 30 days"))
			Expect(w.UID).NotTo(BeEmpty())
			Expect(w.Annotations).To(HaveKey("kubectl.kubernetes.io/last-applied-configuration"))
			Expect(w.Annotations).To(HaveKey(v1alpha1.AnnotationAdmittedAt))
		}
		Expect(written[true].Status).To(Equal(written[false].Status))
	})
})

// storedPartner is the item the cache's store holds for p, in the form it
// is stored in.
func storedPartner(c cache.Cache, p *v1alpha1.Partner) any {
	GinkgoHelper()
	items, err := cachestore.Items(context.Background(), c, &v1alpha1.Partner{}, &v1alpha1.PartnerList{})
	Expect(err).NotTo(HaveOccurred())
	for _, item := range items {
		if o, ok := item.(client.Object); ok && o.GetNamespace() == p.Namespace && o.GetName() == p.Name {
			return item
		}
	}
	return nil
}

// partnersAt reconciles Partners at the time of clk.
func partnersAt(clk clock.PassiveClock) countedKind {
	return countedKind{
		is: func(o client.Object) bool { _, ok := o.(*v1alpha1.Partner); return ok },
		// The stored partner has a uid, a foreign annotation and its
		// admitted-at annotation: the compacted copy has neither, and says
		// the admission is recorded.
		compacted: func(o client.Object) bool {
			p, ok := o.(*v1alpha1.Partner)
			return ok && p.UID == "" && len(p.Annotations) == 0 && p.Status.CompactedAdmissionRecorded
		},
		reconciler: func(c client.Client) reconcile.Reconciler {
			return &controllers.PartnerReconciler{Client: c, Recorder: events.NewFakeRecorder(100), Clock: clk}
		},
	}
}

// The manager caches a reported MetricSource whose status publishes its
// values without them (spec.reported.inStatus): its controller reads them
// back from the status.
var _ = Describe("A MetricSource reconciled from its compacted cached copy", func() {
	It("makes the writes a whole copy makes: none on a no-op, the whole status on a change", func() {
		ns := newNamespace()
		src := reportedSource(ns, "reported", atGrowingPains())
		create(src)
		Eventually(func(g Gomega) {
			get(g, src)
			g.Expect(src.Status.ObservedGeneration).To(Equal(src.Generation))
			g.Expect(src.Status.Values).To(HaveLen(len(atGrowingPains())))
		}).Should(Succeed())
		settled := src.Status.DeepCopy()

		for _, compacted := range []bool{true, false} {
			By(map[bool]string{true: "compacted", false: "whole"}[compacted])
			r := newCountingReconciler(countedSources, compacted)

			r.settle(src)
			Expect(r.reconcile(src)).To(BeZero(), "a no-op pass writes nothing")
			if compacted {
				Expect(r.compactedReads.Load()).To(BeNumerically(">", 0), "the pass read a compacted copy")
			} else {
				Expect(r.compactedReads.Load()).To(BeZero(), "the pass read a whole copy")
			}

			// The stored status still publishes the values (the cache
			// leaves them out of the spec) but its count and Ready message
			// are stale: one write puts them right.
			stale := settled.DeepCopy()
			stale.ValueCount = 1
			stale.Conditions[0].Message = "stale"
			src.Status = *stale
			Expect(k8sClient.Status().Update(context.Background(), src)).To(Succeed())
			r.settle(src)
			Expect(r.reconcile(src)).To(Equal(int32(1)))
			Eventually(func(g Gomega) {
				get(g, src)
				g.Expect(src.Status).To(Equal(*settled))
			}).Should(Succeed())
		}
	})
})

var countedSources = countedKind{
	is: func(o client.Object) bool { _, ok := o.(*v1alpha1.MetricSource); return ok },
	compacted: func(o client.Object) bool {
		s, ok := o.(*v1alpha1.MetricSource)
		return ok && s.Spec.Reported != nil && s.Spec.Reported.InStatus
	},
	reconciler: func(c client.Client) reconcile.Reconciler {
		return &controllers.MetricSourceReconciler{
			Client: c, Secrets: k8sClient, Recorder: events.NewFakeRecorder(100), Clock: fakeClock,
			Providers: metricsource.NewProviders(metricsource.Options{}),
		}
	},
}

// countedKind is what a countingReconciler reconciles and counts: the
// status writes to objects of the kind, and the reads of compacted copies.
type countedKind struct {
	is         func(client.Object) bool
	compacted  func(client.Object) bool
	reconciler func(client.Client) reconcile.Reconciler
}

var countedTargets = countedKind{
	is: func(o client.Object) bool { _, ok := o.(*v1alpha1.MaturityTarget); return ok },
	compacted: func(o client.Object) bool {
		t, ok := o.(*v1alpha1.MaturityTarget)
		return ok && t.Status.CompactedDigest != ""
	},
	reconciler: func(c client.Client) reconcile.Reconciler {
		return &controllers.MaturityTargetReconciler{
			Client: c, Recorder: events.NewFakeRecorder(100), Models: maturity.NewCache(), Clock: fakeClock,
		}
	},
}

// countingReconciler is a kind's reconciler over a cache of its own,
// counting the status writes it makes to objects of the kind.
type countingReconciler struct {
	reconciler     reconcile.Reconciler
	cache          cache.Cache
	writes         atomic.Int32
	compactedReads atomic.Int32
	// written is the object as the last status write stored it.
	written client.Object
}

func newCountingReconciler(kind countedKind, compacted bool) *countingReconciler {
	GinkgoHelper()
	ctx, cancel := context.WithCancel(context.Background())
	DeferCleanup(cancel)
	opts := controllers.CacheOptions(nil, "")
	if !compacted {
		opts = cache.Options{}
	}
	opts.Scheme = scheme
	c, err := cache.New(cfg, opts)
	Expect(err).NotTo(HaveOccurred())
	Expect(controllers.SetupIndexes(ctx, c)).To(Succeed())
	go func() { _ = c.Start(ctx) }()
	Expect(c.WaitForCacheSync(ctx)).To(BeTrue())
	cl, err := client.NewWithWatch(cfg, client.Options{Scheme: scheme, Cache: &client.CacheOptions{Reader: c}})
	Expect(err).NotTo(HaveOccurred())

	r := &countingReconciler{cache: c}
	counted := interceptor.NewClient(cl, interceptor.Funcs{
		Get: func(ctx context.Context, c client.WithWatch, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
			err := c.Get(ctx, key, obj, opts...)
			if err == nil && kind.compacted(obj) {
				r.compactedReads.Add(1)
			}
			return err
		},
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
			err := c.SubResource(sub).Patch(ctx, obj, patch, opts...)
			if kind.is(obj) && sub == "status" {
				r.writes.Add(1)
				r.written = obj.DeepCopyObject().(client.Object)
			}
			return err
		},
	})
	r.reconciler = kind.reconciler(counted)
	return r
}

// settle waits until the reconciler's cache holds obj as obj is stored.
func (r *countingReconciler) settle(obj client.Object) {
	GinkgoHelper()
	Eventually(func(g Gomega) {
		cached := obj.DeepCopyObject().(client.Object)
		g.Expect(r.cache.Get(context.Background(), client.ObjectKeyFromObject(obj), cached)).To(Succeed())
		g.Expect(cached.GetResourceVersion()).To(Equal(obj.GetResourceVersion()))
	}).Should(Succeed())
}

// reconcile runs one pass over obj and returns the status writes it made.
func (r *countingReconciler) reconcile(obj client.Object) int32 {
	GinkgoHelper()
	before := r.writes.Load()
	_, err := r.reconciler.Reconcile(context.Background(), reconcile.Request{NamespacedName: client.ObjectKeyFromObject(obj)})
	Expect(err).NotTo(HaveOccurred())
	return r.writes.Load() - before
}
