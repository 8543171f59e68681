package support

import (
	"fmt"
	"math"
)

// Lever is a way to close a capacity gap (seed 002: invest in hiring,
// channel expansion or technology).
type Lever string

// The levers, in the order ties between them are broken.
const (
	// LeverHire hires the missing heroes.
	LeverHire Lever = "Hire"
	// LeverDeflect resolves more contacts without a hero: self-service and AI.
	LeverDeflect Lever = "Deflect"
	// LeverShiftChannels moves phone and video contacts to chat, SMS, email
	// and messaging, where a hero holds several at once.
	LeverShiftChannels Lever = "ShiftChannels"
)

// KnownLevers lists the levers in tie-break order.
var KnownLevers = []Lever{LeverHire, LeverDeflect, LeverShiftChannels}

// MaxDeflection is the largest share of contacts a lever may propose to
// resolve without a hero: beyond it customers can hardly reach a person
// (seed 002: AI only with a clear hand-off to a human).
const MaxDeflection = 0.9

// Levers are the three ways to close one capacity gap, each computed alone
// with everything else as it is. Needed shares are rounded up to a whole
// percent, so that each, applied alone, closes the gap.
//
// Proposed is the accepted lever, among the possible ones, that needs the
// smallest relative change of its own figure: hires relative to today's
// heroes (Heroes / heroes; from no heroes, any hire is an unbounded change),
// deflection relative to today's (DeflectionNeeded/DeflectionNow - 1; from
// none, unbounded), the phone and video share relative to today's (the
// share moved, ShiftShare). Ties go to the first in KnownLevers. It is ""
// when no accepted lever closes the gap alone.
type Levers struct {
	// Hire is always possible: Heroes is the gap.
	Hire   LeverOption
	Heroes int

	Deflect LeverOption
	// DeflectionNow is the share of all contacts self-service and AI
	// resolve today; DeflectionNeeded the share that would close the gap
	// (shown even when above MaxDeflection; 1 without heroes).
	DeflectionNow, DeflectionNeeded float64

	Shift LeverOption
	// ShiftShare is the share of phone and video contacts to move, 0..1
	// (0 when not possible); AsyncMinutes is the hero minutes a moved
	// contact costs on the plan's asynchronous mix (handling minutes over
	// concurrency, weighted by share).
	ShiftShare, AsyncMinutes float64

	Proposed Lever
}

// LeverOption says whether a lever closes the gap alone, why not, and the
// relative change it needs (finite; math.MaxFloat64 from zero).
type LeverOption struct {
	Possible bool
	Reason   string
	Change   float64
}

// isAsync reports a channel where a hero may hold several contacts.
func isAsync(c Channel) bool { return c != Phone && c != Video }

// levers computes the levers of a gap of gap heroes at weekly demand
// (contacts per week, before self-service and AI). The team's hours cover
// capacityHours; each lever is solved for the figure that brings the
// needed hours down to them (or, for hires, adds the missing heroes).
func (m model) levers(in Input, demand float64, gap int) *Levers {
	l := &Levers{Heroes: gap, DeflectionNow: Finite(1 - m.heroShare)}
	l.Hire = LeverOption{Possible: true, Change: ratio(float64(gap), float64(in.Heroes))}
	capacityMinutes := Finite(float64(in.Heroes) * m.capacity * 60)
	noHeroes := "the team has no heroes: only hires close the gap"

	// Deflect: demand * (1-deflection) * minutes <= capacity minutes.
	l.DeflectionNeeded = 1
	if in.Heroes > 0 {
		l.DeflectionNeeded = ceilPercent(1 - capacityMinutes/Finite(demand*m.minutes))
	}
	switch {
	case in.Heroes == 0:
		l.Deflect.Reason = noHeroes
	case l.DeflectionNeeded > MaxDeflection:
		l.Deflect.Reason = fmt.Sprintf("needs %.0f%% of contacts resolved without a hero, above the %.0f%% a plan may rely on",
			l.DeflectionNeeded*100, MaxDeflection*100)
	default:
		l.Deflect = LeverOption{Possible: true, Change: ratio(l.DeflectionNeeded-l.DeflectionNow, l.DeflectionNow)}
	}

	// ShiftChannels: moving a share x of phone/video contacts saves
	// x * (pvMinutes - pvShare*AsyncMinutes) minutes per contact.
	var pvShare, pvMinutes, asyncShare, asyncMinutes float64
	for _, c := range in.Channels {
		if isAsync(c.Channel) {
			asyncShare, asyncMinutes = asyncShare+c.Share, asyncMinutes+c.Share*c.HandlingMinutes/c.Concurrency
		} else {
			pvShare, pvMinutes = pvShare+c.Share, pvMinutes+c.Share*c.HandlingMinutes/c.Concurrency
		}
	}
	if asyncShare > 0 {
		l.AsyncMinutes = Finite(asyncMinutes / asyncShare)
	}
	saving := pvMinutes - pvShare*l.AsyncMinutes
	switch {
	case in.Heroes == 0:
		l.Shift.Reason = noHeroes
	case pvShare == 0:
		l.Shift.Reason = "no contacts on phone or video to move"
	case asyncShare == 0:
		l.Shift.Reason = "no chat, SMS, email or messaging in the mix to move contacts to"
	case !(saving > 0):
		l.Shift.Reason = "a contact costs a hero no less on chat, SMS, email and messaging than on phone and video"
	default:
		needed := Finite(m.minutes - capacityMinutes/Finite(demand*m.heroShare))
		if x := ceilPercent(needed / saving); x <= 1 {
			l.ShiftShare = x
			l.Shift = LeverOption{Possible: true, Change: x}
		} else {
			l.Shift.Reason = "moving every phone and video contact is not enough"
		}
	}
	l.Proposed = propose(in.Levers, l)
	return l
}

// propose picks the accepted, possible lever with the smallest change;
// no accepted levers means all.
func propose(accepted []Lever, l *Levers) Lever {
	options := map[Lever]LeverOption{LeverHire: l.Hire, LeverDeflect: l.Deflect, LeverShiftChannels: l.Shift}
	best, bestChange := Lever(""), math.Inf(1)
	for _, lv := range KnownLevers {
		if o := options[lv]; o.Possible && o.Change < bestChange && accepts(accepted, lv) {
			best, bestChange = lv, o.Change
		}
	}
	return best
}

func accepts(accepted []Lever, lv Lever) bool {
	if len(accepted) == 0 {
		return true
	}
	for _, a := range accepted {
		if a == lv {
			return true
		}
	}
	return false
}

// ratio is change/base, math.MaxFloat64 from a zero base.
func ratio(change, base float64) float64 {
	if !(base > 0) {
		return math.MaxFloat64
	}
	return Finite(change / base)
}

// ceilPercent rounds a share up to a whole percent, forgiving float noise
// (0.47000000001 is 47%), and never below 0.
func ceilPercent(x float64) float64 {
	return Finite(max(0, math.Ceil(Finite(x)*100-1e-6)) / 100)
}
