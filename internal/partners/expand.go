package partners

import (
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// ExpansionState is the program's expansion stage and what holds it.
type ExpansionState struct {
	// Stage is the current stage's name, StageOpen in Open mode.
	Stage string
	// Index of the stage in spec.expansion.stages (0 in Open mode).
	Index int
	// Capacity is how many partners the stage seats; 0 means unlimited.
	Capacity int
	// HeldSince is when every target last started to hold; nil while they
	// do not.
	HeldSince *time.Time
	// NextCheck is how long until the validation window elapses and the
	// next stage may open; 0 when nothing is waiting on time.
	NextCheck time.Duration
	// Closed is true when the readiness gate admits no new partner at all.
	Closed bool
	// HeldBy is the readiness gate's message while it holds the expansion
	// (Capacity is then the first stage's, or Closed is true); empty
	// while the business is ready.
	HeldBy string
}

// minNextCheck keeps a zero validation window from asking for an
// immediate requeue: the next stage opens on the next pass, a second on.
const minNextCheck = time.Second

// Expand decides the program's stage. In Open mode (or Gradual without
// stages, which the CRD rejects) the stage is StageOpen with unlimited
// capacity. Under Gradual the stage is the previous status' stage, found by
// name (the first stage when it is unknown, as on the first pass or after
// the stage was renamed); it never moves back, even when targets fail.
//
// HeldSince starts at now (to the second, as the status stores it) when
// the targets start holding, is kept while they hold and is cleared when
// they stop. When they have held for the validation window (default 30
// days) the program moves up one stage, whether or not the current stage
// filled up: the evidence is the targets, not the queue. HeldSince then
// restarts at now, so each stage is validated on its own. NextCheck is the
// time left in the window; 0 at the last stage or while targets fail.
// HeldSince is tracked in Open mode too, for the status.
func Expand(prog *v1alpha1.PartnerProgramSpec, prevStage string, prevHeldSince *time.Time, targetsMet bool, now time.Time) ExpansionState {
	return ExpandGated(prog, prevStage, prevHeldSince, targetsMet, Ungated, now)
}

// ExpandGated is Expand behind the program's readiness gate. While the gate
// is not ready no further stage opens (the targets' HeldSince is still
// tracked, so a stage whose targets held through the window opens as soon
// as the business is ready) and:
//   - HoldFirstStage caps the seats at the first stage's maxPartners: a
//     program still in its first stage admits up to it, one already past
//     it admits no one new (stages never move back, and no admitted
//     partner is taken out). A program in Open mode has no first stage to
//     hold, so it admits no one;
//   - Closed admits no one.
func ExpandGated(prog *v1alpha1.PartnerProgramSpec, prevStage string, prevHeldSince *time.Time, targetsMet bool, gate Gate, now time.Time) ExpansionState {
	var held *time.Time
	if targetsMet {
		t := now.Truncate(time.Second)
		if prevHeldSince != nil && !prevHeldSince.After(now) {
			t = *prevHeldSince
		}
		held = &t
	}
	stages := prog.Expansion.Stages
	open := prog.Expansion.Mode != v1alpha1.ExpansionGradual || len(stages) == 0
	if !gate.Ready {
		e := ExpansionState{Stage: StageOpen, HeldSince: held, HeldBy: gate.Message, Closed: true}
		if !open {
			e.Index = stageIndex(stages, prevStage)
			e.Stage = stages[e.Index].Name
			e.Capacity = int(stages[0].MaxPartners)
			e.Closed = gate.Hold == v1alpha1.WhileNotReadyClosed
		}
		return e
	}
	if open {
		return ExpansionState{Stage: StageOpen, HeldSince: held}
	}
	idx := stageIndex(stages, prevStage)
	e := ExpansionState{HeldSince: held}
	if held != nil && idx < len(stages)-1 {
		window := validationWindow(prog)
		if now.Sub(*held) >= window {
			idx++
			restart := now.Truncate(time.Second)
			e.HeldSince = &restart
		}
		if idx < len(stages)-1 {
			e.NextCheck = max(e.HeldSince.Add(window).Sub(now), minNextCheck)
		}
	}
	e.Stage, e.Index, e.Capacity = stages[idx].Name, idx, int(stages[idx].MaxPartners)
	return e
}

// stageIndex is the index of the stage named name, 0 when there is none.
func stageIndex(stages []v1alpha1.ExpansionStage, name string) int {
	for i := range stages {
		if stages[i].Name == name {
			return i
		}
	}
	return 0
}
