package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
)

// The naive baseline is the reconciler the kubebuilder tutorial leads to,
// computing the same status from the same objects: Get, compute, Update
// status on every reconcile. Unlike the operator it compiles the model's
// rules on every reconcile, maps a MetricSource event to its targets by
// listing every target of the namespace instead of using a field index,
// keeps managedFields in its cache, updates the status even when nothing
// changed, and runs one worker per controller. Only the measurements use it.

// naiveNames are the controller names of one naive manager. Each manager
// gets its own, so that the workqueue metrics of a stopped one (which keep
// its last depth) do not add to those of the next.
type naiveNames struct{ source, target string }

var naiveRuns atomic.Int32

func nextNaiveNames() naiveNames {
	k := naiveRuns.Add(1)
	return naiveNames{source: fmt.Sprintf("naive-metricsource-%d", k), target: fmt.Sprintf("naive-maturitytarget-%d", k)}
}

// naiveSource publishes a reported source's values in its status.
type naiveSource struct{ client client.Client }

func (r *naiveSource) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	src := &v1alpha1.MetricSource{}
	if err := r.client.Get(ctx, req.NamespacedName, src); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	samples, err := metricsource.Reported{}.Fetch(ctx, src, metricsource.Credentials{})
	if err != nil {
		return ctrl.Result{}, err
	}
	now := time.Now()
	src.Status.Values = metricsource.Merge(src.Status.Values, samples, now)
	src.Status.ObservedGeneration = src.Generation
	meta.SetStatusCondition(&src.Status.Conditions, metav1.Condition{
		Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonSucceeded,
		Message: "values published", ObservedGeneration: src.Generation,
	})
	return ctrl.Result{}, r.client.Status().Update(ctx, src)
}

// naiveTarget evaluates a target against its model and source.
type naiveTarget struct{ client client.Client }

func (r *naiveTarget) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	target := &v1alpha1.MaturityTarget{}
	if err := r.client.Get(ctx, req.NamespacedName, target); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	model := &v1alpha1.MaturityModel{}
	if err := r.client.Get(ctx, types.NamespacedName{Name: target.Spec.ModelRef.Name}, model); err != nil {
		return ctrl.Result{}, err
	}
	compiled, errs := maturity.Compile(&model.Spec)
	if len(errs) > 0 {
		return ctrl.Result{}, errs[0]
	}
	metrics := maturity.Metrics{}
	for _, ref := range target.Spec.MetricSources {
		src := &v1alpha1.MetricSource{}
		if err := r.client.Get(ctx, types.NamespacedName{Namespace: target.Namespace, Name: ref.Name}, src); err != nil {
			return ctrl.Result{}, err
		}
		if src.Status.ObservedGeneration != src.Generation {
			return ctrl.Result{RequeueAfter: time.Second}, nil
		}
		for _, v := range src.Status.Values {
			if v.Value != nil {
				metrics[v.Name] = maturity.Metric{Value: *v.Value, Source: ref.Name}
			}
		}
	}
	level, _ := compiled.LevelIndex(target.Spec.TargetLevel)
	maturity.ApplyStatus(&target.Status, compiled, compiled.Evaluate(metrics, level))
	target.Status.ObservedGeneration = target.Generation
	meta.SetStatusCondition(&target.Status.Conditions, metav1.Condition{
		Type: v1alpha1.ConditionReady, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonSucceeded,
		Message: "evaluated", ObservedGeneration: target.Generation,
	})
	return ctrl.Result{}, r.client.Status().Update(ctx, target)
}

// targetsOfSource lists every target of the namespace and keeps those that
// name the source.
func (r *naiveTarget) targetsOfSource(ctx context.Context, o client.Object) []reconcile.Request {
	list := &v1alpha1.MaturityTargetList{}
	if err := r.client.List(ctx, list, client.InNamespace(o.GetNamespace())); err != nil {
		return nil
	}
	var reqs []reconcile.Request
	for _, t := range list.Items {
		for _, ref := range t.Spec.MetricSources {
			if ref.Name == o.GetName() {
				reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&t)})
			}
		}
	}
	return reqs
}

// setupNaive registers the two naive controllers with mgr.
func setupNaive(mgr ctrl.Manager, names naiveNames) error {
	if err := ctrl.NewControllerManagedBy(mgr).For(&v1alpha1.MetricSource{}).
		Named(names.source).
		Complete(&naiveSource{client: mgr.GetClient()}); err != nil {
		return err
	}
	target := &naiveTarget{client: mgr.GetClient()}
	return ctrl.NewControllerManagedBy(mgr).For(&v1alpha1.MaturityTarget{}).
		Watches(&v1alpha1.MetricSource{}, handler.EnqueueRequestsFromMapFunc(target.targetsOfSource)).
		Named(names.target).
		Complete(target)
}
