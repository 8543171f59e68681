package v1alpha1

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// lookup finds the objects a validated object references, through the
// manager's cache (the controllers watch every kind looked up here, so a
// read reaches the API server only for an object the cache does not hold
// yet, see liveOnMiss), or, on a sharded manager, whose cache holds only
// its shard, through the API server. MaturityModels are cluster-scoped;
// every other lookup stays in the validated object's namespace, so a
// warning never names anything of another namespace.
//
// References are read by name, and the names of a kind in a namespace are
// listed only when a reference does not resolve (for the warning): from the
// API server a list costs as much as the namespace holds, on every
// admission, which made admission of one shard's objects the bottleneck of
// the others.
//
// Warnings are advice; the controllers decide on the live state.
type lookup struct {
	reader client.Reader
	// models reads MaturityModels (reader when nil): every shard caches all
	// of them, so even a sharded manager reads them from its cache.
	models client.Reader
}

// model returns the named MaturityModel, or nil and the names of the models
// that exist.
func (r lookup) model(ctx context.Context, name string) (*v1alpha1.MaturityModel, []string, error) {
	models := r.models
	if models == nil {
		models = r.reader
	}
	m := &v1alpha1.MaturityModel{}
	err := models.Get(ctx, types.NamespacedName{Name: name}, m)
	if err == nil {
		return m, nil, nil
	}
	if !apierrors.IsNotFound(err) {
		return nil, nil, err
	}
	names, err := lookup{reader: models}.names(ctx, &v1alpha1.MaturityModelList{})
	return nil, names, err
}

// program returns the named PartnerProgram of namespace, or nil and the
// names of the programs there.
func (r lookup) program(ctx context.Context, namespace, name string) (*v1alpha1.PartnerProgram, []string, error) {
	p := &v1alpha1.PartnerProgram{}
	err := r.reader.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, p)
	if err == nil {
		return p, nil, nil
	}
	if !apierrors.IsNotFound(err) {
		return nil, nil, err
	}
	names, err := r.names(ctx, &v1alpha1.PartnerProgramList{}, client.InNamespace(namespace))
	return nil, names, err
}

// target returns the named MaturityTarget of namespace, or nil and the
// names of the targets there.
func (r lookup) target(ctx context.Context, namespace, name string) (*v1alpha1.MaturityTarget, []string, error) {
	t := &v1alpha1.MaturityTarget{}
	err := r.reader.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, t)
	if err == nil {
		return t, nil, nil
	}
	if !apierrors.IsNotFound(err) {
		return nil, nil, err
	}
	names, err := r.names(ctx, &v1alpha1.MaturityTargetList{}, client.InNamespace(namespace))
	return nil, names, err
}

// readinessWarnings warns about a program's readiness gate: a MaturityTarget
// missing from the namespace, or a minimumLevel its model does not have.
func (r lookup) readinessWarnings(ctx context.Context, prog *v1alpha1.PartnerProgram) []string {
	gate := prog.Spec.Readiness
	if gate == nil {
		return nil
	}
	t, targets, err := r.target(ctx, prog.Namespace, gate.MaturityTargetRef.Name)
	if err != nil {
		lookupFailed(ctx, err)
		return nil
	}
	var model *v1alpha1.MaturityModel
	if t != nil {
		if model, _, err = r.model(ctx, t.Spec.ModelRef.Name); err != nil {
			lookupFailed(ctx, err)
			return nil
		}
	}
	return readinessWarnings(prog, t, targets, model)
}

// sourceWarnings warns about the references to MetricSources of namespace
// that do not exist; nothing is listed when every one does.
func (r lookup) sourceWarnings(ctx context.Context, namespace string, sources []v1alpha1.LocalObjectReference) []string {
	if len(sources) == 0 {
		return nil
	}
	refs := make([]string, len(sources))
	for i, s := range sources {
		refs[i] = s.Name
	}
	names, err := r.existing(ctx, namespace, refs, func() client.Object { return &v1alpha1.MetricSource{} }, &v1alpha1.MetricSourceList{})
	if err != nil {
		lookupFailed(ctx, err)
		return nil
	}
	return sourceWarnings(namespace, sources, names)
}

// existing reads each of refs, objects of newObj's kind in namespace, by
// name, and returns refs when every one resolves; otherwise it returns the
// names of the objects of list's kind there, for the warnings.
func (r lookup) existing(ctx context.Context, namespace string, refs []string, newObj func() client.Object, list client.ObjectList) ([]string, error) {
	for _, name := range refs {
		err := r.reader.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, newObj())
		if apierrors.IsNotFound(err) {
			return r.names(ctx, list, client.InNamespace(namespace))
		}
		if err != nil {
			return nil, err
		}
	}
	return refs, nil
}

// names lists the names of the objects of a kind. The cached objects are
// only read, so they are not copied.
func (r lookup) names(ctx context.Context, list client.ObjectList, opts ...client.ListOption) ([]string, error) {
	if err := r.reader.List(ctx, list, append(opts, client.UnsafeDisableDeepCopy)...); err != nil {
		return nil, err
	}
	var names []string
	err := meta.EachListItem(list, func(o runtime.Object) error {
		names = append(names, o.(client.Object).GetName())
		return nil
	})
	return names, err
}

// lookupFailed logs a failed lookup. Admission goes on without the warning:
// these webhooks advise, they never block a write.
func lookupFailed(ctx context.Context, err error) {
	logf.FromContext(ctx).Error(err, "looking up references for admission warnings")
}

// deleting says whether obj is on its way out; no advice is given then.
func deleting(obj client.Object) bool {
	return obj.GetDeletionTimestamp() != nil
}
