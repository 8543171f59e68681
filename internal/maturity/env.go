// Package maturity compiles the CEL rules of a MaturityModel and evaluates
// them against a business's metrics. It is pure: no Kubernetes client, no
// clock, no I/O, so the controllers, the webhook and the tests share exactly
// the same semantics.
package maturity

import (
	"fmt"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/ext"
)

const (
	// metricsVar holds the metrics a business has now.
	metricsVar = "metrics"
	// previousVar holds the values the same metrics had one comparison
	// period earlier (relative.go); only MaturityTargets record them.
	previousVar = "previous"

	// RuleCostLimit caps the runtime cost of one rule evaluation. A
	// comparison costs a handful of units; the limit only stops rules that
	// loop over large literal lists, so a hostile model cannot pin the
	// controller's CPU.
	RuleCostLimit = 10000

	// maxMetricNameLength is the longest metric name a MetricSource can
	// report (MetricValue.name MaxLength); a rule reading a longer one could
	// never be satisfied and would not fit the status lists.
	maxMetricNameLength = 63

	// maxFieldErrors caps Compile's error list, as status.ruleErrors does.
	maxFieldErrors = 50
)

// ruleEnv is shared by every compilation: building a CEL environment costs
// far more than checking one rule, and a cel.Env is safe for concurrent use.
var ruleEnv = sync.OnceValues(func() (*cel.Env, error) {
	return cel.NewEnv(
		cel.Variable(metricsVar, cel.MapType(cel.StringType, cel.DoubleType)),
		cel.Variable(previousVar, cel.MapType(cel.StringType, cel.DoubleType)),
		// Metrics are doubles but authors write `metrics.x <= 4`; without
		// this the checker rejects every int literal in a comparison.
		cel.CrossTypeNumericComparisons(true),
		// math.greatest/least/abs/ceil/floor/round are natural in thresholds.
		ext.Math(),
		cel.EagerlyValidateDeclarations(true),
	)
})

// programOptions are fixed so that every rule is built the same way:
// partial evaluation lets a rule with missing metrics still be decided when
// the missing ones do not matter (`a > 1 || b > 2` with a true), and the cost
// limit turns a runaway rule into an Error outcome instead of a stuck worker.
//
// Runtime cost tracking is the most expensive part of evaluating a simple
// comparison, so it is only enabled when the checker's worst-case estimate
// says the rule could exceed the limit. Below that bound the limit cannot be
// reached, and skipping the tracker changes no outcome.
func programOptions(env *cel.Env, checked *cel.Ast) []cel.ProgramOption {
	opts := []cel.ProgramOption{cel.EvalOptions(cel.OptPartialEval, cel.OptOptimize)}
	est, err := env.EstimateCost(checked, noSizeHints{})
	if err != nil || est.Max > RuleCostLimit {
		opts = append(opts, cel.CostLimit(RuleCostLimit))
	}
	return opts
}

// noSizeHints gives the cost estimator no extra knowledge: the size of
// `metrics` is unbounded, so a rule iterating over it always keeps the
// runtime limit.
type noSizeHints struct{}

func (noSizeHints) EstimateSize(checker.AstNode) *checker.SizeEstimate { return nil }

func (noSizeHints) EstimateCallCost(string, string, *checker.AstNode, []checker.AstNode) *checker.CallEstimate {
	return nil
}

// compileRule parses, checks and plans one rule. The error is the text after
// "does not compile: ", already on one line.
func compileRule(env *cel.Env, rule string) (cel.Program, ruleRefs, error) {
	checked, iss := env.Compile(rule)
	if iss != nil && iss.Err() != nil {
		return nil, ruleRefs{}, fmt.Errorf("%s", issuesLine(iss))
	}
	if t := checked.OutputType(); !t.IsExactType(cel.BoolType) {
		return nil, ruleRefs{}, fmt.Errorf("returns %s, want bool", t)
	}
	refs := ruleRefs{
		metrics:  collectRefs(checked.NativeRep().Expr(), metricsVar),
		previous: collectRefs(checked.NativeRep().Expr(), previousVar),
	}
	// Only the values rules name are recorded for a period: a computed key
	// would read a metric nobody kept.
	if refs.previous.dynamic {
		return nil, ruleRefs{}, fmt.Errorf("reads %s other than by a constant name (%s.<metric>): only the metrics rules name are recorded for a period", previousVar, previousVar)
	}
	// A rule whose cheapest evaluation is above the limit can never be
	// decided (nested loops over large literal lists): refuse it here, at
	// admission, rather than report an Error on every evaluation.
	if est, err := env.EstimateCost(checked, noSizeHints{}); err == nil && est.Min > RuleCostLimit {
		return nil, ruleRefs{}, fmt.Errorf("costs at least %d to evaluate, above the limit of %d", est.Min, RuleCostLimit)
	}
	prg, err := env.Program(checked, programOptions(env, checked)...)
	if err != nil {
		return nil, ruleRefs{}, fmt.Errorf("%s", oneLine(err.Error()))
	}
	return prg, refs, nil
}

// issuesLine renders CEL issues as one line. The source snippets CEL adds
// are left out: the message already quotes the rule, and a status message
// must stay on one line.
func issuesLine(iss *cel.Issues) string {
	errs := iss.Errors()
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		msg := oneLine(e.Message)
		if loc := e.Location; loc != nil && loc.Line() > 0 {
			msg = fmt.Sprintf("%d:%d: %s", loc.Line(), loc.Column()+1, msg)
		}
		parts = append(parts, msg)
	}
	if len(parts) == 0 {
		return oneLine(iss.String())
	}
	return strings.Join(parts, "; ")
}

// oneLine joins the lines of s with "; " so it fits a condition or status
// message.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "; ")
}
