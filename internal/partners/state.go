package partners

import (
	"fmt"
	"math"
	"strconv"
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
	// Reason says why the partner is in Phase, from the facts that decided
	// it, in days: "no contribution for 62 days; Inactive after 60".
	Reason string
}

// Admission is what the program decided about a partner's seat: whether it
// admitted the partner and, for the reason of a partner it has not, the
// seats of its current stage.
type Admission struct {
	// Admitted: the program admitted the partner (status.admittedAt).
	Admitted bool
	// Stage is the program's current stage and Capacity its seats (0:
	// unlimited, or unknown before the program's first pass).
	Stage    string
	Capacity int
	// HeldBy is the program's readiness message while its gate holds the
	// expansion ("acme-shop is at GrowingPains; HighPerformance required");
	// Closed says the gate admits no one.
	HeldBy string
	Closed bool
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
	return Assess(p, prog, Admission{Admitted: admitted}, now)
}

// Assess is Derive with the program's seats, and the one place a phase is
// decided: the phase and its Reason come from the same facts in the same
// switch, so they cannot disagree. Durations are whole days of the clock's
// now (a partial day does not count), and the window a partner is judged
// against is written in days too.
func Assess(p *v1alpha1.Partner, prog *v1alpha1.PartnerProgramSpec, adm Admission, now time.Time) State {
	admitted := adm.Admitted
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
	window := activationWindow(prog)
	switch {
	case a.LeftAt != nil && !a.LeftAt.After(now):
		s.Phase = v1alpha1.PhaseChurned
		s.Reason = "left " + daysAgo(now.Sub(a.LeftAt.Time))
	case !admitted:
		s.Phase = v1alpha1.PhaseWaitlisted
		s.Reason = waitlistReason(adm)
	case !s.Onboarded:
		s.Phase = v1alpha1.PhaseOnboarding
		// The onboarding clock of the onboarding metrics: in a Gradual
		// program it starts at admission for a partner that waited idle.
		start := joined
		if prog.Expansion.Mode == v1alpha1.ExpansionGradual {
			start = clockStart(p)
		}
		s.Reason = fmt.Sprintf("onboarding for %s: %d of %d steps done", wholeDays(now.Sub(start)), s.Completed, s.Steps)
	case a.FirstContributionAt != nil && now.Sub(latest(a.FirstContributionAt, a.LastActivityAt).Time) <= window:
		s.Phase = v1alpha1.PhaseActive
		s.Reason = fmt.Sprintf("last contribution %s; Inactive after %s", daysAgo(now.Sub(latest(a.FirstContributionAt, a.LastActivityAt).Time)), days(window))
	case a.FirstContributionAt != nil:
		s.Phase = v1alpha1.PhaseInactive
		s.Reason = fmt.Sprintf("no contribution for %s; Inactive after %s", daysOver(now.Sub(latest(a.FirstContributionAt, a.LastActivityAt).Time), window), days(window))
	default:
		s.Phase = v1alpha1.PhaseInactive
		s.Reason = fmt.Sprintf("no contribution yet, onboarded %s", daysAgo(now.Sub(*s.OnboardedAt)))
	}
	s.Reason = truncate(s.Reason, 256)
	return s
}

// waitlistReason says what keeps a partner the program has not admitted
// waiting: the readiness gate, or the seats of the current stage. It names
// no count of seats taken: that changes with every other partner's
// admission, and a reason that did would rewrite every waitlisted partner's
// status, and wake its program, on each one.
func waitlistReason(adm Admission) string {
	switch {
	case adm.HeldBy != "" && (adm.Closed || adm.Capacity == 0):
		return "waitlisted: the program admits no one until the business is ready (" + adm.HeldBy + ")"
	case adm.HeldBy != "":
		return fmt.Sprintf("waitlisted: the program holds its first stage's %d seats, all taken, until the business is ready (%s)",
			adm.Capacity, adm.HeldBy)
	case adm.Stage != "" && adm.Capacity > 0:
		return fmt.Sprintf("waitlisted: program at stage %s admits %d, all taken", adm.Stage, adm.Capacity)
	}
	return "waitlisted: waiting for a seat in the program's current stage"
}

// wholeDays writes d as whole days, a partial day not counted: "0 days",
// "1 day", "62 days". A negative d (a date in the future) is 0 days.
func wholeDays(d time.Duration) string {
	n := int64(max(d, 0) / Day)
	if n == 1 {
		return "1 day"
	}
	return strconv.FormatInt(n, 10) + " days"
}

// daysAgo is "today" for less than a day, otherwise "N days ago".
func daysAgo(d time.Duration) string {
	if d < Day {
		return "today"
	}
	return wholeDays(d) + " ago"
}

// daysOver writes a time d that is longer than window in days: whole days,
// or with the tenth of a day that shows it is past the window when whole
// days would not ("30.1 days" past a 30-day window).
func daysOver(d, window time.Duration) string {
	if whole := d.Truncate(Day); whole > window {
		return wholeDays(d)
	}
	tenths := math.Ceil(d.Hours() / 2.4)
	return strconv.FormatFloat(tenths/10, 'f', -1, 64) + " days"
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
