package controllers

import (
	"k8s.io/apimachinery/pkg/labels"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/compact"
	"github.com/scaleup-operator/scaleup-operator/internal/intern"
	"github.com/scaleup-operator/scaleup-operator/internal/packed"
)

// CacheOptions are the informer cache's options for a manager running these
// controllers. The controllers never read managedFields, so they are
// dropped (roughly half of each object), and neither annotations other
// than their own nor a Partner's uid; a MaturityTarget's results, which its
// controller recomputes on every pass, are compacted to a digest and, for
// the metrics, per-stream counts of its objectives, and a reported
// MetricSource's values, once its status publishes them, are read back
// from that status (internal/compact); the strings, times and condition
// lists that repeat across thousands of objects are shared
// (internal/intern). Partners, by far the most numerous, are then stored
// packed (internal/packed, half the size): Get and List return them whole,
// but a List with UnsafeDisableDeepCopy cannot, and the in-place readers
// (cachestore.Items) take them through packed.Of.
//
// With a shard selector (--watch-label-selector), the namespaced kinds of
// growth.scaleup.io are cached, and so reconciled, only when their labels
// match it; MaturityModels are cluster-wide catalogues every shard reads.
//
// revisionNamespace is where MaturityModels keep their applied generations
// (RevisionCache): the only namespace whose ControllerRevisions are cached.
func CacheOptions(shard labels.Selector, revisionNamespace string) cache.Options {
	stripManagedFields := cache.TransformStripManagedFields()
	transform := func(obj any) (any, error) {
		obj, err := stripManagedFields(obj)
		if err != nil {
			return obj, err
		}
		compact.Object(obj)
		intern.Object(obj)
		return obj, nil
	}
	opts := cache.Options{DefaultTransform: transform, ByObject: RevisionCache(revisionNamespace)}
	if opts.ByObject == nil {
		opts.ByObject = map[client.Object]cache.ByObject{}
	}
	sharded := shard != nil && !shard.Empty()
	for _, obj := range shardedKinds() {
		var by cache.ByObject
		if _, ok := obj.(*v1alpha1.Partner); ok {
			by.Transform = packPartner(transform)
		} else if !sharded {
			continue
		}
		if sharded {
			by.Label = shard
		}
		opts.ByObject[obj] = by
	}
	return opts
}

// packPartner is the Partner informer's transform: transform, then the
// packed form (internal/packed), which the cache's Get and List return
// whole. It is idempotent, as an informer's transform must be: a partner
// already packed is left as it is.
func packPartner(transform toolscache.TransformFunc) toolscache.TransformFunc {
	return func(obj any) (any, error) {
		if _, done := obj.(*packed.Partner); done {
			return obj, nil
		}
		obj, err := transform(obj)
		if err != nil {
			return obj, err
		}
		if p, ok := obj.(*v1alpha1.Partner); ok {
			if small, ok := packed.Pack(p); ok {
				return small, nil
			}
		}
		return obj, nil
	}
}

// shardedKinds are the kinds a shard selector splits between replicas: the
// namespaced kinds, which refer to each other only within a namespace.
func shardedKinds() []client.Object {
	return []client.Object{
		&v1alpha1.MaturityTarget{}, &v1alpha1.MetricSource{}, &v1alpha1.SupportPlan{},
		&v1alpha1.PartnerProgram{}, &v1alpha1.Partner{}, &v1alpha1.ProjectTask{}, &v1alpha1.Campaign{},
	}
}
