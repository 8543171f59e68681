package maturity

import (
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
	act     *metricsActivation
	// dynamicMissing collects keys found missing at run time by rules that
	// index `metrics` with computed keys.
	dynamicMissing map[string]bool
}

func newEvaluator(metrics Metrics) *evaluator {
	values := make(map[string]float64, len(metrics))
	for k, v := range metrics {
		values[k] = v.Value
	}
	return &evaluator{metrics: metrics, act: &metricsActivation{values: values}}
}

// metricsActivation binds `metrics` to a map[string]float64, which cel-go
// reads through a type-switch fast path instead of reflection.
type metricsActivation struct {
	values map[string]float64
}

// ResolveName implements cel.Activation.
func (a *metricsActivation) ResolveName(name string) (any, bool) {
	if name == metricsVar {
		return a.values, true
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
			return res
		case err != nil:
			key, missing := strings.CutPrefix(err.Error(), noSuchKeyPrefix)
			if !missing {
				res.outcome, res.message = Error, oneLine(err.Error())
				return res
			}
			// A computed key was absent. Record it and re-run with it
			// unknown, so `metrics[k] > 1 || metrics.a > 2` can still be
			// decided by metrics.a.
			res.dynamicMissing = append(res.dynamicMissing, key)
			if ev.dynamicMissing == nil {
				ev.dynamicMissing = map[string]bool{}
			}
			ev.dynamicMissing[key] = true
			if round >= maxDynamicLookups {
				res.outcome = Unknown
				return res
			}
			unknowns = append(unknowns, cel.AttributePattern(metricsVar).QualString(key))
		case out == types.True:
			res.outcome = Passed
			return res
		case out == types.False:
			res.outcome = Failed
			return res
		default:
			// The checker guarantees bool; this is defence, not a path.
			res.outcome, res.message = Error, "rule did not return a bool"
			return res
		}
	}
}
