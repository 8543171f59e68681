package controllers

import (
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// EventController is the reporting controller of every Event the operator
// emits (events.k8s.io/v1).
const EventController = "scaleup-operator"

// Event actions: what the operator was doing when the transition happened.
const (
	actionEvaluate = "Evaluate"
	actionPoll     = "Poll"
	actionTrack    = "Track"
)

// transition is one change of an object's status worth an Event. It is
// found by comparing the status a pass found with the one it leaves, and
// emitted only once that status is written: a pass whose write fails, or
// that read a stale copy (the write then conflicts), emits nothing, and the
// retry compares against what is stored.
type transition struct {
	warning bool
	reason  string
	action  string
	note    string
}

// emit records each transition as an Event regarding obj.
func emit(rec events.EventRecorder, obj runtime.Object, ts []transition) {
	if rec == nil {
		return
	}
	for _, t := range ts {
		typ := corev1.EventTypeNormal
		if t.warning {
			typ = corev1.EventTypeWarning
		}
		rec.Eventf(obj, nil, typ, t.reason, t.action, "%s", truncate(t.note, 1000))
	}
}

// conditionTransition announces a domain condition that became True (with
// its reason), or that was True and is no longer (a warning, with the
// reason it has now). A condition first set False announces nothing.
func conditionTransition(before, after []metav1.Condition, typ, action string) []transition {
	was, now := meta.FindStatusCondition(before, typ), meta.FindStatusCondition(after, typ)
	wasTrue := was != nil && was.Status == metav1.ConditionTrue
	switch {
	case now == nil:
		return nil
	case now.Status == metav1.ConditionTrue && !wasTrue:
		return []transition{{reason: now.Reason, action: action, note: now.Message}}
	case now.Status != metav1.ConditionTrue && wasTrue:
		return []transition{{warning: true, reason: now.Reason, action: action, note: now.Message}}
	}
	return nil
}

// targetTransitions: the level a MaturityTarget reached or lost, in the
// order of its model's levels, and TargetMet gained or lost.
func targetTransitions(before, after *v1alpha1.MaturityTarget, levels []string) []transition {
	var ts []transition
	from, to := slices.Index(levels, before.Status.CurrentLevel), slices.Index(levels, after.Status.CurrentLevel)
	if len(levels) > 0 && before.Status.CurrentLevel != after.Status.CurrentLevel {
		switch {
		case to > from:
			ts = append(ts, transition{reason: v1alpha1.ReasonLevelReached, action: actionEvaluate,
				note: after.Spec.Business + " reached " + after.Status.CurrentLevel})
		case to < from:
			ts = append(ts, transition{warning: true, reason: v1alpha1.ReasonLevelLost, action: actionEvaluate,
				note: after.Spec.Business + " fell from " + before.Status.CurrentLevel + " to " + levelName(after.Status.CurrentLevel, levels)})
		}
	}
	ts = append(ts, exemptionTransitions(before.Status.Exemptions, after.Status.Exemptions)...)
	return append(ts, conditionTransition(before.Status.Conditions, after.Status.Conditions, v1alpha1.ConditionTargetMet, actionEvaluate)...)
}

// exemptionTransitions: a warning for each exemption that stopped counting
// (expired, or its objective left the model) or was written that way.
func exemptionTransitions(before, after []v1alpha1.ExemptionStatus) []transition {
	var ts []transition
	for _, e := range after {
		if e.State == v1alpha1.ExemptionActive {
			continue
		}
		was := slices.IndexFunc(before, func(b v1alpha1.ExemptionStatus) bool {
			return b.Stream == e.Stream && b.Objective == e.Objective && b.State == e.State
		})
		if was < 0 {
			ts = append(ts, transition{warning: true, reason: v1alpha1.ReasonExemptionLapsed, action: actionEvaluate,
				note: "exemption of " + e.Stream + "/" + e.Objective + " does not count: " + e.Message})
		}
	}
	return ts
}

func levelName(level string, levels []string) string {
	if level == "" {
		return "below " + levels[0]
	}
	return level
}

// supportStages are the support stages from lowest to highest.
var supportStages = []string{
	string(v1alpha1.StagePreRevenue), string(v1alpha1.StageRevenueTransition), string(v1alpha1.StageRevenueGeneration),
}

// planTransitions: the support stage a SupportPlan reached, and its target
// stage reached or lost.
func planTransitions(before, after *v1alpha1.SupportPlan) []transition {
	var ts []transition
	if slices.Index(supportStages, after.Status.CurrentStage) > slices.Index(supportStages, before.Status.CurrentStage) {
		ts = append(ts, transition{reason: v1alpha1.ReasonStageReached, action: actionEvaluate,
			note: "support reached stage " + after.Status.CurrentStage})
	}
	return append(ts, conditionTransition(before.Status.Conditions, after.Status.Conditions, v1alpha1.ConditionTargetStageReached, actionEvaluate)...)
}

// programTransitions: the expansion stage a PartnerProgram opened, its
// targets met or missed, and its business ready for partners or no longer.
func programTransitions(before, after *v1alpha1.PartnerProgram) []transition {
	var ts []transition
	// A status restored without its stage has it in the annotation: the
	// stage it reads again is no new one.
	prev := before.Status.Stage
	if prev == "" {
		prev = before.Annotations[v1alpha1.AnnotationExpansionStage]
	}
	if st := after.Status; st.Stage != "" && st.Stage != prev {
		note := "expansion stage " + st.Stage + " opened"
		if st.Capacity > 0 {
			note += fmt.Sprintf(", %d seats", st.Capacity)
		}
		ts = append(ts, transition{reason: v1alpha1.ReasonStageOpened, action: actionEvaluate, note: note})
	}
	ts = append(ts, conditionTransition(before.Status.Conditions, after.Status.Conditions, v1alpha1.ConditionTargetsMet, actionEvaluate)...)
	return append(ts, readinessTransition(before.Status.Conditions, after.Status.Conditions)...)
}

// sourceTransitions: a MetricSource that starts failing (Ready turns False,
// with the reason: the provider is unavailable, metrics failed, the
// destination or credentials are refused) or recovers (Ready turns True
// again after failing).
func sourceTransitions(before, after *v1alpha1.MetricSource) []transition {
	was := meta.FindStatusCondition(before.Status.Conditions, v1alpha1.ConditionReady)
	now := meta.FindStatusCondition(after.Status.Conditions, v1alpha1.ConditionReady)
	wasFailing := was != nil && was.Status == metav1.ConditionFalse
	switch {
	case now == nil:
		return nil
	case now.Status == metav1.ConditionFalse && !wasFailing:
		return []transition{{warning: true, reason: now.Reason, action: actionPoll, note: now.Message}}
	case now.Status == metav1.ConditionTrue && wasFailing:
		return []transition{{reason: now.Reason, action: actionPoll, note: "recovered: " + now.Message}}
	}
	return nil
}

// taskTransitions: a ProjectTask the ProjectTask controller sees open for
// the first time (or again, after its gap had closed), resolved, or past
// its due date. The controller records what it saw in its own conditions:
// Ready once it handled the task, Overdue with reason GapClosed while the
// task is resolved, PastDue once it is late.
func taskTransitions(task *v1alpha1.ProjectTask, before, after []metav1.Condition) []transition {
	var ts []transition
	handled := meta.FindStatusCondition(before, v1alpha1.ConditionReady) != nil
	wasOverdue, overdue := findCondition(before, v1alpha1.ConditionOverdue), findCondition(after, v1alpha1.ConditionOverdue)
	// Releases before GapClosed marked a resolved task's Overdue OnSchedule
	// with this message: no Event for tasks resolved before an upgrade.
	wasClosed := wasOverdue.Reason == v1alpha1.ReasonGapClosed ||
		wasOverdue.Reason == v1alpha1.ReasonOnSchedule && wasOverdue.Message == msgGapClosed
	closed := overdue.Reason == v1alpha1.ReasonGapClosed
	open := !closed && task.Spec.State != v1alpha1.TaskDone
	switch {
	case open && (!handled || wasClosed):
		ts = append(ts, transition{reason: v1alpha1.ReasonGapOpen, action: actionTrack, note: "task opened: " + task.Spec.Title})
	case closed && !wasClosed:
		ts = append(ts, transition{reason: v1alpha1.ReasonGapClosed, action: actionTrack, note: "task resolved: " + task.Spec.Title})
	}
	if overdue.Status == metav1.ConditionTrue && wasOverdue.Status != metav1.ConditionTrue {
		ts = append(ts, transition{warning: true, reason: overdue.Reason, action: actionTrack, note: "task overdue, " + overdue.Message})
	}
	return ts
}

// findCondition returns the condition of type typ, or an empty one.
func findCondition(conds []metav1.Condition, typ string) metav1.Condition {
	if c := meta.FindStatusCondition(conds, typ); c != nil {
		return *c
	}
	return metav1.Condition{Type: typ}
}
