package controllers

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func cond(typ string, status bool, reason string) metav1.Condition {
	s := metav1.ConditionFalse
	if status {
		s = metav1.ConditionTrue
	}
	return metav1.Condition{Type: typ, Status: s, Reason: reason, Message: reason}
}

// reasons renders transitions as "Reason" or "!Reason" (a warning).
func reasons(ts []transition) string {
	var out []string
	for _, t := range ts {
		r := t.reason
		if t.warning {
			r = "!" + r
		}
		out = append(out, r)
	}
	return strings.Join(out, ",")
}

func TestTargetTransitions(t *testing.T) {
	levels := []string{"Startup", "GrowingPains", "HighPerformance"}
	met := cond(v1alpha1.ConditionTargetMet, true, v1alpha1.ReasonTargetReached)
	below := cond(v1alpha1.ConditionTargetMet, false, v1alpha1.ReasonBelowTarget)
	mt := func(level string, conds ...metav1.Condition) *v1alpha1.MaturityTarget {
		return &v1alpha1.MaturityTarget{Status: v1alpha1.MaturityTargetStatus{CurrentLevel: level, Conditions: conds}}
	}
	for _, tt := range []struct {
		name          string
		before, after *v1alpha1.MaturityTarget
		want          string
	}{
		{"first evaluation, below target", mt(""), mt("GrowingPains", below), "LevelReached"},
		{"first evaluation below the first level", mt(""), mt("", below), ""},
		{"unchanged", mt("GrowingPains", below), mt("GrowingPains", below), ""},
		{"target reached", mt("GrowingPains", below), mt("HighPerformance", met), "LevelReached,TargetReached"},
		{"target reached at once", mt(""), mt("HighPerformance", met), "LevelReached,TargetReached"},
		{"target lost", mt("HighPerformance", met), mt("GrowingPains", below), "!LevelLost,!BelowTarget"},
		{"every level lost", mt("Startup", below), mt("", below), "!LevelLost"},
		{"target met, condition unchanged", mt("HighPerformance", met), mt("HighPerformance", met), ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := reasons(targetTransitions(tt.before, tt.after, levels)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// A pass that stopped before evaluating (no levels) announces no level.
	if got := reasons(targetTransitions(mt(""), mt("GrowingPains"), nil)); got != "" {
		t.Errorf("without levels: got %q", got)
	}
}

func TestPlanAndProgramTransitions(t *testing.T) {
	reached := cond(v1alpha1.ConditionTargetStageReached, true, v1alpha1.ReasonTargetReached)
	notYet := cond(v1alpha1.ConditionTargetStageReached, false, v1alpha1.ReasonBelowTarget)
	plan := func(stage string, conds ...metav1.Condition) *v1alpha1.SupportPlan {
		return &v1alpha1.SupportPlan{Status: v1alpha1.SupportPlanStatus{CurrentStage: stage, Conditions: conds}}
	}
	for _, tt := range []struct {
		before, after *v1alpha1.SupportPlan
		want          string
	}{
		{plan(""), plan("PreRevenue", notYet), "StageReached"},
		{plan("PreRevenue", notYet), plan("PreRevenue", notYet), ""},
		{plan("PreRevenue", notYet), plan("RevenueTransition", reached), "StageReached,TargetReached"},
		{plan("RevenueTransition", reached), plan("PreRevenue", notYet), "!BelowTarget"},
	} {
		if got := reasons(planTransitions(tt.before, tt.after)); got != tt.want {
			t.Errorf("plan %s -> %s: got %q, want %q", tt.before.Status.CurrentStage, tt.after.Status.CurrentStage, got, tt.want)
		}
	}

	held := cond(v1alpha1.ConditionTargetsMet, true, v1alpha1.ReasonTargetsHeld)
	missed := cond(v1alpha1.ConditionTargetsMet, false, v1alpha1.ReasonTargetsMissed)
	below := cond(v1alpha1.ConditionReadyForPartners, false, v1alpha1.ReasonBelowMinimumLevel)
	reachedMin := cond(v1alpha1.ConditionReadyForPartners, true, v1alpha1.ReasonMinimumLevelReached)
	prog := func(stage string, conds ...metav1.Condition) *v1alpha1.PartnerProgram {
		return &v1alpha1.PartnerProgram{Status: v1alpha1.PartnerProgramStatus{Stage: stage, Capacity: 5, Conditions: conds}}
	}
	for _, tt := range []struct {
		before, after *v1alpha1.PartnerProgram
		want          string
	}{
		{prog(""), prog("pilot", missed), "StageOpened"},
		{prog("pilot", missed), prog("pilot", missed), ""},
		{prog("pilot", missed), prog("pilot", held), "TargetsHeld"},
		{prog("pilot", held), prog("regional", missed), "StageOpened,!TargetsMissed"},
		{prog(""), prog("", held), "TargetsHeld"},
		{prog("pilot", held, below), prog("pilot", held, reachedMin), "MinimumLevelReached"},
		{prog("pilot", held, reachedMin), prog("pilot", held, below), "!BelowMinimumLevel"},
		{prog("pilot", held, below), prog("pilot", held, below), ""},
		{prog("pilot", held), prog("pilot", held, below), ""},
		{prog("pilot", held), prog("pilot", held, reachedMin), ""},
	} {
		if got := reasons(programTransitions(tt.before, tt.after)); got != tt.want {
			t.Errorf("program %s -> %s: got %q, want %q", tt.before.Status.Stage, tt.after.Status.Stage, got, tt.want)
		}
	}
}

func TestSourceTransitions(t *testing.T) {
	ready := cond(v1alpha1.ConditionReady, true, v1alpha1.ReasonSucceeded)
	down := cond(v1alpha1.ConditionReady, false, v1alpha1.ReasonProviderUnavailable)
	partial := cond(v1alpha1.ConditionReady, false, v1alpha1.ReasonMetricsFailed)
	src := func(conds ...metav1.Condition) *v1alpha1.MetricSource {
		return &v1alpha1.MetricSource{Status: v1alpha1.MetricSourceStatus{Conditions: conds}}
	}
	for _, tt := range []struct {
		name          string
		before, after *v1alpha1.MetricSource
		want          string
	}{
		{"first poll succeeds", src(), src(ready), ""},
		{"first poll fails", src(), src(down), "!ProviderUnavailable"},
		{"starts failing", src(ready), src(down), "!ProviderUnavailable"},
		{"keeps failing, another way", src(down), src(partial), ""},
		{"recovers", src(partial), src(ready), "Succeeded"},
		{"stays ready", src(ready), src(ready), ""},
		{"poll in flight", src(), src(), ""},
	} {
		if got := reasons(sourceTransitions(tt.before, tt.after)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTaskTransitions(t *testing.T) {
	ready := cond(v1alpha1.ConditionReady, true, v1alpha1.ReasonSucceeded)
	onTime := cond(v1alpha1.ConditionOverdue, false, v1alpha1.ReasonOnSchedule)
	late := cond(v1alpha1.ConditionOverdue, true, v1alpha1.ReasonPastDue)
	closed := cond(v1alpha1.ConditionOverdue, false, v1alpha1.ReasonGapClosed)
	open := &v1alpha1.ProjectTask{Spec: v1alpha1.ProjectTaskSpec{Title: "Shared inbox", State: v1alpha1.TaskOpen}}
	done := &v1alpha1.ProjectTask{Spec: v1alpha1.ProjectTaskSpec{Title: "Shared inbox", State: v1alpha1.TaskDone}}
	for _, tt := range []struct {
		name          string
		task          *v1alpha1.ProjectTask
		before, after []metav1.Condition
		want          string
	}{
		{"first seen", open, nil, []metav1.Condition{ready, onTime}, "GapOpen"},
		{"first seen, late", open, nil, []metav1.Condition{ready, late}, "GapOpen,!PastDue"},
		{"first seen, done", done, nil, []metav1.Condition{ready, onTime}, ""},
		{"unchanged", open, []metav1.Condition{ready, onTime}, []metav1.Condition{ready, onTime}, ""},
		{"falls due", open, []metav1.Condition{ready, onTime}, []metav1.Condition{ready, late}, "!PastDue"},
		{"stays late", open, []metav1.Condition{ready, late}, []metav1.Condition{ready, late}, ""},
		{"resolved", open, []metav1.Condition{ready, late}, []metav1.Condition{ready, closed}, "GapClosed"},
		{"reopened", open, []metav1.Condition{ready, closed}, []metav1.Condition{ready, onTime}, "GapOpen"},
		{"marked done", done, []metav1.Condition{ready, late}, []metav1.Condition{ready, onTime}, ""},
		{"resolved before GapClosed existed", open, []metav1.Condition{ready, {Type: v1alpha1.ConditionOverdue,
			Status: metav1.ConditionFalse, Reason: v1alpha1.ReasonOnSchedule, Message: msgGapClosed}}, []metav1.Condition{ready, closed}, ""},
		{"resolved task marked done", done, []metav1.Condition{ready, closed}, []metav1.Condition{ready, onTime}, ""},
	} {
		if got := reasons(taskTransitions(tt.task, tt.before, tt.after)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestRequestedAtChanged(t *testing.T) {
	obj := func(annotations map[string]string) *v1alpha1.MetricSource {
		s := &v1alpha1.MetricSource{}
		s.Annotations = annotations
		return s
	}
	key := v1alpha1.AnnotationRequestedAt
	p := specOrRequest()
	for _, tt := range []struct {
		name     string
		old, new map[string]string
		want     bool
	}{
		{"set", nil, map[string]string{key: "1"}, true},
		{"new value", map[string]string{key: "1"}, map[string]string{key: "2"}, true},
		{"removed", map[string]string{key: "1"}, nil, true},
		{"same value", map[string]string{key: "1"}, map[string]string{key: "1", "other": "x"}, false},
		{"other annotation", nil, map[string]string{"other": "x"}, false},
	} {
		if got := p.Update(event.UpdateEvent{ObjectOld: obj(tt.old), ObjectNew: obj(tt.new)}); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	if !p.Create(event.CreateEvent{Object: obj(nil)}) {
		t.Error("a create must reconcile")
	}
}

func TestExemptionTransitions(t *testing.T) {
	ex := func(objective, state string) v1alpha1.ExemptionStatus {
		return v1alpha1.ExemptionStatus{Stream: "s", Objective: objective, State: state, Message: state}
	}
	tests := []struct {
		name          string
		before, after []v1alpha1.ExemptionStatus
		want          string
	}{
		{"an active exemption is news for nobody", nil, []v1alpha1.ExemptionStatus{ex("a", v1alpha1.ExemptionActive)}, ""},
		{"an exemption expires", []v1alpha1.ExemptionStatus{ex("a", v1alpha1.ExemptionActive)},
			[]v1alpha1.ExemptionStatus{ex("a", v1alpha1.ExemptionExpired)}, "!ExemptionLapsed"},
		{"an unknown objective is warned about once",
			[]v1alpha1.ExemptionStatus{ex("a", v1alpha1.ExemptionUnknownObjective)},
			[]v1alpha1.ExemptionStatus{ex("a", v1alpha1.ExemptionUnknownObjective), ex("b", v1alpha1.ExemptionUnknownObjective)}, "!ExemptionLapsed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := reasons(exemptionTransitions(tc.before, tc.after)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
