package controllers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// TestConditionSetter walks the kstatus states a pass can leave an object
// in and checks the invariants: exactly one Ready, Stalled and Reconciling
// present only when True, messages on one line, and transition times kept
// while a condition's status does not change.
func TestConditionSetter(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var conds []metav1.Condition
	steps := []struct {
		name                 string
		apply                func(conditionSetter)
		ready                metav1.ConditionStatus
		stalled, reconciling bool
	}{
		{"waiting", func(s conditionSetter) { s.waiting("MetricSourceNotFound", "x") }, metav1.ConditionFalse, false, true},
		{"stalled", func(s conditionSetter) { s.stalled("UnknownLevel", "y") }, metav1.ConditionFalse, true, false},
		{"degraded", func(s conditionSetter) { s.degraded("MetricsStale", "z") }, metav1.ConditionFalse, false, false},
		{"ready", func(s conditionSetter) { s.ready("ok") }, metav1.ConditionTrue, false, false},
		{"ready again later", func(s conditionSetter) { s.ready("ok") }, metav1.ConditionTrue, false, false},
	}
	for i, step := range steps {
		step.apply(conditionSetter{conditions: &conds, generation: 3, now: t0.Add(time.Duration(i) * time.Minute)})
		ready := 0
		for _, c := range conds {
			if c.Type == v1alpha1.ConditionReady {
				ready++
			}
		}
		if ready != 1 {
			t.Fatalf("%s: %d Ready conditions", step.name, ready)
		}
		if got := meta.FindStatusCondition(conds, v1alpha1.ConditionReady); got.Status != step.ready || got.ObservedGeneration != 3 {
			t.Errorf("%s: Ready = %+v", step.name, got)
		}
		if got := meta.IsStatusConditionTrue(conds, v1alpha1.ConditionStalled); got != step.stalled {
			t.Errorf("%s: Stalled = %v, want %v", step.name, got, step.stalled)
		}
		if got := meta.FindStatusCondition(conds, v1alpha1.ConditionReconciling) != nil; got != step.reconciling {
			t.Errorf("%s: Reconciling present = %v, want %v", step.name, got, step.reconciling)
		}
	}
	if got := meta.FindStatusCondition(conds, v1alpha1.ConditionReady).LastTransitionTime.Time; !got.Equal(t0.Add(3 * time.Minute)) {
		t.Errorf("Ready transition time moved without a transition: %v", got)
	}

	conditionSetter{conditions: &conds, now: t0}.set("Probe", false, "Failed", "line one\nline two\t end")
	if got := meta.FindStatusCondition(conds, "Probe").Message; got != "line one line two end" {
		t.Errorf("message not made one line: %q", got)
	}
}

func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		interval time.Duration
		failures int
		want     time.Duration
	}{
		{time.Minute, 0, time.Minute},
		{time.Minute, 1, 2 * time.Minute},
		{time.Minute, 3, 8 * time.Minute},
		{time.Minute, 4, maxBackoff},
		{time.Minute, 100, maxBackoff},
		{time.Hour, 2, time.Hour}, // an interval above the cap is kept, never shortened
	} {
		if got := backoff(tt.interval, tt.failures); got != tt.want {
			t.Errorf("backoff(%v, %d) = %v, want %v", tt.interval, tt.failures, got, tt.want)
		}
		if j := jitter(tt.want); j < tt.want || j > tt.want+tt.want/10+1 {
			t.Errorf("jitter(%v) = %v, outside +10%%", tt.want, j)
		}
	}
}

// TestFinalizeStatus checks Flux's rule for what a pass leaves in the
// status: everything it wrote when it completed, waits or stopped on a
// terminal error; only Ready and Reconciling when a transient error
// interrupted it, with the last complete pass's results and
// observedGeneration kept.
func TestFinalizeStatus(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	before := &v1alpha1.MaturityTarget{}
	before.Generation = 2 // the spec changed since the last complete pass
	before.Status = v1alpha1.MaturityTargetStatus{
		ObservedGeneration: 1, CurrentLevel: "GrowingPains", Score: &v1alpha1.Score{Passed: 4, Total: 4},
		Tasks: &v1alpha1.TaskCounts{Resolved: 1},
	}
	conditionSetter{conditions: &before.Status.Conditions, generation: 1, now: t0}.ready("evaluated generation 1")
	conditionSetter{conditions: &before.Status.Conditions, generation: 1, now: t0}.set(v1alpha1.ConditionTargetMet, true, v1alpha1.ReasonTargetReached, "met")
	pass := func() *v1alpha1.MaturityTarget {
		after := before.DeepCopy()
		after.Status.ObservedGeneration = 2
		after.Status.CurrentLevel = "Startup"
		after.Status.Score = &v1alpha1.Score{Passed: 1, Total: 4}
		conditionSetter{conditions: &after.Status.Conditions, generation: 2, now: t0.Add(time.Minute)}.set(v1alpha1.ConditionTargetMet, false, v1alpha1.ReasonBelowTarget, "not met")
		return after
	}

	for _, tt := range []struct {
		name       string
		err        error
		wantReason string // "" when the pass's own status is kept
	}{
		{"completed", nil, ""},
		{"stalled", reconcile.TerminalError(errors.New("spec.targetLevel is unknown")), ""},
		{"task apply failed", withReason(v1alpha1.ReasonTaskApplyFailed, fmt.Errorf("applying ProjectTask x: %w", errors.New("denied\nby policy"))), v1alpha1.ReasonTaskApplyFailed},
		{"other transient error", errors.New("etcdserver: request timed out"), v1alpha1.ReasonReconcileFailed},
	} {
		after := pass()
		got := finalizeStatus(before, after, tt.err, t0.Add(time.Minute))
		if tt.wantReason == "" {
			if got != after {
				t.Errorf("%s: the pass's status was replaced", tt.name)
			}
			continue
		}
		st := got.Status
		if st.ObservedGeneration != 1 || st.CurrentLevel != "GrowingPains" || st.Score.Passed != 4 || st.Tasks.Resolved != 1 {
			t.Errorf("%s: half-applied results written: %+v", tt.name, st)
		}
		if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionTargetMet); c.Status != metav1.ConditionTrue {
			t.Errorf("%s: domain condition of the failed pass written: %+v", tt.name, c)
		}
		ready := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady)
		if ready.Status != metav1.ConditionFalse || ready.Reason != tt.wantReason || ready.ObservedGeneration != 2 ||
			ready.Message != strings.Join(strings.Fields(tt.err.Error()), " ") {
			t.Errorf("%s: Ready = %+v", tt.name, ready)
		}
		if !meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionReconciling) {
			t.Errorf("%s: Reconciling not True while the controller retries", tt.name)
		}
		if before.Status.CurrentLevel != "GrowingPains" || meta.IsStatusConditionFalse(before.Status.Conditions, v1alpha1.ConditionReady) {
			t.Fatalf("%s: the object as fetched was changed", tt.name)
		}
	}
}

// TestCredentialReadErrors checks that a MetricSource waits for a Secret or
// key that is not there, but retries with backoff when reading one fails.
func TestCredentialReadErrors(t *testing.T) {
	src := &v1alpha1.MetricSource{Spec: v1alpha1.MetricSourceSpec{
		Type: v1alpha1.MetricSourcePrometheus,
		Prometheus: &v1alpha1.PrometheusSource{
			Address: "http://127.0.0.1:9090",
			Auth:    &v1alpha1.HTTPAuth{SecretRef: v1alpha1.LocalObjectReference{Name: "prom-auth"}},
		},
	}}
	src.Namespace = "shop"
	for _, tt := range []struct {
		name     string
		read     error
		retrying bool
	}{
		{"missing", apierrors.NewNotFound(schema.GroupResource{Resource: "secrets"}, "prom-auth"), false},
		{"not offered", nil, false}, // the Secret lacks the opt-in label
		{"unavailable", apierrors.NewServiceUnavailable("etcd is down"), true},
		{"forbidden", apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, "prom-auth", errors.New("RBAC")), true},
		{"timeout", context.DeadlineExceeded, true},
	} {
		r := &MetricSourceReconciler{Secrets: stubReader{tt.read}}
		_, err := r.credentials(context.Background(), src)
		if err == nil {
			t.Fatalf("%s: no error", tt.name)
		}
		if tt.read == nil && credentialsReason(err) != v1alpha1.ReasonCredentialsNotOptedIn {
			t.Errorf("%s: %v", tt.name, err)
		}
		if got := readFailed(err); got != tt.retrying {
			t.Errorf("%s: readFailed(%v) = %v, want %v", tt.name, err, got, tt.retrying)
		}
	}
	if readFailed(nil) || readFailed(errors.New(`credentials: Secret prom-auth (spec.prometheus.auth.secretRef) has no key "token"`)) {
		t.Error("a missing key is a reason to wait, not to retry")
	}
}

// stubReader answers every read with one error, or with an object that
// carries no labels or data when the error is nil.
type stubReader struct{ err error }

func (f stubReader) Get(context.Context, client.ObjectKey, client.Object, ...client.GetOption) error {
	return f.err
}

func (f stubReader) List(context.Context, client.ObjectList, ...client.ListOption) error {
	return f.err
}
