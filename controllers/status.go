package controllers

import (
	"context"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// patchStatus writes the status of after in one merge patch, and nothing at
// all when it equals the status of before: a reconcile that changes nothing
// writes nothing.
func patchStatus[T client.Object](ctx context.Context, c client.Client, before, after T, statusOf func(T) any) error {
	if equality.Semantic.DeepEqual(statusOf(before), statusOf(after)) {
		return nil
	}
	// An object deleted while it was reconciled has no status to write.
	return client.IgnoreNotFound(c.Status().Patch(ctx, after, client.MergeFrom(before)))
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

// waiting records that the object waits on another object or on time
// (kstatus InProgress).
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
