package v1alpha1

import (
	"context"
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// shardRef is a reference from a validated object to an object that must
// be in its shard (carry the same v1alpha1.ShardLabel value).
type shardRef struct {
	field *field.Path
	obj   client.Object // an empty object of the referenced kind
	name  string
}

// sameShard is the validator of a kind that references others, wrapping
// its own: a create or an update whose references resolve to an object of
// another shard is rejected, naming the field. A replica caches only its
// shard, so a target whose MetricSource is in another shard would wait for
// it forever, and a program would never count a partner of another shard.
// A reference that does not resolve yet is left to the wrapped validator's
// warning: the object it names is checked when it is created, against the
// objects that name it only as far as they are checked on their next
// write. A failed read admits: the check is a guard against a mistake, not
// a security boundary. The check and the wrapped validator read within one
// admission (withReadOnce), so each reference is read once.
type sameShard[T client.Object] struct {
	admission.Validator[T]
	kind   string
	reader client.Reader
	refs   func(T) []shardRef
}

// ValidateCreate implements admission.Validator.
func (s sameShard[T]) ValidateCreate(ctx context.Context, obj T) (admission.Warnings, error) {
	ctx = withReadOnce(ctx)
	if err := s.check(ctx, obj); err != nil {
		return nil, err
	}
	return s.Validator.ValidateCreate(ctx, obj)
}

// ValidateUpdate implements admission.Validator. An update that keeps the
// shard and the references is not checked again.
func (s sameShard[T]) ValidateUpdate(ctx context.Context, old, obj T) (admission.Warnings, error) {
	ctx = withReadOnce(ctx)
	if shardOf(old) != shardOf(obj) || !slices.EqualFunc(s.refs(old), s.refs(obj), sameRef) {
		if err := s.check(ctx, obj); err != nil {
			return nil, err
		}
	}
	return s.Validator.ValidateUpdate(ctx, old, obj)
}

func sameRef(a, b shardRef) bool { return a.field.String() == b.field.String() && a.name == b.name }

func (s sameShard[T]) check(ctx context.Context, obj T) error {
	if deleting(obj) {
		return nil
	}
	shard := shardOf(obj)
	var errs field.ErrorList
	for _, r := range s.refs(obj) {
		err := s.reader.Get(ctx, types.NamespacedName{Namespace: obj.GetNamespace(), Name: r.name}, r.obj)
		switch {
		case apierrors.IsNotFound(err):
			continue
		case err != nil:
			lookupFailed(ctx, err)
			continue
		}
		if other := shardOf(r.obj); other != shard {
			errs = append(errs, field.Invalid(r.field, r.name, fmt.Sprintf(
				"%s %q is in shard %s and this %s in shard %s (label %s): objects that refer to each other must be in the same shard",
				kindOf(r.obj), r.name, shardName(other), s.kind, shardName(shard), v1alpha1.ShardLabel)))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return apierrors.NewInvalid(schema.GroupKind{Group: v1alpha1.GroupVersion.Group, Kind: s.kind}, obj.GetName(), errs)
}

func shardOf(obj client.Object) string { return obj.GetLabels()[v1alpha1.ShardLabel] }

func shardName(shard string) string {
	if shard == "" {
		return "none (no label)"
	}
	return fmt.Sprintf("%q", shard)
}

func kindOf(obj client.Object) string {
	switch obj.(type) {
	case *v1alpha1.MetricSource:
		return "MetricSource"
	case *v1alpha1.MaturityTarget:
		return "MaturityTarget"
	case *v1alpha1.PartnerProgram:
		return "PartnerProgram"
	case *v1alpha1.SupportPlan:
		return "SupportPlan"
	}
	return fmt.Sprintf("%T", obj)
}

// sourceRefs are the references to MetricSources at path.
func sourceRefs(path *field.Path, refs []v1alpha1.LocalObjectReference) []shardRef {
	out := make([]shardRef, 0, len(refs))
	for i, r := range refs {
		out = append(out, shardRef{field: path.Index(i).Child("name"), obj: &v1alpha1.MetricSource{}, name: r.Name})
	}
	return out
}

func targetShardRefs(t *v1alpha1.MaturityTarget) []shardRef {
	return sourceRefs(field.NewPath("spec", "metricSources"), t.Spec.MetricSources)
}

func planShardRefs(p *v1alpha1.SupportPlan) []shardRef {
	return sourceRefs(field.NewPath("spec", "metricSources"), p.Spec.MetricSources)
}

func programShardRefs(p *v1alpha1.PartnerProgram) []shardRef {
	refs := sourceRefs(field.NewPath("spec", "metricSources"), p.Spec.MetricSources)
	if g := p.Spec.Readiness; g != nil {
		refs = append(refs, shardRef{field: field.NewPath("spec", "readiness", "maturityTargetRef", "name"),
			obj: &v1alpha1.MaturityTarget{}, name: g.MaturityTargetRef.Name})
	}
	return refs
}

func partnerShardRefs(p *v1alpha1.Partner) []shardRef {
	return []shardRef{{field: field.NewPath("spec", "programRef", "name"), obj: &v1alpha1.PartnerProgram{}, name: p.Spec.ProgramRef.Name}}
}

func sourceShardRefs(s *v1alpha1.MetricSource) []shardRef {
	o := s.Spec.Objects
	if o == nil {
		return nil
	}
	var refs []shardRef
	path := field.NewPath("spec", "objects")
	if o.SupportPlanRef != nil {
		refs = append(refs, shardRef{field: path.Child("supportPlanRef", "name"), obj: &v1alpha1.SupportPlan{}, name: o.SupportPlanRef.Name})
	}
	if o.PartnerProgramRef != nil {
		refs = append(refs, shardRef{field: path.Child("partnerProgramRef", "name"), obj: &v1alpha1.PartnerProgram{}, name: o.PartnerProgramRef.Name})
	}
	return refs
}

// maxCampaignShardCheck bounds the targets a Campaign's shard check reads:
// the check guards against a mistake, and one target of another shard is
// enough to show it.
const maxCampaignShardCheck = 500

// campaignShard is the Campaign validator of a sharded manager, wrapping its
// own: a campaign whose selector picks a target of its model in another
// shard is refused, naming spec.targetSelector. The target's replica caches
// only its own shard's Campaigns and would never apply it, while the
// campaign's replica would count the target as failing forever. A target
// relabelled into another shard later is not caught here.
type campaignShard struct {
	admission.Validator[*v1alpha1.Campaign]
	reader client.Reader
}

// ValidateCreate implements admission.Validator.
func (s campaignShard) ValidateCreate(ctx context.Context, c *v1alpha1.Campaign) (admission.Warnings, error) {
	if err := s.check(ctx, c); err != nil {
		return nil, err
	}
	return s.Validator.ValidateCreate(ctx, c)
}

// ValidateUpdate implements admission.Validator. An update that keeps the
// shard, the model and the selector is not checked again.
func (s campaignShard) ValidateUpdate(ctx context.Context, old, c *v1alpha1.Campaign) (admission.Warnings, error) {
	if shardOf(old) != shardOf(c) || old.Spec.ModelRef != c.Spec.ModelRef ||
		!equality.Semantic.DeepEqual(old.Spec.TargetSelector, c.Spec.TargetSelector) {
		if err := s.check(ctx, c); err != nil {
			return nil, err
		}
	}
	return s.Validator.ValidateUpdate(ctx, old, c)
}

func (s campaignShard) check(ctx context.Context, c *v1alpha1.Campaign) error {
	sel, err := metav1.LabelSelectorAsSelector(&c.Spec.TargetSelector)
	if err != nil || deleting(c) {
		return nil // the wrapped validator names a selector that does not parse
	}
	targets := &v1alpha1.MaturityTargetList{}
	if err := s.reader.List(ctx, targets, client.InNamespace(c.Namespace),
		client.MatchingLabelsSelector{Selector: sel}, client.Limit(maxCampaignShardCheck)); err != nil {
		lookupFailed(ctx, err)
		return nil
	}
	shard := shardOf(c)
	for i := range targets.Items {
		t := &targets.Items[i]
		if t.Spec.ModelRef.Name != c.Spec.ModelRef.Name || shardOf(t) == shard {
			continue
		}
		return apierrors.NewInvalid(schema.GroupKind{Group: v1alpha1.GroupVersion.Group, Kind: "Campaign"}, c.Name, field.ErrorList{
			field.Invalid(field.NewPath("spec", "targetSelector"), sel.String(), fmt.Sprintf(
				"selects MaturityTarget %q in shard %s, and this Campaign is in shard %s (label %s): a campaign must be in the shard of the targets it selects",
				t.Name, shardName(shardOf(t)), shardName(shard), v1alpha1.ShardLabel)),
		})
	}
	return nil
}
