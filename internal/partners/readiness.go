package partners

import (
	"fmt"
	"slices"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Gate is the decision of a program's readiness gate: whether the business
// is mature enough for the program to expand, and what the program does
// while it is not.
type Gate struct {
	// Ready is true when the program has no gate or the business is at or
	// above its minimum level.
	Ready bool
	// Hold is what the program does while not ready: HoldFirstStage or
	// Closed (empty while ready).
	Hold v1alpha1.WhileNotReady
	// Reason and Message are those of the ReadyForPartners condition.
	Reason, Message string
}

// Ungated is the gate of a program without spec.readiness.
var Ungated = Gate{Ready: true, Reason: v1alpha1.ReasonNoReadinessGate, Message: "the program sets no readiness gate"}

// UnknownLevelError is a minimumLevel that is not a level of the target's
// model: only a change of the program (or of the model) can help.
type UnknownLevelError struct {
	Level, Model string
	Levels       []string
}

func (e *UnknownLevelError) Error() string {
	return fmt.Sprintf("spec.readiness.minimumLevel %q is not a level of MaturityModel %q (levels: %s)",
		e.Level, e.Model, strings.Join(e.Levels, ", "))
}

// Readiness judges the gate. target names the MaturityTarget, current is its
// status.currentLevel ("" when the business is below the lowest level), and
// levels are the levels of its model, lowest first. A current level the
// model does not have (a status written for an older model) counts as below
// the lowest. The business is ready when it is at or above
// gate.minimumLevel, which must be one of levels.
func Readiness(gate *v1alpha1.ReadinessGate, target, model string, levels []string, current string) (Gate, error) {
	if gate == nil {
		return Ungated, nil
	}
	minimum := slices.Index(levels, gate.MinimumLevel)
	if minimum < 0 {
		return Gate{}, &UnknownLevelError{Level: gate.MinimumLevel, Model: model, Levels: levels}
	}
	at := current
	if slices.Index(levels, current) < 0 {
		at = "below " + levels[0]
	}
	msg := fmt.Sprintf("%s is at %s; %s required", target, at, gate.MinimumLevel)
	if slices.Index(levels, current) >= minimum {
		return Gate{Ready: true, Reason: v1alpha1.ReasonMinimumLevelReached, Message: msg}, nil
	}
	hold := gate.WhileNotReady
	if hold != v1alpha1.WhileNotReadyClosed {
		hold = v1alpha1.WhileNotReadyHoldFirstStage
	}
	return Gate{Hold: hold, Reason: v1alpha1.ReasonBelowMinimumLevel, Message: msg}, nil
}
