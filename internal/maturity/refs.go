package maturity

import (
	"slices"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
	"github.com/google/cel-go/common/types"
)

// ruleRefs is what a rule reads from each of its variables.
type ruleRefs struct {
	metrics, previous metricRefs
}

// metricRefs is what a rule reads from one map variable (`metrics` or
// `previous`), found once at compile time so that evaluation only has to
// look names up.
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

// collectRefs walks a checked rule for what it reads from the map variable
// named variable. The walk is recursive but bounded: the CEL parser
// already limits nesting depth.
func collectRefs(e ast.Expr, variable string) metricRefs {
	w := refWalker{variable: variable, seen: map[string]bool{}}
	w.walk(e)
	refs := metricRefs{names: make([]string, 0, len(w.seen)), dynamic: w.dynamic}
	for n := range w.seen {
		refs.names = append(refs.names, n)
	}
	slices.Sort(refs.names)
	refs.patterns = make([]*cel.AttributePatternType, len(refs.names))
	for i, n := range refs.names {
		refs.patterns[i] = cel.AttributePattern(variable).QualString(n)
	}
	return refs
}

type refWalker struct {
	variable string
	seen     map[string]bool
	dynamic  bool
}

func (w *refWalker) walk(e ast.Expr) {
	if e == nil {
		return
	}
	switch e.Kind() {
	case ast.IdentKind:
		// Any use of the variable not caught below as a constant-key access.
		if e.AsIdent() == w.variable {
			w.dynamic = true
		}
		return
	case ast.SelectKind:
		if sel := e.AsSelect(); isIdent(sel.Operand(), w.variable) {
			w.seen[sel.FieldName()] = true
			return
		}
	case ast.CallKind:
		if name, ok := constantKeyAccess(e.AsCall(), w.variable); ok {
			w.seen[name] = true
			return
		}
	}
	for _, c := range children(e) {
		w.walk(c)
	}
}

// children lists the sub-expressions of e.
func children(e ast.Expr) []ast.Expr {
	switch e.Kind() {
	case ast.SelectKind:
		return []ast.Expr{e.AsSelect().Operand()}
	case ast.CallKind:
		call := e.AsCall()
		if call.IsMemberFunction() {
			return append([]ast.Expr{call.Target()}, call.Args()...)
		}
		return call.Args()
	case ast.ComprehensionKind:
		c := e.AsComprehension()
		return []ast.Expr{c.IterRange(), c.AccuInit(), c.LoopCondition(), c.LoopStep(), c.Result()}
	case ast.ListKind:
		return e.AsList().Elements()
	case ast.MapKind:
		var out []ast.Expr
		for _, entry := range e.AsMap().Entries() {
			if entry.Kind() == ast.MapEntryKind {
				out = append(out, entry.AsMapEntry().Key(), entry.AsMapEntry().Value())
			}
		}
		return out
	case ast.StructKind:
		var out []ast.Expr
		for _, f := range e.AsStruct().Fields() {
			if f.Kind() == ast.StructFieldKind {
				out = append(out, f.AsStructField().Value())
			}
		}
		return out
	}
	return nil
}

// constantKeyAccess recognises `metrics["x"]` (or `previous["x"]`), and the
// optional forms `metrics[?"x"]` and `metrics.?x` should the environment ever enable them
// (the parser turns those into calls with a string argument).
func constantKeyAccess(call ast.CallExpr, variable string) (string, bool) {
	switch call.FunctionName() {
	case operators.Index, operators.OptIndex, operators.OptSelect:
	default:
		return "", false
	}
	args := call.Args()
	if len(args) != 2 || !isIdent(args[0], variable) || args[1].Kind() != ast.LiteralKind {
		return "", false
	}
	s, ok := args[1].AsLiteral().(types.String)
	return string(s), ok
}

func isIdent(e ast.Expr, variable string) bool {
	return e != nil && e.Kind() == ast.IdentKind && e.AsIdent() == variable
}
