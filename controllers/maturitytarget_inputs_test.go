package controllers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// TestSourceState checks which sources a reader waits for: only one that
// has never published. A source that has published keeps serving its last
// values, fresh while its last pass succeeded, stale when it failed.
func TestSourceState(t *testing.T) {
	values := []v1alpha1.MetricValue{{Name: "csat", Value: ptr.To(80.0)}}
	neverRead := []v1alpha1.MetricValue{{Name: "csat", Error: "503"}}
	ready := func(status metav1.ConditionStatus, reason string) metav1.Condition {
		return metav1.Condition{Type: v1alpha1.ConditionReady, Status: status, Reason: reason, Message: reason}
	}
	staleTrue := metav1.Condition{Type: v1alpha1.ConditionStale, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonMetricsStale, Message: "old"}
	staleFalse := metav1.Condition{Type: v1alpha1.ConditionStale, Status: metav1.ConditionFalse, Reason: v1alpha1.ReasonFresh}

	cases := []struct {
		name       string
		generation int64
		status     v1alpha1.MetricSourceStatus
		want       sourceCondition
	}{
		{"never reconciled", 1, v1alpha1.MetricSourceStatus{}, sourceWaiting},
		{"published, current generation", 1, v1alpha1.MetricSourceStatus{ObservedGeneration: 1, Values: values,
			Conditions: []metav1.Condition{ready(metav1.ConditionTrue, v1alpha1.ReasonSucceeded), staleFalse}}, sourceFresh},
		{"published, spec edited since", 4, v1alpha1.MetricSourceStatus{ObservedGeneration: 3, Values: values,
			Conditions: []metav1.Condition{ready(metav1.ConditionTrue, v1alpha1.ReasonSucceeded), staleFalse}}, sourceFresh},
		{"published values older than maxAge", 1, v1alpha1.MetricSourceStatus{ObservedGeneration: 1, Values: values,
			Conditions: []metav1.Condition{ready(metav1.ConditionTrue, v1alpha1.ReasonSucceeded), staleTrue}}, sourceStale},
		{"provider down, last good values kept", 2, v1alpha1.MetricSourceStatus{ObservedGeneration: 2, Values: values,
			Conditions: []metav1.Condition{ready(metav1.ConditionFalse, v1alpha1.ReasonProviderUnavailable)}}, sourceStale},
		{"provider down after a spec edit", 3, v1alpha1.MetricSourceStatus{ObservedGeneration: 2, Values: values,
			Conditions: []metav1.Condition{ready(metav1.ConditionFalse, v1alpha1.ReasonProviderUnavailable)}}, sourceStale},
		{"provider down from the start", 1, v1alpha1.MetricSourceStatus{ObservedGeneration: 1, Values: neverRead,
			Conditions: []metav1.Condition{ready(metav1.ConditionFalse, v1alpha1.ReasonProviderUnavailable)}}, sourceStale},
		{"some metrics failed", 1, v1alpha1.MetricSourceStatus{ObservedGeneration: 1, Values: values,
			Conditions: []metav1.Condition{ready(metav1.ConditionFalse, v1alpha1.ReasonMetricsFailed)}}, sourceStale},
		{"credentials missing, never published", 1, v1alpha1.MetricSourceStatus{
			Conditions: []metav1.Condition{ready(metav1.ConditionFalse, v1alpha1.ReasonCredentialsUnavailable)}}, sourceWaiting},
		{"credentials lost after publishing", 2, v1alpha1.MetricSourceStatus{ObservedGeneration: 1, Values: values,
			Conditions: []metav1.Condition{ready(metav1.ConditionFalse, v1alpha1.ReasonCredentialsUnavailable)}}, sourceStale},
		{"spec invalid, never published", 1, v1alpha1.MetricSourceStatus{ObservedGeneration: 1, Values: neverRead,
			Conditions: []metav1.Condition{ready(metav1.ConditionFalse, v1alpha1.ReasonInvalidSpec)}}, sourceWaiting},
		{"spec turned invalid after publishing", 2, v1alpha1.MetricSourceStatus{ObservedGeneration: 2, Values: values,
			Conditions: []metav1.Condition{ready(metav1.ConditionFalse, v1alpha1.ReasonInvalidSpec)}}, sourceStale},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := &v1alpha1.MetricSource{ObjectMeta: metav1.ObjectMeta{Name: "s", Generation: tc.generation}, Status: tc.status}
			why, got := sourceState(src)
			if got != tc.want {
				t.Fatalf("sourceState = %d (%q), want %d", got, why, tc.want)
			}
			if got != sourceFresh && why == "" {
				t.Errorf("a source that is not fresh needs a reason")
			}
		})
	}
}
