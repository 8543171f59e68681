package packed

import (
	"maps"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// A packed Partner is a client.Object, so that the informer keys and
// indexes it, and the watches pass it to their handlers, as any other.

// objectMeta is the metadata a partner has, and the metav1.Object a packed
// Partner is. The cache's objects are read only: the setters exist because
// the interface has them, and those of metadata a packed partner never
// holds (Pack keeps such a partner whole) do nothing.
type objectMeta struct {
	name, namespace, resourceVersion string
	generation                       int64
	created, deleted                 stamp
	labels, annotations              map[string]string
}

// DeepCopyObject returns the whole partner, a copy the caller owns: the
// cache's Get and List return it in the API type. Unpack already builds a
// new object; only what it shares with the cache is copied again (a
// controller sets conditions in place).
func (p *Partner) DeepCopyObject() runtime.Object {
	out := p.Unpack()
	out.Labels = maps.Clone(out.Labels)
	out.Annotations = maps.Clone(out.Annotations)
	// A condition holds only strings and values: a copy of the list is a
	// deep copy.
	out.Status.Conditions = slices.Clone(out.Status.Conditions)
	return out
}

// GetObjectKind has no kind to tell: what the cache returns is the whole
// partner (DeepCopyObject), which has.
func (p *Partner) GetObjectKind() schema.ObjectKind { return schema.EmptyObjectKind }

func (p *objectMeta) GetNamespace() string                  { return p.namespace }
func (p *objectMeta) SetNamespace(namespace string)         { p.namespace = namespace }
func (p *objectMeta) GetName() string                       { return p.name }
func (p *objectMeta) SetName(name string)                   { p.name = name }
func (p *objectMeta) GetGenerateName() string               { return "" }
func (p *objectMeta) SetGenerateName(string)                {}
func (p *objectMeta) GetUID() types.UID                     { return "" }
func (p *objectMeta) SetUID(types.UID)                      {}
func (p *objectMeta) GetResourceVersion() string            { return p.resourceVersion }
func (p *objectMeta) SetResourceVersion(version string)     { p.resourceVersion = version }
func (p *objectMeta) GetGeneration() int64                  { return p.generation }
func (p *objectMeta) SetGeneration(generation int64)        { p.generation = generation }
func (p *objectMeta) GetSelfLink() string                   { return "" }
func (p *objectMeta) SetSelfLink(string)                    {}
func (p *objectMeta) GetCreationTimestamp() metav1.Time     { return p.created.time() }
func (p *objectMeta) GetDeletionTimestamp() *metav1.Time    { return p.deleted.ptr() }
func (p *objectMeta) GetDeletionGracePeriodSeconds() *int64 { return nil }
func (p *objectMeta) SetDeletionGracePeriodSeconds(*int64)  {}
func (p *objectMeta) GetLabels() map[string]string          { return p.labels }
func (p *objectMeta) SetLabels(labels map[string]string)    { p.labels = labels }
func (p *objectMeta) GetAnnotations() map[string]string     { return p.annotations }
func (p *objectMeta) SetAnnotations(a map[string]string)    { p.annotations = a }
func (p *objectMeta) GetFinalizers() []string               { return nil }
func (p *objectMeta) SetFinalizers([]string)                {}
func (p *objectMeta) GetOwnerReferences() []metav1.OwnerReference {
	return nil
}
func (p *objectMeta) SetOwnerReferences([]metav1.OwnerReference)    {}
func (p *objectMeta) GetManagedFields() []metav1.ManagedFieldsEntry { return nil }
func (p *objectMeta) SetManagedFields([]metav1.ManagedFieldsEntry)  {}

// GetConditions returns the status conditions, as the API type's does.
func (p *Partner) GetConditions() []metav1.Condition { return p.conditions }

func (p *objectMeta) SetCreationTimestamp(t metav1.Time) {
	p.created, _ = stampOf(&t)
}

func (p *objectMeta) SetDeletionTimestamp(t *metav1.Time) {
	p.deleted, _ = stampOf(t)
}
