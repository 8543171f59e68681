package supportplan

import (
	"fmt"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

// leversStatus shows a gap's levers, shares as whole percents (they are
// rounded up to one already), every number through the finiteness guard.
func leversStatus(l *support.Levers) *v1alpha1.CapacityLevers {
	if l == nil {
		return nil
	}
	return &v1alpha1.CapacityLevers{
		Proposed: v1alpha1.SupportLever(l.Proposed),
		Hire:     v1alpha1.HireLever{Possible: l.Hire.Possible, Heroes: int32(min(l.Heroes, support.MaxHeroes))},
		Deflect: v1alpha1.DeflectLever{Possible: l.Deflect.Possible, Reason: l.Deflect.Reason,
			FromPercent: percent(l.DeflectionNow), ToPercent: percent(l.DeflectionNeeded)},
		ShiftChannels: v1alpha1.ShiftChannelsLever{Possible: l.Shift.Possible, Reason: l.Shift.Reason,
			MovePercent: percent(l.ShiftShare), AsyncMinutesPerContact: round2(l.AsyncMinutes)},
	}
}

// percent is a share as a whole percent.
func percent(share float64) float64 { return round0(share * 100) }

// leverAction is what the proposed lever asks for, to be followed by
// "by <date> for <peak>", "now for <peak>" or "now: ...": "Hire 3 heroes",
// "Deflect 47% of contacts (today 27%)", "Move 60% of phone/video contacts
// to chat, SMS, email or messaging". Without a proposal it names the gap.
func leverAction(l *support.Levers) string {
	switch l.Proposed {
	case support.LeverDeflect:
		return fmt.Sprintf("Deflect %.0f%% of contacts (today %.0f%%)", percent(l.DeflectionNeeded), percent(l.DeflectionNow))
	case support.LeverShiftChannels:
		return fmt.Sprintf("Move %.0f%% of phone/video contacts to chat, SMS, email or messaging", percent(l.ShiftShare))
	case support.LeverHire:
		return "Hire " + heroes(l.Heroes)
	}
	return fmt.Sprintf("Close a gap of %s", heroes(l.Heroes))
}

// leverSummary names the three levers with their numbers and the proposal,
// for a task's description: "Levers, each alone: Hire: 9 heroes; Deflect:
// resolve 69% of contacts without a hero (self-service and AI, today 25%);
// ShiftChannels: not alone, moving every phone and video contact is not
// enough. Proposed: Hire, ..."
func leverSummary(l *support.Levers) string {
	deflect := fmt.Sprintf("resolve %.0f%% of contacts without a hero (self-service and AI, today %.0f%%)",
		percent(l.DeflectionNeeded), percent(l.DeflectionNow))
	if !l.Deflect.Possible {
		deflect = "not alone, " + l.Deflect.Reason
	}
	shift := fmt.Sprintf("move %.0f%% of phone/video contacts to chat, SMS, email or messaging (%.2f hero minutes a contact there)",
		percent(l.ShiftShare), round2(l.AsyncMinutes))
	if !l.Shift.Possible {
		shift = "not alone, " + l.Shift.Reason
	}
	proposal := fmt.Sprintf("Proposed: %s, the accepted lever with the smallest relative change.", l.Proposed)
	if l.Proposed == "" {
		proposal = "No accepted lever (spec.levers) closes the gap alone: combine them or accept another."
	}
	return fmt.Sprintf("Levers, each alone: %s: %s; %s: %s; %s: %s. %s",
		support.LeverHire, heroes(l.Heroes), support.LeverDeflect, deflect, support.LeverShiftChannels, shift, proposal)
}
