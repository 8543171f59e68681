// Package partners judges a partner program (seed 003): each partner's
// phase, first-come-first-served admission into the current expansion
// stage, the scalability metrics with their samples, when the next stage
// opens, the structural risks, and the tasks that close the gaps. It is
// pure: no client, no clock; now is always an input.
package partners

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Day is 24 hours: windows are counted in days of wall-clock time.
const Day = 24 * time.Hour

// Defaults of the program's optional durations and sample size, as the CRD
// defaults them; applied here too so a spec built in code (or one the API
// server did not default) is judged the same way.
const (
	DefaultActivationWindow = 30 * Day
	DefaultRetentionWindow  = 90 * Day
	DefaultValidationWindow = 30 * Day
	DefaultTargetDuration   = 14 * Day
	DefaultMinSample        = 5
)

// StageOpen is the stage of a program in Open mode.
const StageOpen = "open"

func activationWindow(prog *v1alpha1.PartnerProgramSpec) time.Duration {
	return durationOr(prog.Targets.ActivationWindow, DefaultActivationWindow)
}

func retentionWindow(prog *v1alpha1.PartnerProgramSpec) time.Duration {
	return durationOr(prog.Targets.RetentionWindow, DefaultRetentionWindow)
}

func validationWindow(prog *v1alpha1.PartnerProgramSpec) time.Duration {
	return durationOr(prog.Expansion.ValidationWindow, DefaultValidationWindow)
}

func targetDuration(prog *v1alpha1.PartnerProgramSpec) time.Duration {
	return durationOr(prog.Onboarding.TargetDuration, DefaultTargetDuration)
}

func minSample(prog *v1alpha1.PartnerProgramSpec) int {
	if m := prog.Targets.MinSample; m != nil && *m >= 1 {
		return int(*m)
	}
	return DefaultMinSample
}

// durationOr is d, or def when d is unset or negative.
func durationOr(d *metav1.Duration, def time.Duration) time.Duration {
	if d == nil || d.Duration < 0 {
		return def
	}
	return d.Duration
}

// round4 rounds x to 0.0001 so values in the status do not flap on noise.
func round4(x float64) float64 { return roundTo(x, 1e4) }

// roundTo rounds x to 1/scale. From 1e15 on a float64 has no fraction
// left worth rounding and x*scale could overflow near the largest float,
// so x is kept as it is; so are NaN and the infinities.
func roundTo(x, scale float64) float64 {
	if !(math.Abs(x) < 1e15) {
		return x
	}
	return math.Round(x*scale) / scale
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// overflowNote explains a metric whose value, or a total behind it, is
// beyond the range of a number: it is left out rather than shown as a
// huge made-up figure (JSON cannot carry an infinity either).
const overflowNote = "overflow: too large to compute"

// formatNumber writes x as briefly as possible, in at most 32 characters
// (the status' limit for a target); a total that overflowed is
// "overflow", never "+Inf".
func formatNumber(x float64) string {
	if !finite(x) {
		return "overflow"
	}
	if s := strconv.FormatFloat(x, 'f', -1, 64); len(s) <= 32 {
		return s
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// days writes d in days with at most one decimal: "14", "1.5".
func days(d time.Duration) string {
	return strconv.FormatFloat(math.Round(d.Hours()/24*10)/10, 'f', -1, 64)
}

// pct writes a rate as a percentage with at most one decimal: "42%", "1.5%".
func pct(rate float64) string {
	return strconv.FormatFloat(math.Round(rate*1000)/10, 'f', -1, 64) + "%"
}

// truncate cuts s to at most n bytes on a rune boundary, ending in "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// latest is the later of two optional times; nil when both are unset.
func latest(a, b *metav1.Time) *metav1.Time {
	switch {
	case a == nil:
		return b
	case b == nil || a.After(b.Time):
		return a
	}
	return b
}

// shown is a measured duration as the status shows it: rounded up to whole
// minutes, so that it meets a limit of whole minutes (a target, a window)
// exactly when the measured one does, and never negative.
func shown(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	r := d.Truncate(time.Minute)
	if r < d && r <= math.MaxInt64-time.Minute {
		r += time.Minute
	}
	return r
}
