package controllers

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
)

const (
	defaultPollInterval = time.Minute
	// maxBackoff caps the wait between polls of a failing provider.
	maxBackoff = 10 * time.Minute
)

// MetricSourceReconciler reads each source's provider, once per source and
// interval, and publishes the values with their timestamps, errors and
// freshness in its status. Consumers read that status, never the provider.
type MetricSourceReconciler struct {
	Client client.Client
	// Secrets reads Secrets and ConfigMaps named by a source directly from
	// the API server, so the manager neither caches nor watches every
	// Secret of the cluster.
	Secrets   client.Reader
	Clock     clock.PassiveClock
	Providers *metricsource.Providers

	// polls remembers, per source, the last successful poll and the number
	// of failures since. Keeping them out of the status means a poll that
	// returns the same numbers writes nothing.
	mu    sync.Mutex
	polls map[types.NamespacedName]pollState
}

type pollState struct {
	lastSuccess time.Time
	failures    int
}

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=metricsources,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=metricsources/status,verbs=get;update;patch
// +kubebuilder:rbac:groups="",resources=secrets;configmaps,verbs=get

// Reconcile reads the provider and writes the values that changed.
func (r *MetricSourceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return reconcileStatus(ctx, r.Client, req, &v1alpha1.MetricSource{}, sourceStatus,
		func(ctx context.Context, src *v1alpha1.MetricSource) (ctrl.Result, error) {
			return r.reconcile(ctx, src, r.Clock.Now())
		})
}

func (r *MetricSourceReconciler) reconcile(ctx context.Context, src *v1alpha1.MetricSource, now time.Time) (ctrl.Result, error) {
	st := &src.Status
	conds := conditionSetter{conditions: &st.Conditions, generation: src.Generation, now: now}
	key := client.ObjectKeyFromObject(src)
	polled := metricsource.Polled(src.Spec.Type)
	interval := pollInterval(src)

	provider, err := r.Providers.For(src.Spec.Type)
	if err != nil {
		conds.stalled(v1alpha1.ReasonInvalidSpec, err.Error())
		st.ObservedGeneration = src.Generation
		return ctrl.Result{}, reconcile.TerminalError(err)
	}
	creds, err := r.credentials(ctx, src)
	if err != nil {
		// Secrets are not watched: look again at the next poll.
		conds.waiting(credentialsReason(err), err.Error())
		return ctrl.Result{RequeueAfter: interval}, nil
	}

	samples, err := provider.Fetch(ctx, src, creds)
	poll := r.poll(key)
	switch {
	case err != nil && !polled:
		// The reported provider fails only on a bad spec.
		conds.stalled(v1alpha1.ReasonInvalidSpec, err.Error())
		st.ObservedGeneration = src.Generation
		return ctrl.Result{}, reconcile.TerminalError(err)
	case err != nil:
		// Keep the last good values, marked with the error; consumers treat
		// them as stale. Back off while the provider stays down.
		poll.failures++
		st.Values = metricsource.Fail(st.Values, err)
		conds.degraded(v1alpha1.ReasonProviderUnavailable, err.Error())
	default:
		poll.failures = 0
		poll.lastSuccess = now
		st.Values = metricsource.Merge(st.Values, samples, now)
		if failed := metricsource.Failed(st.Values); len(failed) > 0 {
			conds.degraded(v1alpha1.ReasonMetricsFailed,
				fmt.Sprintf("%d of %d metrics failed: %s", len(failed), len(st.Values), strings.Join(failed, ", ")))
		} else {
			conds.ready(fmt.Sprintf("%d values published", len(st.Values)))
		}
	}
	r.setPoll(key, poll)

	refreshed := time.Time{}
	if polled {
		refreshed = poll.lastSuccess
	}
	fresh := metricsource.CheckFreshness(st.Values, src.Spec.MaxAge, refreshed, now)
	if len(fresh.Stale) > 0 {
		conds.set(v1alpha1.ConditionStale, true, v1alpha1.ReasonMetricsStale,
			fmt.Sprintf("older than maxAge %s: %s", src.Spec.MaxAge.Duration, strings.Join(fresh.Stale, ", ")))
	} else {
		conds.set(v1alpha1.ConditionStale, false, v1alpha1.ReasonFresh, "all values are within maxAge")
	}
	st.ObservedGeneration = src.Generation

	var next time.Duration
	if polled {
		next = jitter(backoff(interval, poll.failures))
	}
	if fresh.NextExpiry > 0 && (next == 0 || fresh.NextExpiry < next) {
		// Come back when the next value goes stale, so consumers learn of it.
		next = fresh.NextExpiry + time.Second
	}
	return ctrl.Result{RequeueAfter: next}, nil
}

func pollInterval(src *v1alpha1.MetricSource) time.Duration {
	if src.Spec.Interval != nil && src.Spec.Interval.Duration > 0 {
		return src.Spec.Interval.Duration
	}
	return defaultPollInterval
}

// backoff doubles the interval with every consecutive failure, capped.
func backoff(interval time.Duration, failures int) time.Duration {
	d := interval
	for i := 0; i < failures && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, max(maxBackoff, interval))
}

// jitter spreads polls by up to +10% so sources created together do not
// poll their providers in lockstep.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration(rand.Int64N(int64(d)/10+1))
}

func (r *MetricSourceReconciler) poll(key types.NamespacedName) pollState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.polls[key]
}

func (r *MetricSourceReconciler) setPoll(key types.NamespacedName, p pollState) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.polls == nil {
		r.polls = map[types.NamespacedName]pollState{}
	}
	r.polls[key] = p
}

// forgetDeleted drops a deleted source's poll state; the delete event is
// the last the controller hears of it.
func (r *MetricSourceReconciler) forgetDeleted() predicate.Funcs {
	return predicate.Funcs{DeleteFunc: func(e event.DeleteEvent) bool {
		r.forget(client.ObjectKeyFromObject(e.Object))
		return true
	}}
}

func (r *MetricSourceReconciler) forget(key types.NamespacedName) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.polls, key)
}

func sourceStatus(s *v1alpha1.MetricSource) any { return s.Status }

// SetupWithManager registers the controller. Only spec changes and the
// controller's own timers trigger a poll; its status writes do not.
func (r *MetricSourceReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.MetricSource{}, builder.WithPredicates(predicate.GenerationChangedPredicate{}, r.forgetDeleted())).
		Named("metricsource").
		Complete(r)
}
