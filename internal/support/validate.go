package support

import (
	"fmt"
	"math"
	"strings"
)

// Field paths in the SupportPlan's JSON shape. Items of lists are reported as
// FieldChannels+"[1].share", FieldChannels+"[1].channel",
// FieldPeakSeasons+"[0].end" and so on.
const (
	FieldHeroes            = "spec.team.heroes"
	FieldHoursPerHero      = "spec.team.hoursPerHeroPerWeek"
	FieldTargetUtilisation = "spec.team.targetUtilisation"
	FieldRampUp            = "spec.team.rampUp"
	FieldContactsPerWeek   = "spec.demand.contactsPerWeek"
	FieldYearlyGrowth      = "spec.demand.yearlyGrowth"
	FieldHorizon           = "spec.demand.horizon"
	FieldPeakSeasons       = "spec.peakSeasons"
	FieldChannels          = "spec.channels"
	FieldDeflection        = "spec.selfService.deflection"
	FieldAIContainment     = "spec.ai.containment"
	FieldLevers            = "spec.levers"
	// FieldAIHandoff is the only error about a policy rather than a number:
	// a controller may report it as a condition instead of rejecting the plan.
	FieldAIHandoff = "spec.ai.handoff"
)

// FieldError is one invalid field.
type FieldError struct {
	Field   string
	Message string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Validate returns every problem with the input, in field order; nil when
// the input is valid.
func Validate(in Input) []FieldError {
	v := &validator{}
	v.team(in)
	v.demand(in)
	v.peaks(in.Peaks)
	v.channels(in.Channels)
	v.selfService(in)
	v.levers(in.Levers)
	return v.errs
}

type validator struct{ errs []FieldError }

func (v *validator) add(field, format string, args ...any) {
	v.errs = append(v.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// finite reports a NaN or infinite x and returns whether x is finite.
func (v *validator) Finite(field string, x float64) bool {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		v.add(field, "must be a finite number, got %v", x)
		return false
	}
	return true
}

func (v *validator) nonNegative(field string, x float64) {
	if v.Finite(field, x) && x < 0 {
		v.add(field, "must not be negative, got %v", x)
	}
}

// atMost reports a finite x above limit (finite reports the others).
func (v *validator) atMost(field string, x, limit float64) {
	if !math.IsInf(x, 0) && x > limit {
		v.add(field, "must be at most %v, got %v", limit, x)
	}
}

func (v *validator) unitInterval(field string, x float64) {
	if v.Finite(field, x) && (x < 0 || x > 1) {
		v.add(field, "must be between 0 and 1, got %v", x)
	}
}

func (v *validator) team(in Input) {
	if in.Heroes < 0 {
		v.add(FieldHeroes, "must not be negative, got %d", in.Heroes)
	}
	if h := in.HoursPerHeroPerWeek; v.Finite(FieldHoursPerHero, h) && (h <= 0 || h > HoursPerWeek) {
		v.add(FieldHoursPerHero, "must be more than 0 and at most %d (the hours in a week), got %v", HoursPerWeek, h)
	}
	if u := in.TargetUtilisation; v.Finite(FieldTargetUtilisation, u) && (u < 0 || u > 1) {
		v.add(FieldTargetUtilisation, "must be more than 0 and at most 1 (0 means the default %v), got %v", DefaultTargetUtilisation, u)
	}
	if in.RampUp < 0 {
		v.add(FieldRampUp, "must not be negative, got %v", in.RampUp)
	}
}

func (v *validator) demand(in Input) {
	v.nonNegative(FieldContactsPerWeek, in.ContactsPerWeek)
	v.atMost(FieldContactsPerWeek, in.ContactsPerWeek, MaxContactsPerWeek)
	if g := in.YearlyGrowth; v.Finite(FieldYearlyGrowth, g) && g <= -1 {
		v.add(FieldYearlyGrowth, "must be more than -1 (-100%%), got %v", g)
	}
	v.atMost(FieldYearlyGrowth, in.YearlyGrowth, MaxYearlyGrowth)
	if in.Horizon < 0 || in.Horizon > MaxHorizon {
		v.add(FieldHorizon, "must be between 0 (the default, %v) and %v, got %v", DefaultHorizon, MaxHorizon, in.Horizon)
	}
}

func (v *validator) channels(chs []ChannelMix) {
	if len(chs) == 0 {
		v.add(FieldChannels, "at least one channel is required")
		return
	}
	seen := make(map[Channel]int, len(chs))
	sum, sumOK := 0.0, true
	for i, c := range chs {
		path := fmt.Sprintf("%s[%d]", FieldChannels, i)
		switch j, dup := seen[c.Channel]; {
		case !isKnown(c.Channel):
			v.add(path+".channel", "unknown channel %q, must be one of %s", c.Channel, knownList())
		case dup:
			v.add(path+".channel", "duplicate channel %q (also %s[%d])", c.Channel, FieldChannels, j)
		default:
			seen[c.Channel] = i
		}
		if v.Finite(path+".share", c.Share) {
			sum += c.Share
			if c.Share < 0 || c.Share > 1 {
				v.add(path+".share", "must be between 0 and 1, got %v", c.Share)
			}
		} else {
			sumOK = false
		}
		v.nonNegative(path+".handlingMinutes", c.HandlingMinutes)
		v.atMost(path+".handlingMinutes", c.HandlingMinutes, MaxHandlingMinutes)
		if k := c.Concurrency; v.Finite(path+".concurrency", k) && k != 0 && k < 1 {
			v.add(path+".concurrency", "must be at least 1 (0 means 1), got %v", k)
		}
		v.atMost(path+".concurrency", c.Concurrency, MaxConcurrency)
	}
	if sumOK && math.Abs(sum-1) > ShareTolerance {
		v.add(FieldChannels, "shares sum to %.4g, they must sum to 1 (within %v)", sum, ShareTolerance)
	}
}

func (v *validator) selfService(in Input) {
	v.unitInterval(FieldDeflection, in.Deflection)
	v.unitInterval(FieldAIContainment, in.AIContainment)
	if in.AIEnabled && !in.HandoffConfigured {
		v.add(FieldAIHandoff, "AI is enabled without a hand-off to a human hero; configure the hand-off or disable AI")
	}
}

func isKnown(c Channel) bool {
	for _, k := range KnownChannels {
		if c == k {
			return true
		}
	}
	return false
}

func knownList() string {
	names := make([]string, len(KnownChannels))
	for i, k := range KnownChannels {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

func (v *validator) levers(levers []Lever) {
	seen := make(map[Lever]int, len(levers))
	for i, lv := range levers {
		path := fmt.Sprintf("%s[%d]", FieldLevers, i)
		j, dup := seen[lv]
		switch {
		case lv != LeverHire && lv != LeverDeflect && lv != LeverShiftChannels:
			v.add(path, "unknown lever %q, must be one of %s, %s, %s", lv, LeverHire, LeverDeflect, LeverShiftChannels)
		case dup:
			v.add(path, "duplicate lever %q (also %s[%d])", lv, FieldLevers, j)
		default:
			seen[lv] = i
		}
	}
}
