package controllers

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/egress"
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
//
// Prometheus and HTTP sources are polled outside the reconcile workers: a
// reconcile submits the poll to the poller and returns; when the poll ends,
// the poller wakes the source and the next reconcile publishes the result.
// A slow or hostile endpoint so holds a poll slot (of its namespace's few)
// for at most its timeout, never a worker.
type MetricSourceReconciler struct {
	Client client.Client
	// Secrets reads Secrets and ConfigMaps named by a source directly from
	// the API server, so the manager neither caches nor watches every
	// Secret of the cluster.
	Secrets   client.Reader
	Recorder  events.EventRecorder
	Clock     clock.PassiveClock
	Providers *metricsource.Providers

	poller *metricsource.Poller
	// polled carries the poller's wake-ups to the controller's queue.
	polled chan event.GenericEvent

	// polls remembers, per source, the last successful poll and the number
	// of failures since. Keeping them out of the status means a poll that
	// returns the same numbers writes nothing.
	mu    sync.Mutex
	polls map[types.NamespacedName]pollState
}

type pollState struct {
	lastSuccess time.Time
	failures    int
	// requested is the requested-at token current when the last poll was
	// submitted: the request its result answers.
	requested string
}

// +kubebuilder:rbac:groups=growth.scaleup.io,resources=metricsources,verbs=get;list;watch
// +kubebuilder:rbac:groups=growth.scaleup.io,resources=metricsources/status,verbs=get;update;patch
// +kubebuilder:rbac:groups="",resources=secrets;configmaps,verbs=get

// Reconcile publishes a finished poll, or starts one.
func (r *MetricSourceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	w := statusWriter[*v1alpha1.MetricSource]{client: r.Client, recorder: r.Recorder, statusOf: sourceStatus,
		transitions: sourceTransitions, handlesRequests: true}
	return w.reconcile(ctx, req, r.Clock.Now(), &v1alpha1.MetricSource{}, r.reconcile)
}

func (r *MetricSourceReconciler) reconcile(ctx context.Context, src *v1alpha1.MetricSource, now time.Time) (ctrl.Result, error) {
	conds := conditionSetter{conditions: &src.Status.Conditions, generation: src.Generation, now: now}
	key := client.ObjectKeyFromObject(src)
	// A request (the requested-at annotation) is handled by a poll that
	// starts after it: status echoes it when that poll is published, or
	// at once when there is nothing to poll.
	requested := v1alpha1.RequestedAt(src.Annotations)
	if src.Spec.Type == v1alpha1.MetricSourceObjects {
		// Status figures of other objects, re-read on their changes.
		src.Status.LastHandledRequestedAt = requested
		return r.reconcileObjects(ctx, src, now)
	}
	provider, err := r.Providers.For(src.Spec.Type)
	if err != nil {
		src.Status.LastHandledRequestedAt = requested
		conds.stalled(v1alpha1.ReasonInvalidSpec, err.Error())
		src.Status.ObservedGeneration = src.Generation
		return ctrl.Result{}, reconcile.TerminalError(err)
	}
	if !metricsource.Polled(src.Spec.Type) {
		// Values written into the spec: nothing to wait for.
		samples, err := provider.Fetch(ctx, src, metricsource.Credentials{})
		src.Status.LastHandledRequestedAt = requested
		return r.publish(src, now, samples, err)
	}
	var published *ctrl.Result
	if res, ok := r.poller.Take(key, src.Generation); ok {
		handled := r.poll(key).requested
		result, err := r.publish(src, now, res.Samples, res.Err)
		src.Status.LastHandledRequestedAt = handled
		if err != nil || handled == requested {
			return result, err
		}
		// A request came while this poll ran: poll again for it.
		published = &result
	}
	if !r.poller.Pending(key, src.Generation) {
		creds, err := r.credentials(ctx, src)
		switch {
		case readFailed(err):
			// Not a missing or unoffered object: the read itself failed.
			// Retry with backoff.
			src.Status.LastHandledRequestedAt = requested
			return ctrl.Result{}, withReason(v1alpha1.ReasonCredentialsUnavailable, err)
		case err != nil:
			// Wait for the Secret, its key or its opt-in label. Secrets are
			// not watched: look again at the next poll.
			src.Status.LastHandledRequestedAt = requested
			conds.waiting(credentialsReason(err), err.Error())
			return ctrl.Result{RequeueAfter: pollInterval(src)}, nil
		}
		polled := src.DeepCopy()
		r.poller.Submit(key, src.Generation, func(ctx context.Context) ([]metricsource.Sample, error) {
			return provider.Fetch(ctx, polled, creds)
		})
		r.setRequested(key, requested)
	}
	if published != nil {
		return *published, nil
	}
	// The poll's end brings the source back. Meanwhile values published
	// for this generation may go stale, and consumers must learn of it.
	if src.Status.ObservedGeneration != src.Generation {
		return ctrl.Result{}, nil
	}
	next := r.setFreshness(src, conds, r.poll(key).lastSuccess, now)
	return ctrl.Result{RequeueAfter: next}, nil
}

// publish writes what a read returned into the status.
func (r *MetricSourceReconciler) publish(src *v1alpha1.MetricSource, now time.Time, samples []metricsource.Sample, err error) (ctrl.Result, error) {
	st := &src.Status
	conds := conditionSetter{conditions: &st.Conditions, generation: src.Generation, now: now}
	key := client.ObjectKeyFromObject(src)
	polled := metricsource.Polled(src.Spec.Type)
	interval := pollInterval(src)
	poll := r.poll(key)
	switch {
	case err != nil && !polled:
		// The reported provider fails only on a bad spec.
		conds.stalled(v1alpha1.ReasonInvalidSpec, err.Error())
		st.ObservedGeneration = src.Generation
		return ctrl.Result{}, reconcile.TerminalError(err)
	case errors.Is(err, egress.ErrNotAllowed):
		// The operator's policy refuses where the spec points: polling
		// again cannot help, a new URL (or policy) can.
		metricsource.SetValues(st, metricsource.Fail(st.Values, err))
		conds.stalled(v1alpha1.ReasonDestinationNotAllowed, destinationField(src)+": "+err.Error())
		st.ObservedGeneration = src.Generation
		r.forget(key)
		return ctrl.Result{}, reconcile.TerminalError(err)
	case err != nil:
		// Keep the last good values, marked with the error; consumers treat
		// them as stale. Back off while the provider stays down.
		poll.failures++
		metricsource.SetValues(st, metricsource.Fail(st.Values, err))
		conds.degraded(v1alpha1.ReasonProviderUnavailable, err.Error())
	default:
		poll.failures = 0
		poll.lastSuccess = now
		metricsource.SetValues(st, metricsource.Merge(st.Values, samples, now))
		if failed := metricsource.Failed(st.Values); len(failed) > 0 {
			conds.degraded(v1alpha1.ReasonMetricsFailed,
				fmt.Sprintf("%d of %d metrics failed: %s", len(failed), len(st.Values), strings.Join(failed, ", ")))
		} else {
			conds.ready(fmt.Sprintf("%d values published", len(st.Values)))
		}
	}
	r.setPoll(key, poll)
	st.ObservedGeneration = src.Generation

	refreshed := time.Time{}
	if polled {
		refreshed = poll.lastSuccess
	}
	next := r.setFreshness(src, conds, refreshed, now)
	if polled {
		if p := jitter(backoff(interval, poll.failures)); next == 0 || p < next {
			next = p
		}
	}
	return ctrl.Result{RequeueAfter: next}, nil
}

// setFreshness sets the Stale condition and returns when the next fresh
// value goes stale (zero: none will), so consumers learn of it then.
func (r *MetricSourceReconciler) setFreshness(src *v1alpha1.MetricSource, conds conditionSetter, refreshed, now time.Time) time.Duration {
	fresh := metricsource.CheckFreshness(src.Status.Values, src.Spec.MaxAge, refreshed, now)
	if len(fresh.Stale) > 0 {
		conds.set(v1alpha1.ConditionStale, true, v1alpha1.ReasonMetricsStale,
			fmt.Sprintf("older than maxAge %s: %s", src.Spec.MaxAge.Duration, strings.Join(fresh.Stale, ", ")))
	} else {
		conds.set(v1alpha1.ConditionStale, false, v1alpha1.ReasonFresh, "all values are within maxAge")
	}
	if fresh.NextExpiry > 0 {
		return fresh.NextExpiry + time.Second
	}
	return 0
}

// readFailed says whether resolving credentials failed on the read itself
// (an answer of the API server other than NotFound, or no answer at all)
// rather than on a Secret, ConfigMap, key or label that is not there.
func readFailed(err error) bool {
	if err == nil || apierrors.IsNotFound(err) {
		return false
	}
	var status apierrors.APIStatus
	var netErr net.Error
	return errors.As(err, &status) || errors.As(err, &netErr) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
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

// setRequested records the request token a submitted poll answers.
func (r *MetricSourceReconciler) setRequested(key types.NamespacedName, requested string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.polls == nil {
		r.polls = map[types.NamespacedName]pollState{}
	}
	p := r.polls[key]
	p.requested = requested
	r.polls[key] = p
}

// forgetDeleted drops a deleted source's poll state and its poll; the
// delete event is the last the controller hears of it.
func (r *MetricSourceReconciler) forgetDeleted() predicate.Funcs {
	return predicate.Funcs{DeleteFunc: func(e event.DeleteEvent) bool {
		key := client.ObjectKeyFromObject(e.Object)
		r.forget(key)
		r.poller.Forget(key)
		return true
	}}
}

func (r *MetricSourceReconciler) forget(key types.NamespacedName) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.polls, key)
}

// wake queues a source whose poll ended; ctx ends when the poller stops.
func (r *MetricSourceReconciler) wake(ctx context.Context, key types.NamespacedName) {
	src := &v1alpha1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: key.Namespace, Name: key.Name}}
	select {
	case r.polled <- event.GenericEvent{Object: src}:
	case <-ctx.Done():
	}
}

func sourceStatus(s *v1alpha1.MetricSource) any { return s.Status }

// SetupWithManager registers the controller and its poller. Spec changes,
// the controller's own timers, the ends of polls and status changes of the
// SupportPlans and PartnerPrograms that Objects sources name trigger a
// reconcile; its status writes do not.
func (r *MetricSourceReconciler) SetupWithManager(mgr ctrl.Manager, opts controller.Options) error {
	r.polled = make(chan event.GenericEvent)
	r.poller = metricsource.NewPoller(metricsource.MaxPolls, metricsource.MaxPollsPerNamespace, r.wake)
	// The manager stops the poller, canceling the polls in flight.
	if err := mgr.Add(r.poller); err != nil {
		return err
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.MetricSource{}, builder.WithPredicates(specOrRequest(), r.forgetDeleted())).
		WatchesRawSource(source.Channel(r.polled, &handler.EnqueueRequestForObject{})).
		Watches(&v1alpha1.SupportPlan{}, handler.EnqueueRequestsFromMapFunc(r.sourcesOfPlan),
			builder.WithPredicates(statusChanged(planStatus))).
		Watches(&v1alpha1.PartnerProgram{}, handler.EnqueueRequestsFromMapFunc(r.sourcesOfProgram),
			builder.WithPredicates(statusChanged(programStatus))).
		Named("metricsource").
		WithOptions(opts).
		Complete(r)
}

// destinationField is the spec field that says where a source is polled,
// so a refused destination names the field to change.
func destinationField(src *v1alpha1.MetricSource) string {
	if src.Spec.Type == v1alpha1.MetricSourcePrometheus {
		return "spec.prometheus.address"
	}
	return "spec.http.url"
}
