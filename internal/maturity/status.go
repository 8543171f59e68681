package maturity

import (
	"strconv"
	"unicode/utf8"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Limits of the MaturityTargetStatus schema. Capping here keeps a large or
// odd model from producing a status the API server rejects, which would
// leave the target stuck on its last status.
const (
	maxStatusBlocking    = 200
	maxStatusObjectives  = 200
	maxStatusStallCauses = 20
	maxStatusMissing     = 100
	maxRuleValues        = 16
	maxValueLength       = 256
	maxRuleLength        = 1024
	maxMessageLength     = 512
	maxNameLength        = 63
)

// ApplyStatus writes the evaluation into the status fields it owns:
// currentLevel ("" below the lowest level), nextLevel ("" at the top),
// score, blocking, objectives, stallCauses and missingMetrics. It does not
// touch conditions, history, trend, tasks or observedGeneration. Empty lists
// are nil, as they read back from the API server, so an unchanged result
// compares equal to the stored status and a no-op reconcile writes nothing.
func ApplyStatus(st *v1alpha1.MaturityTargetStatus, m *Model, r Result) {
	levels := m.Levels()
	st.CurrentLevel = nameAt(levels, r.CurrentLevel)
	st.NextLevel = nameAt(levels, r.CurrentLevel+1)
	st.Score = &v1alpha1.Score{
		Passed:  int32(r.Passed),
		Total:   int32(r.Total),
		Summary: strconv.Itoa(r.Passed) + "/" + strconv.Itoa(r.Total),
	}

	st.Blocking = nil
	for i := range r.Blocking {
		if i == maxStatusBlocking {
			break
		}
		st.Blocking = append(st.Blocking, toAPIRuleOutcome(levels, &r.Blocking[i]))
	}

	st.Objectives = nil
	for i := range r.Objectives {
		if i == maxStatusObjectives {
			break
		}
		o := &r.Objectives[i]
		out := v1alpha1.ObjectiveResult{
			Stream:       o.Stream,
			Objective:    o.Objective,
			Owner:        o.Owner,
			ReachedLevel: nameAt(levels, o.Reached),
			MeetsTarget:  o.Reached >= r.TargetLevel,
		}
		if o.Blocking != nil {
			b := toAPIRuleOutcome(levels, o.Blocking)
			out.Blocking = &b
		}
		st.Objectives = append(st.Objectives, out)
	}

	st.StallCauses = nil
	for i, c := range r.StallCauses {
		if i == maxStatusStallCauses {
			break
		}
		st.StallCauses = append(st.StallCauses, v1alpha1.StallCauseCount{Name: c.Name, FailingObjectives: int32(c.FailingObjectives)})
	}

	st.MissingMetrics = capNames(r.Missing, maxStatusMissing)
}

func toAPIRuleOutcome(levels []string, ro *RuleOutcome) v1alpha1.RuleOutcome {
	out := v1alpha1.RuleOutcome{
		Stream:    ro.Stream,
		Objective: ro.Objective,
		Level:     nameAt(levels, ro.Level),
		Rule:      truncate(ro.Rule, maxRuleLength),
		Result:    string(ro.Result),
		Message:   truncate(ro.Message, maxMessageLength),
		Missing:   capNames(ro.Missing, maxRuleValues),
	}
	for i, v := range ro.Values {
		if i == maxRuleValues {
			break
		}
		out.Values = append(out.Values, truncate(v, maxValueLength))
	}
	return out
}

// capNames copies at most n metric names, each cut to the schema's length.
// Only names from computed keys can be too long: Compile rejects rules that
// read a longer constant name.
func capNames(names []string, n int) []string {
	if len(names) == 0 {
		return nil
	}
	out := make([]string, 0, min(len(names), n))
	for _, s := range names[:min(len(names), n)] {
		out = append(out, truncate(s, maxNameLength))
	}
	return out
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
