package maturity

import (
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// PreviewTarget is one target a model change is previewed against: its
// target level, the metrics it has now, and what else its own pass grades
// it with (campaigns, exemptions), so that a preview differs from the
// target's grading only by the model.
type PreviewTarget struct {
	TargetLevel string
	Metrics     Metrics
	// Previous are the values its rules read through `previous`
	// (PreviousValues of its status).
	Previous Metrics
	// Campaigns are the campaigns selecting the target, in their phase now.
	Campaigns []PhasedCampaign
	// Exemptions are the target's spec.exemptions.
	Exemptions []v1alpha1.Exemption
	// Unavailable says the target's metrics are not all published yet: it
	// is counted as not evaluated.
	Unavailable bool
}

// PreviewResult is what grading every target with the candidate model
// instead of the applied one would change.
type PreviewResult struct {
	Targets, LevelUp, LevelDown, Unchanged, NotEvaluated int
	// TasksToOpen counts the gaps the candidate has that the applied model
	// has not; TasksToResolve the applied model's gaps that the candidate
	// resolves (a gap the candidate cannot judge stays open, as it would).
	TasksToOpen, TasksToResolve int
}

// Preview grades every target with both models and counts the
// differences, without any effect. applied is nil when no generation was
// ever applied: every target then starts from no level and no gaps. A
// target whose target level is not a level of the candidate (applying would
// stall it), or whose metrics are unavailable, is counted as not evaluated.
//
// Levels are compared by position: a change that renames or reorders
// levels is compared as the targets would see it, by where they stand in
// each model's order.
func Preview(applied, candidate *Model, targets []PreviewTarget, now time.Time) PreviewResult {
	res := PreviewResult{Targets: len(targets)}
	for _, t := range targets {
		if t.Unavailable {
			res.NotEvaluated++
			continue
		}
		cand, next, ok := candidate.Grade(t, now)
		if !ok {
			res.NotEvaluated++
			continue
		}
		from := -1
		var prev *Result
		var app *Model
		if applied != nil {
			if m, r, ok := applied.Grade(t, now); ok {
				app, from, prev = m, r.CurrentLevel, &r
			}
		}
		open, resolve := TaskChanges(app, prev, cand, next)
		res.TasksToOpen += open
		res.TasksToResolve += resolve
		switch to := next.CurrentLevel; {
		case to > from:
			res.LevelUp++
		case to < from:
			res.LevelDown++
		default:
			res.Unchanged++
		}
	}
	return res
}

// Grade evaluates t with m as the target's own pass does: with the
// campaigns selecting it merged in, the values of the previous period, and
// its exemptions at now. merged is m with the campaigns (the gaps of r are
// its gaps); ok is false when t's target level is not a level of m.
func (m *Model) Grade(t PreviewTarget, now time.Time) (merged *Model, r Result, ok bool) {
	merged, _ = m.WithCampaigns(t.Campaigns)
	level, ok := merged.LevelIndex(t.TargetLevel)
	if !ok {
		return merged, Result{}, false
	}
	r = merged.EvaluateWithPrevious(t.Metrics, t.Previous, level)
	merged.Exempt(&r, t.Exemptions, now)
	return merged, r, true
}

// TaskChanges counts the gaps (one task each) that grading with candidate
// (evaluated as next) instead of applied (evaluated as prev; nil when the
// target was never graded by it) would open, and those of applied it would
// resolve. A gap the candidate cannot judge stays open, as it would.
func TaskChanges(applied *Model, prev *Result, candidate *Model, next Result) (open, resolve int) {
	prevGaps := map[tasks.Key]bool{}
	var prevKeys []tasks.Key
	if applied != nil && prev != nil {
		for _, g := range Gaps(applied, *prev) {
			prevGaps[g.Key] = true
			prevKeys = append(prevKeys, g.Key)
		}
	}
	nextGaps := map[tasks.Key]bool{}
	for _, g := range Gaps(candidate, next) {
		nextGaps[g.Key] = true
		if !prevGaps[g.Key] {
			open++
		}
	}
	resolver := Resolver(candidate, next)
	for _, k := range prevKeys {
		if !nextGaps[k] && resolver(k).Resolved {
			resolve++
		}
	}
	return open, resolve
}
