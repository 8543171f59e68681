package controllers

import (
	"context"
	"encoding/json"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
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

// +kubebuilder:rbac:groups=apps,namespace=system,resources=controllerrevisions,verbs=get;list;watch;create;update;patch

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

func revisionName(uid types.UID) string { return "maturitymodel-" + string(uid) }

// save records model's current generation as the applied one.
func (r modelRevisions) save(ctx context.Context, model *v1alpha1.MaturityModel) error {
	if r.namespace == "" {
		return nil
	}
	data, err := json.Marshal(&model.Spec)
	if err != nil {
		return err
	}
	gvk := v1alpha1.GroupVersion.WithKind("MaturityModel")
	ac := appsv1ac.ControllerRevision(revisionName(model.UID), r.namespace).
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
	return nil
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
	rev := &appsv1.ControllerRevision{}
	if err := r.client.Get(ctx, types.NamespacedName{Namespace: r.namespace, Name: revisionName(model.UID)}, rev); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, nil, 0, false, nil
		}
		return nil, nil, 0, false, err
	}
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

// saveIfNewer records model's generation unless its revision already holds
// it (read from the cache: one write per applied generation).
func (r modelRevisions) saveIfNewer(ctx context.Context, model *v1alpha1.MaturityModel) error {
	if r.namespace == "" {
		return nil
	}
	rev := &appsv1.ControllerRevision{}
	err := r.client.Get(ctx, types.NamespacedName{Namespace: r.namespace, Name: revisionName(model.UID)}, rev)
	switch {
	case err == nil && rev.Revision >= model.Generation:
		return nil
	case err != nil && !apierrors.IsNotFound(err):
		return err
	}
	return r.save(ctx, model)
}
