package maturity

import (
	"slices"
	"strconv"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Metric is one known value and the MetricSource it came from, so a
// blocking rule can say where the number it read was reported.
type Metric struct {
	Value  float64
	Source string
}

// Metrics are the values a business has, by metric name.
type Metrics map[string]Metric

// Outcome is the result of one rule.
type Outcome string

// Rule outcomes. Only Passed lets an objective climb: a rule that cannot be
// decided (Unknown) or cannot run (Error) blocks like a failing one, so a
// missing number never counts as success.
const (
	Passed  Outcome = "Passed"
	Failed  Outcome = "Failed"
	Unknown Outcome = "Unknown"
	Error   Outcome = "Error"
)

// RuleOutcome is a rule that did not pass, with what it saw.
type RuleOutcome struct {
	Stream, Objective string
	// Level is the index into Levels() of the level the rule guards.
	Level int
	Rule  string
	// Result is Failed, Unknown or Error.
	Result Outcome
	// Values are the metrics the rule read, as "name=value (source)",
	// sorted by name.
	Values []string
	// Missing are the metrics the rule reads that are absent, sorted.
	Missing []string
	// Message is the runtime error of an Error result, on one line.
	Message string
}

// ObjectiveResult is where one objective stands.
type ObjectiveResult struct {
	Stream, Objective string
	Owner             v1alpha1.OwnerRole
	// Causes are the model's stall causes for the objective (shared with
	// the Model: read-only).
	Causes []string
	// Reached is the level the objective counts at: the highest level
	// index L such that the objective's criteria for every level <= L pass
	// (-1 if level 0 does not pass), shadow rules and levels left out, and
	// raised to the target level by an active exemption.
	Reached int
	// Measured is Reached before any exemption: what the rules say.
	Measured int
	// Blocking is the first non-passing criterion above Measured that is
	// not shadow, nil when there is none.
	Blocking *RuleOutcome
	// Exemption is the active exemption that raised Reached, if any.
	Exemption *v1alpha1.Exemption
	// Shadow is true for an objective the model marks shadow.
	Shadow bool
	// ShadowReached is the level the objective would reach if shadow rules
	// and levels counted; ShadowBlocking is the shadow rule that stops it
	// below Reached, nil when no shadow rule does.
	ShadowReached  int
	ShadowBlocking *RuleOutcome
	// Campaigns are, per campaign whose rules are not yet part of the
	// level (Scheduled or Active), the first of its rules the objective
	// does not pass.
	Campaigns []CampaignOutcome
}

// CauseCount ranks a stall cause by the objectives below target that list it.
type CauseCount struct {
	Name              string
	FailingObjectives int
}

// Result is the evaluation of a whole model for one business.
type Result struct {
	// CurrentLevel is the lowest Reached over all objectives (-1 possible);
	// with zero objectives it is the top level.
	CurrentLevel int
	// TargetLevel is the level index evaluated against, clamped into the
	// model's levels.
	TargetLevel int
	// Objectives are in model order.
	Objectives []ObjectiveResult
	// Blocking are the blocking rules of the objectives whose Reached is
	// CurrentLevel: what keeps the business from CurrentLevel+1. Empty at
	// the top.
	Blocking []RuleOutcome
	// StallCauses count, per cause, the objectives below target that list
	// it; sorted by count descending, then name; zero counts omitted.
	StallCauses []CauseCount
	// Passed counts objectives with Reached >= TargetLevel; Total all but
	// shadow objectives.
	Passed, Total int
	// Percent is the weighted share of Passed in Total, rounded down (100
	// with no objective); Weighted says the model sets weights or keys.
	Percent  int
	Weighted bool
	// KeyFailing are the indexes into Objectives of the key objectives
	// below TargetLevel, in model order.
	KeyFailing []int
	// ShadowLevel is the level the business would be at if shadow rules
	// and levels counted; ShadowObjectives counts the objectives a shadow
	// rule holds back. HasShadow says the model has shadow rules at all.
	ShadowLevel      int
	ShadowObjectives int
	HasShadow        bool
	// Missing are the metrics absent from the input that any rule of the
	// model reads, sorted and unique. It covers every rule, not only those
	// evaluated before an objective stopped climbing, so that one fix of
	// the metric sources does not reveal the next missing metric later.
	Missing []string
}

// TargetMet reports whether every objective reaches the target level.
func (r Result) TargetMet() bool { return r.CurrentLevel >= r.TargetLevel }

// Evaluate runs the model's rules against metrics. It compiles nothing and
// is safe for concurrent use. A targetLevel outside the model's levels is
// clamped, so callers indexing Levels() with TargetLevel cannot go out of
// range.
func (m *Model) Evaluate(metrics Metrics, targetLevel int) Result {
	return m.EvaluateWithPrevious(metrics, nil, targetLevel)
}

// EvaluateWithPrevious is Evaluate with the values rules read through
// `previous` (PreviousValues); Evaluate has none, so such reads are
// unknown.
func (m *Model) EvaluateWithPrevious(metrics, previous Metrics, targetLevel int) Result {
	top := len(m.levels) - 1
	target := max(0, min(targetLevel, top))
	ev := newEvaluator(metrics, previous, len(m.objectives))
	res := Result{
		TargetLevel: target,
		Objectives:  make([]ObjectiveResult, len(m.objectives)),
		Weighted:    m.weighted,
		HasShadow:   m.hasShadow,
	}
	for i := range m.objectives {
		o := &m.objectives[i]
		or := &res.Objectives[i]
		*or = ObjectiveResult{Stream: o.stream, Objective: o.name, Owner: o.owner, Causes: o.causes, Shadow: o.shadow,
			Reached: -1, ShadowReached: -1}
	climb:
		for level, r := range o.byLevel {
			for ; r != nil; r = r.next {
				out := ev.eval(r)
				if out.outcome == Passed {
					continue
				}
				if !r.shadow {
					or.Blocking = ev.describe(o, r, out)
					break climb
				}
				var d *RuleOutcome
				if or.ShadowBlocking == nil {
					// A shadow rule is reported, and the objective climbs on.
					d = ev.describe(o, r, out)
					or.ShadowBlocking = d
					or.ShadowReached = level - 1
				}
				if r.campaign > 0 && or.campaignOutcome(r.campaign-1) == nil {
					if d == nil {
						d = ev.describe(o, r, out)
					}
					or.Campaigns = append(or.Campaigns, CampaignOutcome{Campaign: r.campaign - 1, Rule: d})
				}
			}
			or.Reached = level
		}
		if or.ShadowBlocking == nil {
			or.ShadowReached = or.Reached
		}
		// An objective never rests on a shadow level: it counts at the
		// highest level below it that is not shadow.
		or.Reached = m.floorLevel(or.Reached)
		or.Measured = or.Reached
	}
	m.summarize(&res)
	res.Missing = m.missing(metrics, ev.dynamicMissing)
	return res
}

// summarize derives the business's level, score, blocking rules and stall
// causes from its objectives' results; exemptions call it again after
// raising objectives.
func (m *Model) summarize(res *Result) {
	target := res.TargetLevel
	res.CurrentLevel, res.ShadowLevel = m.floorLevel(len(m.levels)-1), len(m.levels)-1
	res.Passed, res.Total, res.ShadowObjectives, res.KeyFailing = 0, 0, 0, nil
	weightPassed, weightTotal := 0, 0
	for i := range res.Objectives {
		or, o := &res.Objectives[i], &m.objectives[i]
		res.CurrentLevel = min(res.CurrentLevel, or.Reached)
		res.ShadowLevel = min(res.ShadowLevel, or.ShadowReached)
		if or.ShadowBlocking != nil {
			res.ShadowObjectives++
		}
		if o.shadow {
			continue
		}
		res.Total++
		weightTotal += o.weight
		switch {
		case or.Reached >= target:
			res.Passed++
			weightPassed += o.weight
		case o.key:
			res.KeyFailing = append(res.KeyFailing, i)
		}
	}
	res.Percent = 100
	if weightTotal > 0 {
		res.Percent = weightPassed * 100 / weightTotal
	}
	res.Blocking = blockingAt(res.Objectives, res.CurrentLevel)
	res.StallCauses = rankCauses(res.Objectives, target)
}

// floorLevel is the highest level at or below i that is not shadow, -1 when
// there is none.
func (m *Model) floorLevel(i int) int {
	for i >= 0 && m.shadowLevels[i] {
		i--
	}
	return i
}

// blockingAt copies the blocking rules of the objectives at level, in model
// order: what keeps the business from the level above.
func blockingAt(objs []ObjectiveResult, level int) []RuleOutcome {
	n := 0
	for i := range objs {
		if objs[i].Reached == level && objs[i].Blocking != nil {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]RuleOutcome, 0, n)
	for i := range objs {
		if objs[i].Reached == level && objs[i].Blocking != nil {
			out = append(out, *objs[i].Blocking)
		}
	}
	return out
}

// rankCauses counts the causes of objectives below target, most frequent
// first; ties go by name so the status does not flap between reconciles.
func rankCauses(objs []ObjectiveResult, target int) []CauseCount {
	var counts map[string]int
	for i := range objs {
		if objs[i].Reached >= target {
			continue
		}
		for j, c := range objs[i].Causes {
			if slices.Contains(objs[i].Causes[:j], c) {
				continue
			}
			if counts == nil {
				counts = map[string]int{}
			}
			counts[c]++
		}
	}
	if len(counts) == 0 {
		return nil
	}
	out := make([]CauseCount, 0, len(counts))
	for name, n := range counts {
		out = append(out, CauseCount{Name: name, FailingObjectives: n})
	}
	slices.SortFunc(out, func(a, b CauseCount) int {
		if a.FailingObjectives != b.FailingObjectives {
			return b.FailingObjectives - a.FailingObjectives
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// missing merges the model's constant metric names that are absent with the
// keys dynamic lookups found missing.
func (m *Model) missing(metrics Metrics, dynamic map[string]bool) []string {
	var out []string
	for _, n := range m.metricNames {
		if _, ok := metrics[n]; !ok {
			out = append(out, n)
		}
	}
	if len(dynamic) == 0 {
		return out
	}
	for n := range dynamic {
		out = append(out, n)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// describe builds the RuleOutcome of a blocking rule. Only blocking rules
// pay for formatting values: passing rules are the common case. Outcomes
// are carved from one slice per evaluation to keep allocations down.
func (ev *evaluator) describe(o *objective, r *rule, out ruleResult) *RuleOutcome {
	if len(ev.outcomes) == cap(ev.outcomes) {
		ev.outcomes = make([]RuleOutcome, 0, ev.outcomesHint)
	}
	ev.outcomes = append(ev.outcomes, RuleOutcome{
		Stream: o.stream, Objective: o.name, Level: r.level, Rule: r.text,
		Result: out.outcome, Message: out.message,
	})
	ro := &ev.outcomes[len(ev.outcomes)-1]
	for _, n := range r.refs.names {
		if mv, ok := ev.metrics[n]; ok {
			if ro.Values == nil {
				ro.Values = make([]string, 0, len(r.refs.names)+len(r.previous.names))
			}
			ro.Values = append(ro.Values, formatValue("", n, mv))
		} else {
			ro.Missing = append(ro.Missing, n)
		}
	}
	// Values read one period earlier follow, as previous.<name>.
	for _, n := range r.previous.names {
		if mv, ok := ev.previous[n]; ok {
			ro.Values = append(ro.Values, formatValue(previousVar+".", n, mv))
		} else {
			ro.Missing = append(ro.Missing, previousVar+"."+n)
		}
	}
	if len(out.dynamicMissing) > 0 {
		ro.Missing = append(ro.Missing, out.dynamicMissing...)
		slices.Sort(ro.Missing)
		ro.Missing = slices.Compact(ro.Missing)
	}
	return ro
}

// formatValue renders "prefix name=value (source)"; the shortest float
// form keeps 4 as "4", not "4.000000". It is built in a stack buffer so
// the string is the only allocation.
func formatValue(prefix, name string, mv Metric) string {
	var buf [128]byte
	b := append(append(buf[:0], prefix...), name...)
	b = append(b, '=')
	b = strconv.AppendFloat(b, mv.Value, 'g', -1, 64)
	if mv.Source != "" {
		b = append(b, " ("...)
		b = append(b, mv.Source...)
		b = append(b, ')')
	}
	return string(b)
}
