package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
)

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=supportplans;partnerprograms,verbs=get;list;watch

// objectsWait is why an Objects source waits: an object it names is not
// there yet, or has not been evaluated yet.
type objectsWait struct {
	reason, message string
}

// reconcileObjects publishes the status figures of the SupportPlan and
// PartnerProgram an Objects source names. Error policy (Flux's): an object
// that does not exist yet, or has no status yet, is waited for
// (Reconciling; the watches on both kinds bring the source back, the
// requeue covers a missed event) and the values already published stay; a
// failed read is returned for backoff. Nothing is polled: the source is
// re-read when a named object changes, and writes nothing when no figure
// changed.
func (r *MetricSourceReconciler) reconcileObjects(ctx context.Context, src *v1alpha1.MetricSource, now time.Time) (ctrl.Result, error) {
	conds := conditionSetter{conditions: &src.Status.Conditions, generation: src.Generation, now: now}
	spec := src.Spec.Objects
	if spec == nil || (spec.SupportPlanRef == nil && spec.PartnerProgramRef == nil) {
		// The CRD refuses this; an object stored before the rule was not.
		err := fmt.Errorf("spec.objects needs supportPlanRef, partnerProgramRef or both when spec.type is Objects")
		conds.stalled(v1alpha1.ReasonInvalidSpec, err.Error())
		src.Status.ObservedGeneration = src.Generation
		return ctrl.Result{}, reconcile.TerminalError(err)
	}
	samples, wait, err := r.objectSamples(ctx, src.Namespace, spec)
	switch {
	case err != nil:
		return ctrl.Result{}, err
	case wait != nil:
		conds.waiting(wait.reason, wait.message)
		return ctrl.Result{RequeueAfter: referenceWait}, nil
	}
	return r.publish(src, now, samples, nil)
}

// objectSamples reads the named objects and maps their status to samples,
// or says what the source waits for.
func (r *MetricSourceReconciler) objectSamples(ctx context.Context, namespace string, spec *v1alpha1.ObjectsSource) ([]metricsource.Sample, *objectsWait, error) {
	var samples []metricsource.Sample
	if ref := spec.SupportPlanRef; ref != nil {
		plan := &v1alpha1.SupportPlan{}
		wait, err := r.getObject(ctx, namespace, ref.Name, "SupportPlan", "spec.objects.supportPlanRef.name", plan)
		if wait != nil || err != nil {
			return nil, wait, err
		}
		if !metricsource.SupportPlanEvaluated(plan) {
			return nil, notEvaluated("SupportPlan", ref.Name), nil
		}
		samples = append(samples, metricsource.SupportSamples(plan)...)
	}
	if ref := spec.PartnerProgramRef; ref != nil {
		prog := &v1alpha1.PartnerProgram{}
		wait, err := r.getObject(ctx, namespace, ref.Name, "PartnerProgram", "spec.objects.partnerProgramRef.name", prog)
		if wait != nil || err != nil {
			return nil, wait, err
		}
		if !metricsource.PartnerProgramEvaluated(prog) {
			return nil, notEvaluated("PartnerProgram", ref.Name), nil
		}
		samples = append(samples, metricsource.PartnerSamples(prog)...)
	}
	return samples, nil, nil
}

// getObject reads one named object of the source's namespace.
func (r *MetricSourceReconciler) getObject(ctx context.Context, namespace, name, kind, field string, obj client.Object) (*objectsWait, error) {
	err := r.Client.Get(ctx, types.NamespacedName{Namespace: namespace, Name: name}, obj)
	switch {
	case apierrors.IsNotFound(err):
		return &objectsWait{reason: v1alpha1.ReasonObjectNotFound,
			message: fmt.Sprintf("waiting for %s %q (%s)", kind, name, field)}, nil
	case err != nil:
		return nil, err
	}
	return nil, nil
}

func notEvaluated(kind, name string) *objectsWait {
	return &objectsWait{reason: v1alpha1.ReasonObjectNotReady,
		message: fmt.Sprintf("waiting for %s %q to be evaluated (it has no status yet)", kind, name)}
}

// sourcesOfPlan are the Objects sources that name the SupportPlan.
func (r *MetricSourceReconciler) sourcesOfPlan(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1alpha1.MetricSourceList{}, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{IndexSourceSupportPlan: o.GetName()})
}

// sourcesOfProgram are the Objects sources that name the PartnerProgram.
func (r *MetricSourceReconciler) sourcesOfProgram(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1alpha1.MetricSourceList{}, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{IndexSourcePartnerProgram: o.GetName()})
}

// statusChanged passes creations, deletions and updates that change the
// status: an Objects source publishes status figures only, so a spec edit
// matters once the object's controller has evaluated it.
func statusChanged[T client.Object](statusOf func(T) any) predicate.Funcs {
	return predicate.Funcs{UpdateFunc: func(e event.UpdateEvent) bool {
		a, okA := e.ObjectOld.(T)
		b, okB := e.ObjectNew.(T)
		return !okA || !okB || !equality.Semantic.DeepEqual(statusOf(a), statusOf(b))
	}}
}

// objectsRefs are the names an Objects source's field indexes hold.
func objectsRefs(o client.Object, ref func(*v1alpha1.ObjectsSource) *v1alpha1.LocalObjectReference) []string {
	spec := o.(*v1alpha1.MetricSource).Spec.Objects
	if spec == nil {
		return nil
	}
	if r := ref(spec); r != nil {
		return []string{r.Name}
	}
	return nil
}
