package controllers_test

import (
	"context"
	"sync/atomic"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/controllers"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
)

// The manager caches MaturityTargets compacted (controllers.CacheOptions):
// without the rule details the controller recomputes. These tests run the
// target's reconciler over a cache of their own, compacted as the
// manager's or whole, and count the status writes each makes.
var _ = Describe("A MaturityTarget reconciled from its compacted cached copy", func() {
	It("makes the writes a whole copy makes: none on a no-op, the whole status on a change", func() {
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

			// The stored status differs in the details only: a value the
			// rule no longer reads, a metric no longer missing. The pass
			// writes once, and what it writes is the whole status: the
			// stale value replaced, the stale missing metric removed.
			stale := settled.DeepCopy()
			stale.Objectives[0].Blocking.Values = []string{"stale=1 (gone)"}
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
			if kind.is(obj) && sub == "status" {
				r.writes.Add(1)
			}
			return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
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
