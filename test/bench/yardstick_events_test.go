package bench

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/controllers"
)

// The yardstick copies the operator's Events only once every converged
// target's are written: a target at a level that meets its target needs
// both its LevelReached and its TargetReached, emitted by the operator.
func TestAnnouncedWaitsForEveryConvergedTargetsEvents(t *testing.T) {
	met := v1alpha1.MaturityTargetStatus{CurrentLevel: "GrowingPains", Conditions: []metav1.Condition{
		{Type: v1alpha1.ConditionTargetMet, Status: metav1.ConditionTrue, Reason: v1alpha1.ReasonTargetReached},
	}}
	below := v1alpha1.MaturityTargetStatus{Conditions: []metav1.Condition{
		{Type: v1alpha1.ConditionTargetMet, Status: metav1.ConditionFalse, Reason: "Below"},
	}}
	event := func(name, reason string) eventsv1.Event {
		return eventsv1.Event{Reason: reason, ReportingController: controllers.EventController,
			Regarding: corev1.ObjectReference{Kind: "MaturityTarget", Name: name}}
	}
	group := func(es ...eventsv1.Event) map[regarding][]eventsv1.Event { return byRegarding(es) }
	targets := map[string]v1alpha1.MaturityTargetStatus{"a": met, "b": below}
	for _, tc := range []struct {
		name   string
		events map[regarding][]eventsv1.Event
		want   bool
	}{
		{"none yet", group(), false},
		{"level without target", group(event("a", v1alpha1.ReasonLevelReached)), false},
		{"target without level", group(event("a", v1alpha1.ReasonTargetReached)), false},
		{"another target's", group(event("b", v1alpha1.ReasonLevelReached), event("b", v1alpha1.ReasonTargetReached)), false},
		{"another controller's", group(event("a", v1alpha1.ReasonLevelReached), eventsv1.Event{Reason: v1alpha1.ReasonTargetReached,
			ReportingController: "someone-else", Regarding: corev1.ObjectReference{Kind: "MaturityTarget", Name: "a"}}), false},
		{"both", group(event("a", v1alpha1.ReasonLevelReached), event("a", v1alpha1.ReasonTargetReached)), true},
	} {
		if got := announced(targets, tc.events); got != tc.want {
			t.Errorf("%s: announced = %v, want %v", tc.name, got, tc.want)
		}
	}
}
