package maturity

import (
	"slices"
	"strings"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
)

// maxDynamicLookups bounds the re-evaluations of a rule whose keys are only
// known at run time (`metrics[k]`): each one marks one more missing key
// unknown. Rules read a handful of metrics, so a few rounds suffice; past
// that the rule is reported Unknown, never Passed.
const maxDynamicLookups = 8

// noSuchKeyPrefix is how cel-go reports a missing map key. It exposes no
// typed error for it, so the message is the only handle.
const noSuchKeyPrefix = "no such key: "

// evaluator holds what one Evaluate call shares across its rules.
type evaluator struct {
	metrics Metrics
	// previous are the values rules read through `previous` (nil: none
	// recorded, every such read is unknown).
	previous Metrics
	act      *metricsActivation
	// dynamicMissing collects keys found missing at run time by rules that
	// index `metrics` with computed keys.
	dynamicMissing map[string]bool
	// outcomes backs the RuleOutcomes of blocking rules (at most one per
	// objective), so Evaluate allocates them at once.
	outcomes     []RuleOutcome
	outcomesHint int
}

func newEvaluator(metrics, previous Metrics, objectives int) *evaluator {
	return &evaluator{metrics: metrics, previous: previous,
		act: &metricsActivation{values: celValues(metrics), previous: celValues(previous)}, outcomesHint: max(objectives, 1)}
}

func celValues(metrics Metrics) map[string]any {
	values := make(map[string]any, len(metrics))
	for k, v := range metrics {
		values[k] = types.Double(v.Value)
	}
	return values
}

// metricsActivation binds `metrics` to a map[string]any of CEL doubles:
// cel-go reads a map[string]any through a type-switch fast path instead of
// reflection, and values already boxed as CEL doubles are used as they are,
// where a float64 would be converted (and allocated) on every read.
type metricsActivation struct {
	values, previous map[string]any
}

// ResolveName implements cel.Activation.
func (a *metricsActivation) ResolveName(name string) (any, bool) {
	switch name {
	case metricsVar:
		return a.values, true
	case previousVar:
		return a.previous, true
	}
	return nil, false
}

// Parent implements cel.Activation.
func (a *metricsActivation) Parent() cel.Activation { return nil }

type ruleResult struct {
	outcome        Outcome
	message        string
	dynamicMissing []string
}

// eval runs one precompiled rule. Metrics the rule reads by name and that
// are absent are marked unknown for partial evaluation: the rule is then
// decided only if its result does not depend on them.
func (ev *evaluator) eval(r *rule) ruleResult {
	var unknowns []*cel.AttributePatternType
	for i, n := range r.refs.names {
		if _, ok := ev.metrics[n]; !ok {
			unknowns = append(unknowns, r.refs.patterns[i])
		}
	}
	for i, n := range r.previous.names {
		if _, ok := ev.previous[n]; !ok {
			unknowns = append(unknowns, r.previous.patterns[i])
		}
	}
	var res ruleResult
	for round := 0; ; round++ {
		var input cel.Activation = ev.act
		if len(unknowns) > 0 {
			pv, err := cel.PartialVars(ev.act, unknowns...)
			if err != nil {
				return ruleResult{outcome: Error, message: oneLine(err.Error())}
			}
			input = pv
		}
		out, _, err := r.prg.Eval(input)
		switch {
		case out != nil && types.IsUnknown(out):
			res.outcome = Unknown
		case err != nil:
			key, retry := ev.absentKey(r, err, res.dynamicMissing)
			if !retry {
				// A key marked unknown that still fails was never a metric.
				res.dynamicMissing = slices.DeleteFunc(res.dynamicMissing, func(k string) bool { return k == key })
				res.outcome, res.message = Error, oneLine(err.Error())
				break
			}
			// A computed key is absent. Re-run with it unknown, so
			// `metrics[k] > 1 || metrics.a > 2` can still be decided by a.
			res.dynamicMissing = append(res.dynamicMissing, key)
			if round == maxDynamicLookups {
				res.outcome = Unknown
				break
			}
			unknowns = append(unknowns, cel.AttributePattern(metricsVar).QualString(key))
			continue
		case out == types.True:
			res.outcome = Passed
		case out == types.False:
			res.outcome = Failed
		default:
			// The checker guarantees bool; this is defence, not a path.
			res.outcome, res.message = Error, "rule did not return a bool"
		}
		for _, k := range res.dynamicMissing {
			if ev.dynamicMissing == nil {
				ev.dynamicMissing = map[string]bool{}
			}
			ev.dynamicMissing[k] = true
		}
		return res
	}
}

// absentKey says whether err is a lookup of an absent metric by a computed
// key, which partial evaluation can turn into an unknown. A key that is
// present, or that was already marked unknown and still fails, belongs to
// something else (a map literal in the rule), so the error stands.
func (ev *evaluator) absentKey(r *rule, err error, tried []string) (string, bool) {
	key, ok := strings.CutPrefix(err.Error(), noSuchKeyPrefix)
	if !ok || !r.refs.dynamic || slices.Contains(tried, key) {
		return key, false
	}
	_, present := ev.metrics[key]
	return key, !present
}
