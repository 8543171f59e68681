package maturity

import (
	"slices"
	"unicode/utf8"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Limits of the MaturityTargetStatus schema. Capping here keeps a large or
// odd model from producing a status the API server rejects, which would
// leave the target stuck on its last status.
const (
	maxStatusBlockedBy   = 200
	maxStatusObjectives  = 200
	maxStatusStallCauses = 20
	maxStatusMissing     = 100
	maxRuleValues        = 16
	maxValueLength       = 256
	maxRuleLength        = 1024
	maxMessageLength     = 512
	maxNameLength        = 63
	// maxMissingLength fits "previous." and a metric name.
	maxMissingLength = 72
)

// ApplyStatus writes the evaluation into the status fields it owns:
// currentLevel ("" below the lowest level), nextLevel ("" at the top),
// score, blockedBy, objectives with their blocking rules, objectivesOmitted,
// blockingOmitted, stallCauses and missingMetrics. It does not touch conditions, history,
// trend, tasks or observedGeneration. Empty lists are nil, as they read
// back from the API server, so an unchanged result compares equal to the
// stored status and a no-op reconcile writes nothing.
//
// Each blocking rule is written once, in its objective; blockedBy only
// names the objectives at the current level. The rule details share
// TargetDetailBudget: the objectives furthest behind get theirs first
// (model order among equals), and blockingOmitted counts those left out.
func ApplyStatus(st *v1alpha1.MaturityTargetStatus, m *Model, r Result) {
	levels := m.Levels()
	st.CurrentLevel = nameAt(levels, r.CurrentLevel)
	st.NextLevel = nameAt(levels, m.NextLevel(r.CurrentLevel))
	st.Score = score(r)

	st.BlockedBy = nil
	for i := range r.Blocking[:min(len(r.Blocking), maxStatusBlockedBy)] {
		st.BlockedBy = append(st.BlockedBy, v1alpha1.ObjectiveRef{Stream: r.Blocking[i].Stream, Objective: r.Blocking[i].Objective})
	}

	objs := r.Objectives[:min(len(r.Objectives), maxStatusObjectives)]
	st.ObjectivesOmitted = int32(len(r.Objectives) - len(objs))
	st.Objectives = nil
	if len(objs) > 0 {
		st.Objectives = make([]v1alpha1.ObjectiveResult, len(objs))
	}
	for i := range objs {
		o := &objs[i]
		st.Objectives[i] = v1alpha1.ObjectiveResult{
			Stream:       o.Stream,
			Objective:    o.Objective,
			Owner:        o.Owner,
			ReachedLevel: nameAt(levels, o.Measured),
			MeetsTarget:  o.Reached >= r.TargetLevel,
			Exemption:    objectiveExemption(o.Exemption),
			Shadow:       o.Shadow,
		}
	}
	st.BlockingOmitted = attachBlocking(st.Objectives, m, objs)
	st.Shadow = nil
	if r.HasShadow {
		st.Shadow = &v1alpha1.ShadowSummary{CurrentLevel: nameAt(levels, r.ShadowLevel), Objectives: int32(r.ShadowObjectives)}
	}

	st.StallCauses = nil
	for i, c := range r.StallCauses {
		if i == maxStatusStallCauses {
			break
		}
		st.StallCauses = append(st.StallCauses, v1alpha1.StallCauseCount{Name: c.Name, FailingObjectives: int32(c.FailingObjectives)})
	}

	st.MissingMetrics, st.MissingMetricsOmitted = capNames(r.Missing, maxStatusMissing)
}

// attachBlocking gives each objective its blocking rule while the details
// fit in TargetDetailBudget, the objectives furthest behind first, and
// returns how many were left out.
func attachBlocking(out []v1alpha1.ObjectiveResult, m *Model, objs []ObjectiveResult) int32 {
	order := make([]int, 0, len(objs))
	for i := range objs {
		if objs[i].Blocking != nil {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return objs[a].Reached - objs[b].Reached })
	outs := make([]*RuleOutcome, len(order))
	for k, i := range order {
		outs[k] = objs[i].Blocking
	}
	fitted, omitted := fit(m.Levels(), outs, len(outs), TargetDetailBudget)
	budget := TargetDetailBudget
	for k, i := range order {
		out[i].Blocking = fitted[k]
		if fitted[k] != nil {
			budget -= outcomeSize(fitted[k])
		}
	}
	// Shadow rules come after every blocking rule: they change nothing,
	// so they get what the budget has left, in model order.
	order, outs = order[:0], outs[:0]
	for i := range objs {
		if objs[i].ShadowBlocking != nil {
			order = append(order, i)
			outs = append(outs, objs[i].ShadowBlocking)
		}
	}
	fitted, shadowOmitted := fit(m.Levels(), outs, len(outs), budget)
	for k, i := range order {
		out[i].ShadowBlocking = fitted[k]
	}
	return omitted + shadowOmitted
}

func toAPIRuleOutcome(levels []string, ro *RuleOutcome) v1alpha1.RuleOutcome {
	return v1alpha1.RuleOutcome{
		Stream:    ro.Stream,
		Objective: ro.Objective,
		Level:     nameAt(levels, ro.Level),
		Rule:      truncate(ro.Rule, maxRuleLength),
		Result:    string(ro.Result),
		Message:   truncate(ro.Message, maxMessageLength),
		Values:    capList(ro.Values, maxRuleValues, maxValueLength),
		Missing:   capList(ro.Missing, maxRuleValues, maxMissingLength),
	}
}

// capNames copies at most n metric names, each cut to the schema's length,
// and counts the others. Only names from computed keys can be too long:
// Compile rejects rules that read a longer constant name.
func capNames(names []string, n int) ([]string, int32) {
	if len(names) == 0 {
		return nil, 0
	}
	out := make([]string, 0, min(len(names), n))
	for _, s := range names[:min(len(names), n)] {
		out = append(out, truncate(s, maxNameLength))
	}
	return out, int32(len(names) - len(out))
}

// nameAt returns the level name at i, or "" outside the levels (below the
// lowest, above the top).
func nameAt(levels []string, i int) string {
	if i < 0 || i >= len(levels) {
		return ""
	}
	return levels[i]
}

// truncate cuts s to at most n characters (the schema counts characters,
// and cutting on a rune boundary keeps the string valid UTF-8).
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}
