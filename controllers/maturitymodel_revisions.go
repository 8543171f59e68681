package controllers

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/selection"
	"k8s.io/apimachinery/pkg/types"
	appsv1ac "k8s.io/client-go/applyconfigurations/apps/v1"
	metav1ac "k8s.io/client-go/applyconfigurations/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// modelRevisions keeps each MaturityModel's applied generation in a
// ControllerRevision in the operator's namespace, the way a StatefulSet
// keeps its revisions: while a newer generation is in Preview, the API
// server no longer has the applied spec anywhere else. One revision per
// model (named by its UID, so any model name fits), owned by the model, so
// the garbage collector removes it with the model.
type modelRevisions struct {
	client    client.Client
	namespace string
	models    *maturity.Cache
}

// +kubebuilder:rbac:groups=apps,namespace=system,resources=controllerrevisions,verbs=get;list;watch;create;update;patch;delete

// RevisionCache is the cache configuration for the ControllerRevisions of
// opts.RevisionNamespace: only that namespace, only the model revisions, so
// the operator neither needs to read nor caches anyone else's.
func RevisionCache(namespace string) map[client.Object]cache.ByObject {
	if namespace == "" {
		return nil
	}
	sel := labels.NewSelector()
	req, err := labels.NewRequirement(v1alpha1.LabelModelRevision, selection.Exists, nil)
	if err == nil {
		sel = sel.Add(*req)
	}
	return map[client.Object]cache.ByObject{
		&appsv1.ControllerRevision{}: {
			Namespaces: map[string]cache.Config{namespace: {}},
			Label:      sel,
		},
	}
}

// revisionName names the revision of one applied generation: revisions are
// immutable, so every applied generation gets its own, and the older ones
// are removed once it is stored.
func revisionName(uid types.UID, generation int64) string {
	return fmt.Sprintf("maturitymodel-%s-%d", uid, generation)
}

// save records model's current generation as the applied one, then removes
// the revisions of older generations.
func (r modelRevisions) save(ctx context.Context, model *v1alpha1.MaturityModel, older []appsv1.ControllerRevision) error {
	data, err := json.Marshal(&model.Spec)
	if err != nil {
		return err
	}
	gvk := v1alpha1.GroupVersion.WithKind("MaturityModel")
	ac := appsv1ac.ControllerRevision(revisionName(model.UID, model.Generation), r.namespace).
		WithLabels(map[string]string{v1alpha1.LabelModelRevision: string(model.UID)}).
		WithOwnerReferences(metav1ac.OwnerReference().
			WithAPIVersion(gvk.GroupVersion().String()).WithKind(gvk.Kind).
			WithName(model.Name).WithUID(model.UID).
			WithController(true).WithBlockOwnerDeletion(false)).
		WithRevision(model.Generation).
		WithData(runtime.RawExtension{Raw: data})
	if err := r.client.Apply(ctx, ac, client.FieldOwner(FieldManager), client.ForceOwnership); err != nil {
		return fmt.Errorf("recording the applied generation of MaturityModel %s: %w", model.Name, err)
	}
	for i := range older {
		if err := r.client.Delete(ctx, &older[i]); client.IgnoreNotFound(err) != nil {
			return fmt.Errorf("removing an older applied generation of MaturityModel %s: %w", model.Name, err)
		}
	}
	return nil
}

// saveIfNewer records model's generation unless a revision already holds
// it (read from the cache: one write per applied generation).
func (r modelRevisions) saveIfNewer(ctx context.Context, model *v1alpha1.MaturityModel) error {
	if r.namespace == "" {
		return nil
	}
	revs, err := r.list(ctx, model)
	if err != nil {
		return err
	}
	if n := len(revs); n > 0 && revs[n-1].Revision >= model.Generation {
		return nil
	}
	return r.save(ctx, model, revs)
}

// list is the model's revisions, oldest first.
func (r modelRevisions) list(ctx context.Context, model *v1alpha1.MaturityModel) ([]appsv1.ControllerRevision, error) {
	list := &appsv1.ControllerRevisionList{}
	if err := r.client.List(ctx, list, client.InNamespace(r.namespace),
		client.MatchingLabels{v1alpha1.LabelModelRevision: string(model.UID)}); err != nil {
		return nil, err
	}
	slices.SortFunc(list.Items, func(a, b appsv1.ControllerRevision) int { return cmp.Compare(a.Revision, b.Revision) })
	return list.Items, nil
}

// appliedModel is the model a target is graded with and its generation:
// the model itself in Apply mode, its last applied generation while a newer
// one is in Preview. ok is false when no generation was ever applied (the
// model was created in Preview mode, or its revision was not restored).
func (r modelRevisions) appliedModel(ctx context.Context, model *v1alpha1.MaturityModel) (m *maturity.Model, errs []maturity.FieldError, gen int64, ok bool, err error) {
	if !inPreview(model) || r.namespace == "" {
		m, errs = r.models.Get(model)
		return m, errs, model.Generation, true, nil
	}
	revs, err := r.list(ctx, model)
	if err != nil || len(revs) == 0 {
		return nil, nil, 0, false, err
	}
	rev := &revs[len(revs)-1]
	m, errs = r.models.GetSpec(rev.UID, rev.Revision, func() (*v1alpha1.MaturityModelSpec, error) {
		spec := &v1alpha1.MaturityModelSpec{}
		if err := json.Unmarshal(rev.Data.Raw, spec); err != nil {
			return nil, fmt.Errorf("ControllerRevision %s/%s: %w", rev.Namespace, rev.Name, err)
		}
		return spec, nil
	})
	return m, errs, rev.Revision, true, nil
}

// inPreview says the model's current generation is not to grade targets.
func inPreview(model *v1alpha1.MaturityModel) bool {
	return model.Spec.Rollout != nil && model.Spec.Rollout.Mode == v1alpha1.RolloutPreview
}
