package controllers

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/compact"
)

// patchStatus writes the status of after, and nothing at all when it
// equals the status of before: a reconcile that changes nothing writes
// nothing. With lock, the write carries before's resourceVersion and fails
// with a conflict when before was not the stored object (a stale cache),
// so a change it announces is a change of the stored status.
//
// before is usually the informer cache's copy. When that copy was
// compacted (internal/compact) and the pass rewrote every field compaction
// drops, the new status is compared with the digest of the stored one and
// written whole, replacing the stored status: nothing in the write depends
// on the fields the cache left out, and a field the pass no longer sets is
// removed. Otherwise (a whole copy, or a pass that kept its last results,
// compacted ones included, and only changed conditions) the status is
// compared field by field and written as a merge patch of the difference,
// which leaves the fields both copies lack as the API server has them.
func patchStatus[T client.Object](ctx context.Context, c client.Client, before, after T, statusOf func(T) any, lock bool) error {
	old, updated := statusOf(before), statusOf(after)
	if digest := compact.DigestOf(old); digest != "" && compact.DigestOf(updated) == "" {
		if compact.Digest(updated) == digest {
			return nil
		}
		return replaceStatus(ctx, c, after, updated, lock)
	}
	if equality.Semantic.DeepEqual(old, updated) {
		return nil
	}
	patch := client.MergeFrom(before)
	if lock {
		patch = client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{})
	}
	// An object deleted while it was reconciled has no status to write.
	return client.IgnoreNotFound(c.Status().Patch(ctx, after, patch))
}

// replaceStatus replaces the stored status of obj with status in one JSON
// patch; with lock, the patch also carries obj's resourceVersion, which the
// API server checks as a precondition (a conflict when it moved on).
//
// Why not server-side apply: an apply removes only the fields its manager
// alone owns, and the merge patches of patchStatus's other branch make
// their fields owned by an update manager, so a condition a merge patch
// added (Reconciling after a transient error) would outlive the apply that
// left it out. Replacing the status keeps every status write one kind of
// operation, with the same effect an apply of the whole status has: the
// stored status is exactly the one computed.
func replaceStatus(ctx context.Context, c client.Client, obj client.Object, status any, lock bool) error {
	ops := []jsonPatchOp{{Op: "add", Path: "/status", Value: status}}
	if lock {
		ops = append(ops, jsonPatchOp{Op: "replace", Path: "/metadata/resourceVersion", Value: obj.GetResourceVersion()})
	}
	data, err := json.Marshal(ops)
	if err != nil {
		return err
	}
	return client.IgnoreNotFound(c.Status().Patch(ctx, obj, client.RawPatch(types.JSONPatchType, data)))
}

type jsonPatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

// statusObject is a kind whose status a controller owns.
type statusObject[T any] interface {
	client.Object
	DeepCopy() T
	GetConditions() []metav1.Condition
	SetConditions([]metav1.Condition)
	GetLastHandledRequestedAt() string
	SetLastHandledRequestedAt(string)
}

// statusWriter is what one pass over an object of a kind needs besides the
// pass itself.
type statusWriter[T statusObject[T]] struct {
	client   client.Client
	recorder events.EventRecorder
	statusOf func(T) any
	// transitions lists the Events a pass's status change is worth (nil:
	// none).
	transitions func(before, after T) []transition
	// handlesRequests says the pass sets status.lastHandledRequestedAt
	// itself (a MetricSource echoes a request when the poll it asked for
	// is published); otherwise every pass echoes the request it saw.
	handlesRequests bool
}

// reconcile runs one pass over the object req names: it fetches the
// object, lets pass work on it at now, and writes the status finalizeStatus
// leaves in one patch (none when nothing changed). An error of the pass wins
// over one of the patch; the pass's result counts only without an error.
//
// Events announce the transitions between the status the pass found and
// the one it leaves, after the patch succeeded: a failed patch is retried
// with backoff and the retry, comparing against the stored status, finds
// the transition again and announces it then, once. The patch that
// announces carries an optimistic lock, so a pass that started from a stale
// cached copy conflicts instead of announcing a transition already
// announced; its retry reads the fresh copy.
func (w statusWriter[T]) reconcile(ctx context.Context, req ctrl.Request, now time.Time, obj T,
	pass func(context.Context, T, time.Time) (ctrl.Result, error)) (ctrl.Result, error) {
	if err := w.client.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopy()
	result, err := pass(ctx, obj, now)
	if rv := obj.GetResourceVersion(); rv != before.GetResourceVersion() {
		// The pass recorded history in the object's metadata first
		// (recordAnnotations, optimistically locked on before): the status
		// patch locks against the version that write produced. before
		// keeps the annotations it was read with, for transitions; the
		// status subresource ignores metadata in the patch.
		before.SetResourceVersion(rv)
	}
	after := finalizeStatus(before, obj, err, now)
	if !w.handlesRequests {
		after.SetLastHandledRequestedAt(v1alpha1.RequestedAt(obj.GetAnnotations()))
	}
	var ts []transition
	if w.transitions != nil {
		ts = w.transitions(before, after)
	}
	perr := patchStatus(ctx, w.client, before, after, w.statusOf, len(ts) > 0)
	if perr == nil {
		emit(w.recorder, after, ts)
	} else if err == nil {
		err = perr
	}
	if err != nil {
		return ctrl.Result{}, err
	}
	return result, nil
}

// finalizeStatus returns the object whose status a pass leaves behind.
//
// A pass that completed, waits, or stopped on a terminal error (Stalled)
// leaves what it wrote. A pass that a transient error interrupted leaves
// none of its results: whatever it computed before the error (a level, a
// projection, task counts) is dropped, the status keeps the values and the
// observedGeneration of the last complete pass, and only Ready (False, with
// the error's reason) and Reconciling (True: the error is returned and the
// controller retries with backoff) change.
func finalizeStatus[T statusObject[T]](before, after T, err error, now time.Time) T {
	if err == nil || errors.Is(err, reconcile.TerminalError(nil)) {
		return after
	}
	failed := before.DeepCopy()
	failed.SetLastHandledRequestedAt(after.GetLastHandledRequestedAt())
	conds := failed.GetConditions()
	conditionSetter{conditions: &conds, generation: after.GetGeneration(), now: now}.waiting(reasonOf(err), err.Error())
	failed.SetConditions(conds)
	return failed
}

// reasonError is a transient error with the condition reason a failed pass
// reports for it.
type reasonError struct {
	reason string
	err    error
}

func (e *reasonError) Error() string { return e.err.Error() }
func (e *reasonError) Unwrap() error { return e.err }

// withReason gives err the reason Ready reports when it fails a pass.
func withReason(reason string, err error) error {
	if err == nil {
		return nil
	}
	return &reasonError{reason: reason, err: err}
}

// reasonOf is the Ready reason of a transient error: the one withReason gave
// it, or ReconcileFailed.
func reasonOf(err error) string {
	var re *reasonError
	if errors.As(err, &re) {
		return re.reason
	}
	return v1alpha1.ReasonReconcileFailed
}

// referenceWait is how soon an object waiting for an object it references
// (a MaturityModel, a PartnerProgram, a MetricSource) looks again. The
// watch on the referenced kind normally brings it back first; the requeue
// makes sure a missed or coalesced event cannot leave it waiting.
const referenceWait = 10 * time.Second

// waitForSources marks the object as waiting (kstatus InProgress) while a
// MetricSource it names is missing or has never published values, and
// says whether it did: the caller then keeps its last result and looks
// again after referenceWait, or earlier on a MetricSource event.
func waitForSources(conds conditionSetter, in metricInputs) bool {
	switch {
	case len(in.notFound) > 0:
		conds.waiting(v1alpha1.ReasonMetricSourceNotFound, "MetricSource not found: "+strings.Join(in.notFound, ", "))
		return true
	case len(in.notReady) > 0:
		conds.waiting(v1alpha1.ReasonMetricSourceNotReady, strings.Join(in.notReady, "; "))
		return true
	}
	return false
}

// conditionSetter stamps conditions with one generation and one time, so
// every condition of a pass agrees and a pass that changes nothing keeps
// the previous transition times.
type conditionSetter struct {
	conditions *[]metav1.Condition
	generation int64
	now        time.Time
}

// set writes one condition. Messages are made one line (provider errors can
// span several) and cut to the API limit.
func (s conditionSetter) set(typ string, status bool, reason, message string) {
	st := metav1.ConditionFalse
	if status {
		st = metav1.ConditionTrue
	}
	meta.SetStatusCondition(s.conditions, metav1.Condition{
		Type: typ, Status: st, Reason: reason, Message: truncate(strings.Join(strings.Fields(message), " "), 1024),
		ObservedGeneration: s.generation, LastTransitionTime: metav1.NewTime(s.now.Truncate(time.Second)),
	})
}

// apply writes the domain conditions an evaluation returned as data.
func (s conditionSetter) apply(conditions []metav1.Condition) {
	for _, c := range conditions {
		s.set(c.Type, c.Status == metav1.ConditionTrue, c.Reason, c.Message)
	}
}

// ready records a successful pass: Ready=True, and the abnormal-true
// kstatus conditions Stalled and Reconciling removed.
func (s conditionSetter) ready(message string) {
	s.set(v1alpha1.ConditionReady, true, v1alpha1.ReasonSucceeded, message)
	meta.RemoveStatusCondition(s.conditions, v1alpha1.ConditionStalled)
	meta.RemoveStatusCondition(s.conditions, v1alpha1.ConditionReconciling)
}

// degraded records a pass that completed on inputs it cannot vouch for
// (stale or failing metrics): not Ready, but neither waiting nor stalled.
func (s conditionSetter) degraded(reason, message string) {
	s.set(v1alpha1.ConditionReady, false, reason, message)
	meta.RemoveStatusCondition(s.conditions, v1alpha1.ConditionStalled)
	meta.RemoveStatusCondition(s.conditions, v1alpha1.ConditionReconciling)
}

// stalled records that only a spec change can help (kstatus Failed).
func (s conditionSetter) stalled(reason, message string) {
	s.set(v1alpha1.ConditionReady, false, reason, message)
	s.set(v1alpha1.ConditionStalled, true, reason, message)
	meta.RemoveStatusCondition(s.conditions, v1alpha1.ConditionReconciling)
}

// waiting records that the object waits on another object, on time, or on
// a retry after a transient error (kstatus InProgress).
func (s conditionSetter) waiting(reason, message string) {
	s.set(v1alpha1.ConditionReady, false, reason, message)
	s.set(v1alpha1.ConditionReconciling, true, reason, message)
	meta.RemoveStatusCondition(s.conditions, v1alpha1.ConditionStalled)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}
