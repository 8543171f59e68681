package partners

import (
	"fmt"
	"math"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// programStatus is the program's counts, metrics, expansion and risks.
func programStatus(members []*v1alpha1.Partner, states []State, admitted []bool, metrics []v1alpha1.ProgramMetric,
	exp ExpansionState, risks []v1alpha1.Risk) v1alpha1.PartnerProgramStatus {
	byPhase, byType := map[string]int32{}, map[string]int32{}
	for i, p := range members {
		byPhase[string(states[i].Phase)]++
		byType[p.Spec.Type]++
	}
	st := v1alpha1.PartnerProgramStatus{
		Partners: int32(len(members)),
		Active:   byPhase[string(v1alpha1.PhaseActive)],
		ByPhase:  countsByName(byPhase),
		ByType:   countsByName(byType),
		Metrics:  metrics,
		Stage:    exp.Stage, Capacity: int32(exp.Capacity),
		Activation: percentOf(metrics, "activationRate"), Retention: percentOf(metrics, "retentionRate"),
		Expansion: "Open",
		Risks:     risks,
	}
	if exp.HeldSince != nil {
		t := metav1.NewTime(exp.HeldSince.Truncate(time.Second))
		st.TargetsHeldSince = &t
	}
	if exp.Closed || exp.Capacity > 0 && seated(admitted, states) >= exp.Capacity {
		st.Expansion = "Closed"
	}
	return st
}

// seated counts admitted partners that still hold a seat (not churned).
func seated(admitted []bool, states []State) int {
	n := 0
	for i, a := range admitted {
		if a && states[i].Phase != v1alpha1.PhaseChurned {
			n++
		}
	}
	return n
}

// programConditions are TargetsMet and ExpansionOpen, as data.
func programConditions(st *v1alpha1.PartnerProgramStatus, met bool, admitted []bool, states []State, exp ExpansionState) []metav1.Condition {
	var out []metav1.Condition
	if met {
		out = append(out, condition(v1alpha1.ConditionTargetsMet, true, v1alpha1.ReasonTargetsHeld, "every target holds"))
	} else {
		var failing []string
		for _, m := range st.Metrics {
			if m.Target != "" && (m.Met == nil || !*m.Met) {
				failing = append(failing, m.Name)
			}
		}
		out = append(out, condition(v1alpha1.ConditionTargetsMet, false, v1alpha1.ReasonTargetsMissed, fmt.Sprintf("not met: %v", failing)))
	}
	waiting := 0
	for _, s := range states {
		if s.Phase == v1alpha1.PhaseWaitlisted {
			waiting++
		}
	}
	until := "every target holds for the validation window"
	if exp.HeldBy != "" {
		until = "the business is ready (" + exp.HeldBy + ")"
	}
	var open metav1.Condition
	switch {
	case exp.Closed:
		open = condition(v1alpha1.ConditionExpansionOpen, false, v1alpha1.ReasonBusinessNotReady,
			fmt.Sprintf("no new partner is admitted until the business is ready (%s); %d partners wait", exp.HeldBy, waiting))
	case st.Capacity == 0:
		open = condition(v1alpha1.ConditionExpansionOpen, true, v1alpha1.ReasonOpen, "the program admits every partner")
	case st.Expansion == "Open":
		open = condition(v1alpha1.ConditionExpansionOpen, true, v1alpha1.ReasonSeatsFree,
			fmt.Sprintf("stage %s: %d of %d seats taken", st.Stage, seated(admitted, states), st.Capacity))
	default:
		open = condition(v1alpha1.ConditionExpansionOpen, false, v1alpha1.ReasonStageFull,
			fmt.Sprintf("stage %s is full (%d seats); %d partners wait until %s", st.Stage, st.Capacity, waiting, until))
	}
	return append(out, open)
}

func condition(typ string, ok bool, reason, message string) metav1.Condition {
	st := metav1.ConditionFalse
	if ok {
		st = metav1.ConditionTrue
	}
	return metav1.Condition{Type: typ, Status: st, Reason: reason, Message: message}
}

func countsByName(m map[string]int32) []v1alpha1.CountByName {
	out := make([]v1alpha1.CountByName, 0, len(m))
	for k, v := range m {
		out = append(out, v1alpha1.CountByName{Name: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func percentOf(metrics []v1alpha1.ProgramMetric, name string) string {
	for _, m := range metrics {
		if m.Name == name {
			if m.Value == nil {
				return "n/a"
			}
			return fmt.Sprintf("%.0f%%", math.Round(*m.Value*100))
		}
	}
	return ""
}
