package partners

import (
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// State is a partner's derived state.
type State struct {
	Phase v1alpha1.PartnerPhase
	// Completed counts the program's steps the partner completed, of Steps.
	Completed, Steps int
	// Onboarded is true once every step is completed, at OnboardedAt (the
	// latest completion).
	Onboarded   bool
	OnboardedAt *time.Time
	// TimeToActivation is the time from joining to the first contribution
	// as the status shows it (rounded up to whole minutes); nil before it.
	TimeToActivation *time.Duration
}

// Derive computes a partner's phase, in this order:
//   - Churned when activity.leftAt is at or before now;
//   - Waitlisted while the program has not admitted the partner;
//   - Onboarding until every step of the program is completed;
//   - Active when the partner has contributed (firstContributionAt set)
//     and its latest activity (the later of lastActivityAt and
//     firstContributionAt) is at most the activation window before now,
//     so exactly 30 days ago is still Active;
//   - Inactive otherwise.
//
// Steps the program does not have and repeated steps are not counted (the
// partner fails Validate for them anyway).
func Derive(p *v1alpha1.Partner, prog *v1alpha1.PartnerProgramSpec, admitted bool, now time.Time) State {
	s := State{Steps: len(prog.Onboarding.Steps)}
	joined := p.Spec.JoinedAt.Time
	var last time.Time
	for i, c := range p.Spec.Onboarding.Completed {
		if stepIndex(prog, c.Step) < 0 || firstWithStep(p.Spec.Onboarding.Completed, c.Step) < i {
			continue
		}
		s.Completed++
		if c.At.After(last) {
			last = c.At.Time
		}
	}
	if s.Completed == s.Steps {
		s.Onboarded = true
		if s.Steps == 0 {
			last = joined // nothing to complete: onboarded on joining
		}
		s.OnboardedAt = &last
	}
	a := p.Spec.Activity
	if a.FirstContributionAt != nil {
		d := shown(a.FirstContributionAt.Sub(joined))
		s.TimeToActivation = &d
	}
	switch {
	case a.LeftAt != nil && !a.LeftAt.After(now):
		s.Phase = v1alpha1.PhaseChurned
	case !admitted:
		s.Phase = v1alpha1.PhaseWaitlisted
	case !s.Onboarded:
		s.Phase = v1alpha1.PhaseOnboarding
	case a.FirstContributionAt != nil && now.Sub(latest(a.FirstContributionAt, a.LastActivityAt).Time) <= activationWindow(prog):
		s.Phase = v1alpha1.PhaseActive
	default:
		s.Phase = v1alpha1.PhaseInactive
	}
	return s
}

// nextStep is the index of the first program step the partner has not
// completed, -1 when it completed them all.
func nextStep(p *v1alpha1.Partner, prog *v1alpha1.PartnerProgramSpec) int {
	for i := range prog.Onboarding.Steps {
		if firstWithStep(p.Spec.Onboarding.Completed, prog.Onboarding.Steps[i].Name) < 0 {
			return i
		}
	}
	return -1
}
