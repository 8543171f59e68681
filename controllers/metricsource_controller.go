package controllers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
)

// MetricSourceReconciler publishes a source's values, with timestamps and
// freshness, in its status. Consumers read that status, never the provider.
type MetricSourceReconciler struct {
	Client client.Client
	Clock  clock.PassiveClock
}

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=metricsources,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=metricsources/status,verbs=get;update;patch

// Reconcile reads the provider and writes the changed values.
func (r *MetricSourceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	src := &v1alpha1.MetricSource{}
	if err := r.Client.Get(ctx, req.NamespacedName, src); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := src.DeepCopy()
	now := r.Clock.Now()
	st := &src.Status
	conds := conditionSetter{conditions: &st.Conditions, generation: src.Generation, now: now}

	samples, err := fetch(ctx, src)
	if err != nil {
		// The reported provider fails only on a bad spec.
		conds.stalled(v1alpha1.ReasonInvalidSpec, err.Error())
		st.ObservedGeneration = src.Generation
		if perr := patchStatus(ctx, r.Client, before, src, sourceStatus); perr != nil {
			return ctrl.Result{}, perr
		}
		return ctrl.Result{}, reconcile.TerminalError(err)
	}

	st.Values = metricsource.Merge(st.Values, samples, now)
	fresh := metricsource.CheckFreshness(st.Values, src.Spec.MaxAge, now)
	if len(fresh.Stale) > 0 {
		conds.set(v1alpha1.ConditionStale, true, v1alpha1.ReasonMetricsStale,
			fmt.Sprintf("older than maxAge %s: %s", src.Spec.MaxAge.Duration, strings.Join(fresh.Stale, ", ")))
	} else {
		conds.set(v1alpha1.ConditionStale, false, v1alpha1.ReasonFresh, "all values are within maxAge")
	}
	conds.ready(v1alpha1.ReasonSucceeded, fmt.Sprintf("%d values published", len(st.Values)))
	st.ObservedGeneration = src.Generation
	if err := patchStatus(ctx, r.Client, before, src, sourceStatus); err != nil {
		return ctrl.Result{}, err
	}
	if fresh.NextExpiry > 0 {
		// Come back when the next value goes stale, so consumers learn of it.
		return ctrl.Result{RequeueAfter: fresh.NextExpiry + time.Second}, nil
	}
	return ctrl.Result{}, nil
}

func fetch(ctx context.Context, src *v1alpha1.MetricSource) ([]metricsource.Sample, error) {
	p, err := metricsource.For(src.Spec.Type)
	if err != nil {
		return nil, err
	}
	return p.Fetch(ctx, src)
}

func sourceStatus(s *v1alpha1.MetricSource) any { return s.Status }

// SetupWithManager registers the controller.
func (r *MetricSourceReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.MetricSource{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Named("metricsource").
		Complete(r)
}
