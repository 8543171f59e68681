package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/record/util"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/controllers"
)

// The operator announces what a pass changed with Events (README, "Events
// and requested-at"): a converging target writes LevelReached and
// TargetReached besides its two statuses. Those are part of what the
// product promises, so the yardstick writes them too, copied from the
// operator's run: otherwise the comparison charges the operator for a
// feature rather than for overhead. Config.YardstickEvents turns this off
// to measure against the statuses alone.

// regarding names the object an Event is about.
type regarding struct{ kind, name string }

// operatorEvents lists the Events the operator emitted in ns, by the object
// they regard. The recorder writes them in the background after each
// status, so it waits until every target's level and met target have
// their Event (the ones a converging target always gets) and the count of
// the others holds still for a poll.
func (h *harness) operatorEvents(ctx context.Context, ns string, targets map[string]v1alpha1.MaturityTargetStatus) (map[regarding][]eventsv1.Event, error) {
	var out map[regarding][]eventsv1.Event
	last := -1
	err := wait.PollUntilContextTimeout(ctx, time.Second, h.cfg.PhaseTimeout, true, func(ctx context.Context) (bool, error) {
		list := &eventsv1.EventList{}
		if err := h.client.List(ctx, list, client.InNamespace(ns)); err != nil {
			return false, err
		}
		out = byRegarding(list.Items)
		settled := len(list.Items) == last
		last = len(list.Items)
		return settled && announced(targets, out), nil
	})
	if err != nil {
		return nil, fmt.Errorf("operator's Events in %s, waiting for each target's LevelReached and TargetReached: %w", ns, err)
	}
	return out, nil
}

// byRegarding groups the operator's Events among events by the object they
// regard.
func byRegarding(events []eventsv1.Event) map[regarding][]eventsv1.Event {
	out := map[regarding][]eventsv1.Event{}
	for _, e := range events {
		if e.ReportingController == controllers.EventController {
			key := regarding{kind: e.Regarding.Kind, name: e.Regarding.Name}
			out[key] = append(out[key], e)
		}
	}
	return out
}

// announced reports whether each target that reached a level has its
// LevelReached Event, and each that meets its target its TargetReached.
func announced(targets map[string]v1alpha1.MaturityTargetStatus, events map[regarding][]eventsv1.Event) bool {
	for name, st := range targets {
		reasons := map[string]bool{}
		for _, e := range events[regarding{kind: "MaturityTarget", name: name}] {
			reasons[e.Reason] = true
		}
		if st.CurrentLevel != "" && !reasons[v1alpha1.ReasonLevelReached] ||
			meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionTargetMet) && !reasons[v1alpha1.ReasonTargetReached] {
			return false
		}
	}
	return true
}

// writeEvents creates the Events the operator emitted for an object of the
// same kind and name as obj, now regarding obj, as its recorder would
// (events.k8s.io/v1, one create each), and adds them to created.
func (h *harness) writeEvents(ctx context.Context, st *convergedStatuses, kind string, obj client.Object, created *atomic.Int64) error {
	for _, e := range st.events[regarding{kind: kind, name: obj.GetName()}] {
		now := time.Now()
		ev := &eventsv1.Event{
			ObjectMeta:          metav1.ObjectMeta{Name: util.GenerateEventName(obj.GetName(), now.UnixNano()), Namespace: obj.GetNamespace()},
			EventTime:           metav1.NewMicroTime(now),
			ReportingController: e.ReportingController,
			ReportingInstance:   e.ReportingInstance,
			Action:              e.Action,
			Reason:              e.Reason,
			Regarding:           e.Regarding,
			Note:                e.Note,
			Type:                e.Type,
		}
		ev.Regarding.Namespace, ev.Regarding.UID, ev.Regarding.ResourceVersion = obj.GetNamespace(), obj.GetUID(), obj.GetResourceVersion()
		if err := h.client.Create(ctx, ev); err != nil {
			return err
		}
		created.Add(1)
	}
	return nil
}
