package maturity

import (
	"slices"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// DefaultHistoryLength is the number of history entries the status keeps
// (status.history MaxItems).
const DefaultHistoryLength = 20

// Trends reported in status.trend.
const (
	TrendImproving = "Improving"
	TrendDeclining = "Declining"
	TrendSteady    = "Steady"
)

// RecordHistory appends e only when its level or passed count differs from
// the last entry, so a periodic re-evaluation that changes nothing writes
// nothing (the entry's time alone would otherwise make every reconcile a
// status update). It keeps the newest max entries (DefaultHistoryLength
// when max <= 0), oldest first. levels is accepted for symmetry with Trend;
// entries are compared by name, so a renamed level still counts as a change.
// The input slice is never modified.
func RecordHistory(h []v1alpha1.HistoryEntry, e v1alpha1.HistoryEntry, levels []string, max int) []v1alpha1.HistoryEntry {
	_ = levels
	if max <= 0 {
		max = DefaultHistoryLength
	}
	if n := len(h); n > 0 && h[n-1].Level == e.Level && h[n-1].Passed == e.Passed {
		if n <= max {
			return h
		}
		return slices.Clone(h[n-max:])
	}
	keep := h
	if len(keep) >= max {
		keep = keep[len(keep)-max+1:]
	}
	out := make([]v1alpha1.HistoryEntry, 0, len(keep)+1)
	out = append(out, keep...)
	return append(out, e)
}

// Trend compares the last two history entries, by level first and then by
// passed count: a business that climbs a level while its score drops (a
// harder level is now in view) is still improving.
//
// A level name the model no longer has (it was renamed or removed) cannot
// be ordered, so such a pair is compared by passed count only. With fewer
// than two entries the trend is Steady.
func Trend(h []v1alpha1.HistoryEntry, levels []string) string {
	if len(h) < 2 {
		return TrendSteady
	}
	prev, last := h[len(h)-2], h[len(h)-1]
	pi, pok := historyLevel(prev.Level, levels)
	li, lok := historyLevel(last.Level, levels)
	if pok && lok && pi != li {
		if li > pi {
			return TrendImproving
		}
		return TrendDeclining
	}
	switch {
	case last.Passed > prev.Passed:
		return TrendImproving
	case last.Passed < prev.Passed:
		return TrendDeclining
	}
	return TrendSteady
}

// historyLevel orders a recorded level: "" is below the lowest level.
func historyLevel(name string, levels []string) (int, bool) {
	if name == "" {
		return -1, true
	}
	i := slices.Index(levels, name)
	return i, i >= 0
}
