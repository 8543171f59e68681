package maturity

import (
	"slices"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Previous is the level a target was at before this evaluation.
type Previous struct {
	// Level is status.currentLevel ("" below the lowest level).
	Level string
	// Evaluated is false before the first evaluation (or after a restore
	// without status): there is no level to hold then.
	Evaluated bool
	// Pending is status.pendingLevel.
	Pending *v1alpha1.PendingLevel
}

// Stabilized is the level in effect after an evaluation.
type Stabilized struct {
	// Level is the index of the level in effect (-1 below the lowest).
	Level int
	// Pending is the change being held back, nil when there is none.
	Pending *v1alpha1.PendingLevel
	// Wait is how long until a duration-based pending change takes effect
	// (0 when nothing waits on time).
	Wait time.Duration
}

// Stabilize decides the level in effect from the evaluated level r.CurrentLevel
// and the previous one, under a target's spec.stabilization policy at now.
// stale says the metrics the evaluation read are stale.
//
// Without a policy the evaluated level takes effect at once, as it always
// did. With one:
//   - a level change (up or down) takes effect once consecutive
//     evaluations agreed on it for policy.evaluations, or for
//     policy.duration since the first of them; until then the previous
//     level stays and Pending says what is coming and since when. An
//     evaluation that finds another level starts the count again.
//   - stale or missing data never lowers the level: while the metrics are
//     stale the level cannot fall, and it falls only as far as rules that
//     failed on known values take it; a rule that is unknown (a metric is
//     missing) holds an objective back from climbing but never drops the
//     business a level it had.
//
// The first evaluation has no previous level: it takes effect at once.
func (m *Model) Stabilize(r Result, prev Previous, policy *v1alpha1.Stabilization, now time.Time, stale bool) Stabilized {
	evaluated := r.CurrentLevel
	if policy == nil || !prev.Evaluated {
		return Stabilized{Level: evaluated}
	}
	held, known := -1, prev.Level == ""
	if !known {
		held = slices.Index(m.levels, prev.Level)
		// A level the model no longer has cannot be held.
		known = held >= 0 && !m.shadowLevels[held]
	}
	if !known {
		return Stabilized{Level: evaluated}
	}
	candidate := evaluated
	if candidate < held {
		if stale {
			candidate = held
		} else {
			candidate = max(candidate, min(held, provenLevel(r, len(m.levels)-1)))
		}
	}
	if candidate == held {
		return Stabilized{Level: held}
	}
	name := nameAt(m.levels, candidate)
	pending := &v1alpha1.PendingLevel{Level: name, Since: metav1.NewTime(now.Truncate(time.Second)), Evaluations: 1}
	if p := prev.Pending; p != nil && p.Level == name {
		pending.Since, pending.Evaluations = p.Since, min(p.Evaluations, maxPendingEvaluations-1)+1
	}
	switch {
	case policy.Evaluations != nil && pending.Evaluations >= *policy.Evaluations:
		return Stabilized{Level: candidate}
	case policy.Duration != nil:
		left := pending.Since.Add(policy.Duration.Duration).Sub(now)
		if left <= 0 {
			return Stabilized{Level: candidate}
		}
		return Stabilized{Level: held, Pending: pending, Wait: left}
	case policy.Evaluations == nil:
		// Neither field: admission refuses it; take effect at once.
		return Stabilized{Level: candidate}
	}
	return Stabilized{Level: held, Pending: pending}
}

// maxPendingEvaluations bounds the count a pending level carries (the
// policy allows at most 100).
const maxPendingEvaluations = 1000

// provenLevel is the highest level the failed rules allow: the lowest level
// an objective counts at when its blocking rule failed on known values. A
// rule that is unknown or cannot run proves nothing.
func provenLevel(r Result, top int) int {
	proven := top
	for i := range r.Objectives {
		o := &r.Objectives[i]
		if o.Blocking != nil && o.Blocking.Result == Failed {
			proven = min(proven, o.Reached)
		}
	}
	return proven
}

// ApplyLevel writes the level in effect into the status, after
// ApplyStatus: currentLevel, nextLevel and pendingLevel.
func ApplyLevel(st *v1alpha1.MaturityTargetStatus, m *Model, s Stabilized) {
	st.CurrentLevel = nameAt(m.levels, s.Level)
	st.NextLevel = nameAt(m.levels, m.NextLevel(s.Level))
	st.PendingLevel = s.Pending
}
