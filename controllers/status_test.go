package controllers

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

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
