package maturity

import (
	"fmt"
	"strconv"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// maxStatusExemptions is status.exemptions' MaxItems (and spec.exemptions').
const maxStatusExemptions = 50

// Exempt applies a target's exemptions to its evaluation at now. An active
// exemption raises its objective to the target level, so it meets the
// target, opens no task and does not hold the business below the target;
// its rules are still evaluated and reported (Measured, Blocking). An
// exemption lapses at its expiresAt: from then on the objective is judged by
// its rules again. Expired exemptions, and those naming an objective the
// model does not have, change nothing and are reported as such.
//
// It returns the state of every exemption, in spec order, and the earliest
// expiry of an active one (zero when none is active): the caller evaluates
// again at that instant.
func (m *Model) Exempt(r *Result, exemptions []v1alpha1.Exemption, now time.Time) ([]v1alpha1.ExemptionStatus, time.Time) {
	if len(exemptions) == 0 {
		return nil, time.Time{}
	}
	index := make(map[[2]string]int, len(r.Objectives))
	for i := range r.Objectives {
		index[[2]string{r.Objectives[i].Stream, r.Objectives[i].Objective}] = i
	}
	target := m.levels[r.TargetLevel]
	var next time.Time
	states := make([]v1alpha1.ExemptionStatus, 0, min(len(exemptions), maxStatusExemptions))
	for k := range exemptions {
		ex := &exemptions[k]
		st := v1alpha1.ExemptionStatus{Stream: truncate(ex.Stream, maxNameLength), Objective: truncate(ex.Objective, maxNameLength)}
		i, found := index[[2]string{ex.Stream, ex.Objective}]
		expires := ex.ExpiresAt.UTC().Format(time.RFC3339)
		switch {
		case !found:
			st.State = v1alpha1.ExemptionUnknownObjective
			st.Message = fmt.Sprintf("the model has no objective %s/%s: the exemption has no effect", st.Stream, st.Objective)
		case !now.Before(ex.ExpiresAt.Time):
			st.State = v1alpha1.ExemptionExpired
			st.Message = fmt.Sprintf("expired at %s: the objective is judged by its rules again", expires)
		default:
			st.State = v1alpha1.ExemptionActive
			if next.IsZero() || ex.ExpiresAt.Time.Before(next) {
				next = ex.ExpiresAt.Time
			}
			or := &r.Objectives[i]
			if or.Measured >= r.TargetLevel || or.Shadow {
				st.Message = fmt.Sprintf("not needed: the objective meets %s on its own; lapses at %s", target, expires)
				break
			}
			or.Exemption = ex
			or.Reached = max(or.Reached, r.TargetLevel)
			or.ShadowReached = max(or.ShadowReached, r.TargetLevel)
			st.Message = fmt.Sprintf("counts as meeting %s until %s (approved by %s)", target, expires, ex.Approver)
		}
		st.Message = truncate(st.Message, maxMessageLength)
		if len(states) < maxStatusExemptions {
			states = append(states, st)
		}
	}
	m.summarize(r)
	return states, next
}

// NextLevel is the first level above i that is not shadow, len(Levels())
// when there is none.
func (m *Model) NextLevel(i int) int {
	i++
	for i < len(m.levels) && m.shadowLevels[i] {
		i++
	}
	return i
}

// score is status.score: passed/total always, the weighted percent and the
// key objectives below target when the model sets weights or keys.
func score(r Result) *v1alpha1.Score {
	s := &v1alpha1.Score{
		Passed:  int32(r.Passed),
		Total:   int32(r.Total),
		Summary: strconv.Itoa(r.Passed) + "/" + strconv.Itoa(r.Total),
	}
	if !r.Weighted {
		return s
	}
	percent := int32(r.Percent)
	s.Percent = &percent
	for _, i := range r.KeyFailing[:min(len(r.KeyFailing), maxStatusObjectives)] {
		s.KeyFailing = append(s.KeyFailing, v1alpha1.ObjectiveRef{Stream: r.Objectives[i].Stream, Objective: r.Objectives[i].Objective})
	}
	return s
}

// objectiveExemption is the status form of an applied exemption.
func objectiveExemption(ex *v1alpha1.Exemption) *v1alpha1.ObjectiveExemption {
	if ex == nil {
		return nil
	}
	return &v1alpha1.ObjectiveExemption{
		Reason:    truncate(ex.Reason, 256),
		Approver:  truncate(ex.Approver, 128),
		ExpiresAt: ex.ExpiresAt,
	}
}
