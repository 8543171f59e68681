package controllers

import (
	"fmt"
	"math"
	"sort"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

const kindPartnerProgram = "PartnerProgram"

// applyProgramStatus writes the counts, metrics and expansion of a program.
func applyProgramStatus(st *v1alpha1.PartnerProgramStatus, members []*v1alpha1.Partner, states []partners.State,
	admitted []bool, metrics []v1alpha1.ProgramMetric, exp partners.ExpansionState) {
	byPhase, byType := map[string]int32{}, map[string]int32{}
	for i, p := range members {
		byPhase[string(states[i].Phase)]++
		byType[p.Spec.Type]++
	}
	st.Partners = int32(len(members))
	st.Active = byPhase[string(v1alpha1.PhaseActive)]
	st.ByPhase = counts(byPhase)
	st.ByType = counts(byType)
	st.Metrics = metrics
	st.Activation, st.Retention = percent(metrics, "activationRate"), percent(metrics, "retentionRate")
	st.Stage, st.Capacity = exp.Stage, int32(exp.Capacity)
	st.TargetsHeldSince = nil
	if exp.HeldSince != nil {
		t := metav1Time(*exp.HeldSince)
		st.TargetsHeldSince = &t
	}
	st.Expansion = "Open"
	if exp.Closed || exp.Capacity > 0 && seated(admitted, states) >= exp.Capacity {
		st.Expansion = "Closed"
	}
}

// seated counts admitted partners that still hold a seat (not churned).
func seated(admitted []bool, states []partners.State) int {
	n := 0
	for i, a := range admitted {
		if a && states[i].Phase != v1alpha1.PhaseChurned {
			n++
		}
	}
	return n
}

func setProgramConditions(conds conditionSetter, st *v1alpha1.PartnerProgramStatus, metrics []v1alpha1.ProgramMetric,
	met bool, admitted []bool, states []partners.State, exp partners.ExpansionState) {
	if met {
		conds.set(v1alpha1.ConditionTargetsMet, true, v1alpha1.ReasonTargetsHeld, "every target holds")
	} else {
		var failing []string
		for _, m := range metrics {
			if m.Target != "" && (m.Met == nil || !*m.Met) {
				failing = append(failing, m.Name)
			}
		}
		conds.set(v1alpha1.ConditionTargetsMet, false, v1alpha1.ReasonTargetsMissed, fmt.Sprintf("not met: %v", failing))
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
	switch {
	case exp.Closed:
		conds.set(v1alpha1.ConditionExpansionOpen, false, v1alpha1.ReasonBusinessNotReady,
			fmt.Sprintf("no new partner is admitted until the business is ready (%s); %d partners wait", exp.HeldBy, waiting))
	case st.Capacity == 0:
		conds.set(v1alpha1.ConditionExpansionOpen, true, v1alpha1.ReasonOpen, "the program admits every partner")
	case st.Expansion == "Open":
		conds.set(v1alpha1.ConditionExpansionOpen, true, v1alpha1.ReasonSeatsFree,
			fmt.Sprintf("stage %s: %d of %d seats taken", st.Stage, seated(admitted, states), st.Capacity))
	default:
		conds.set(v1alpha1.ConditionExpansionOpen, false, v1alpha1.ReasonStageFull,
			fmt.Sprintf("stage %s is full (%d seats); %d partners wait until %s", st.Stage, st.Capacity, waiting, until))
	}
}

func counts(m map[string]int32) []v1alpha1.CountByName {
	out := make([]v1alpha1.CountByName, 0, len(m))
	for k, v := range m {
		out = append(out, v1alpha1.CountByName{Name: k, Count: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func percent(metrics []v1alpha1.ProgramMetric, name string) string {
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
