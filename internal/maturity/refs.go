package maturity

import (
	"slices"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
	"github.com/google/cel-go/common/types"
)

// metricRefs is what a rule reads from `metrics`, found once at compile
// time so that evaluation only has to look names up.
type metricRefs struct {
	// names are the metrics the rule reads by constant name (`metrics.x`,
	// `metrics["x"]`, `has(metrics.x)`), sorted and unique.
	names []string
	// patterns[i] marks names[i] unknown for partial evaluation. Built once
	// here and only read afterwards, so rules share them across goroutines.
	patterns []*cel.AttributePatternType
	// dynamic is set when the rule also uses `metrics` in a way whose keys
	// are only known at run time (`metrics[k]`, `'x' in metrics`,
	// `metrics.exists(...)`, `size(metrics)`).
	dynamic bool
}

// collectMetricRefs walks a checked rule. The walk is recursive but bounded:
// the CEL parser already limits nesting depth.
func collectMetricRefs(e ast.Expr) metricRefs {
	seen := map[string]bool{}
	var refs metricRefs
	var walk func(ast.Expr)
	walk = func(e ast.Expr) {
		if e == nil {
			return
		}
		switch e.Kind() {
		case ast.IdentKind:
			// Any use of `metrics` not caught below as a constant-key access.
			if e.AsIdent() == metricsVar {
				refs.dynamic = true
			}
		case ast.SelectKind:
			sel := e.AsSelect()
			if isMetricsIdent(sel.Operand()) {
				seen[sel.FieldName()] = true
				return
			}
			walk(sel.Operand())
		case ast.CallKind:
			call := e.AsCall()
			if name, ok := constantKeyAccess(call); ok {
				seen[name] = true
				return
			}
			if call.IsMemberFunction() {
				walk(call.Target())
			}
			for _, a := range call.Args() {
				walk(a)
			}
		case ast.ComprehensionKind:
			c := e.AsComprehension()
			walk(c.IterRange())
			walk(c.AccuInit())
			walk(c.LoopCondition())
			walk(c.LoopStep())
			walk(c.Result())
		case ast.ListKind:
			for _, el := range e.AsList().Elements() {
				walk(el)
			}
		case ast.MapKind:
			for _, entry := range e.AsMap().Entries() {
				if entry.Kind() == ast.MapEntryKind {
					walk(entry.AsMapEntry().Key())
					walk(entry.AsMapEntry().Value())
				}
			}
		case ast.StructKind:
			for _, f := range e.AsStruct().Fields() {
				if f.Kind() == ast.StructFieldKind {
					walk(f.AsStructField().Value())
				}
			}
		}
	}
	walk(e)

	refs.names = make([]string, 0, len(seen))
	for n := range seen {
		refs.names = append(refs.names, n)
	}
	slices.Sort(refs.names)
	refs.patterns = make([]*cel.AttributePatternType, len(refs.names))
	for i, n := range refs.names {
		refs.patterns[i] = cel.AttributePattern(metricsVar).QualString(n)
	}
	return refs
}

// constantKeyAccess recognises `metrics["x"]`, and the optional forms
// `metrics[?"x"]` and `metrics.?x` should the environment ever enable them
// (the parser turns those into calls with a string argument).
func constantKeyAccess(call ast.CallExpr) (string, bool) {
	switch call.FunctionName() {
	case operators.Index, operators.OptIndex, operators.OptSelect:
	default:
		return "", false
	}
	args := call.Args()
	if len(args) != 2 || !isMetricsIdent(args[0]) || args[1].Kind() != ast.LiteralKind {
		return "", false
	}
	s, ok := args[1].AsLiteral().(types.String)
	return string(s), ok
}

func isMetricsIdent(e ast.Expr) bool {
	return e != nil && e.Kind() == ast.IdentKind && e.AsIdent() == metricsVar
}
