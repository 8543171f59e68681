package controllers

import (
	"context"
	"maps"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
)

// recordAnnotations writes the history annotations of want that obj does
// not carry yet ("" removes one) in one metadata merge patch of those keys
// alone, and nothing when it carries them all. Metadata is what a backup
// without status keeps (see v1alpha1.AnnotationExpansionStage).
//
// With lock the patch carries obj's resourceVersion, so it fails with a
// conflict when obj is not the stored object; obj then takes the new
// resourceVersion, and the status patch that follows in the same pass
// (statusWriter) locks against it. Without lock (another controller's
// object, whose status changes under us) only the keys are merged.
func recordAnnotations(ctx context.Context, c client.Client, obj client.Object, want map[string]string, lock bool) error {
	have := obj.GetAnnotations()
	changed := false
	for k, v := range want {
		cur, ok := have[k]
		changed = changed || (v == "" && ok) || (v != "" && cur != v)
	}
	if !changed {
		return nil
	}
	gvk, err := apiutil.GVKForObject(obj, c.Scheme())
	if err != nil {
		return err
	}
	m := &metav1.PartialObjectMetadata{}
	m.SetGroupVersionKind(gvk)
	m.Namespace, m.Name, m.ResourceVersion = obj.GetNamespace(), obj.GetName(), obj.GetResourceVersion()
	m.Annotations = maps.Clone(have)
	before := m.DeepCopy()
	if m.Annotations == nil {
		m.Annotations = map[string]string{}
	}
	for k, v := range want {
		if v == "" {
			delete(m.Annotations, k)
		} else {
			m.Annotations[k] = v
		}
	}
	var opts []client.MergeFromOption
	if lock {
		opts = append(opts, client.MergeFromWithOptimisticLock{})
	}
	if err := c.Patch(ctx, m, client.MergeFromWithOptions(before, opts...)); err != nil {
		return err
	}
	obj.SetAnnotations(m.Annotations)
	obj.SetResourceVersion(m.ResourceVersion)
	return nil
}
