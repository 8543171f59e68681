package metricsource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"
	"github.com/google/cel-go/ext"
	"github.com/scaleup-operator/scaleup-operator/internal/generation"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

const (
	// defaultMaxResponseBytes is spec.http.maxResponseBytes' API default.
	defaultMaxResponseBytes = 1 << 20
	// bodyVar is the only variable an expression sees.
	bodyVar = "body"
	// exprCostLimit stops an expression that loops over a large document
	// (nested maps over a list of thousands) before it pins a worker; a
	// field path costs a handful of units.
	exprCostLimit = 100000
	// cacheIdle is how long a source's programs outlive its last poll. The
	// provider never hears of deletions, so idle entries are swept instead.
	cacheIdle = time.Hour
)

// HTTP polls a JSON document and extracts metrics with CEL. Expressions are
// compiled once per source generation and shared by every poll. Safe for
// concurrent use.
type HTTP struct {
	limits  limits
	sources generation.Cache[[]compiledExpr]
	// compiles counts compiled expressions, so tests can assert that
	// polling an unchanged source does not recompile.
	compiles atomic.Int64
}

type compiledExpr struct {
	prg cel.Program
	err error
}

// NewHTTP returns an HTTP provider with an empty expression cache and a
// decoding budget of its own.
func NewHTTP(opts Options) *HTTP {
	return &HTTP{limits: opts.limits()}
}

// Fetch implements Provider: one request, then one Sample per metric in
// spec order.
func (h *HTTP) Fetch(ctx context.Context, src *v1alpha1.MetricSource, creds Credentials) ([]Sample, error) {
	spec := src.Spec.HTTP
	if spec == nil {
		return nil, errors.New("spec.http is required when spec.type is HTTP")
	}
	u, err := parseURL(spec.URL, "spec.http.url")
	if err != nil {
		return nil, err
	}
	timeout := timeoutOr(spec.Timeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	doc, release, err := h.get(ctx, spec, u, creds, timeout)
	if err != nil {
		return nil, scrub(err, creds)
	}
	// The document keeps its share of the decoding budget until the
	// expressions that read it are done.
	defer release()
	exprs := h.programs(src)
	out := make([]Sample, len(spec.Metrics))
	for i, m := range spec.Metrics {
		out[i] = Sample{Name: m.Metric}
		if exprs[i].err != nil {
			out[i].Err = exprs[i].err
			continue
		}
		v, err := evalNumber(ctx, exprs[i].prg, doc)
		out[i].Value, out[i].Err = v, scrub(err, creds)
	}
	return out, nil
}

// get sends the request and decodes the JSON response within the bounds
// of maxResponseBytes, the JSON budget and the manager's decoding budget,
// whose share it returns the release of. Every error names the URL,
// redacted, and a category: nothing of the response body.
func (h *HTTP) get(ctx context.Context, spec *v1alpha1.HTTPSource, u *url.URL, creds Credentials, timeout time.Duration) (any, func(), error) {
	where := u.Redacted()
	rt, err := newTransport(u, creds, h.limits.egress)
	if err != nil {
		return nil, nil, fmt.Errorf("spec.http.tls: %w", err)
	}
	// A transport per poll keeps a source's CA out of every other source's
	// connections; polls are seconds apart, so pooling would gain little.
	defer rt.CloseIdleConnections()

	method := spec.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if method == http.MethodPost && spec.Body != "" {
		body = strings.NewReader(spec.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", method, where, unwrapURLError(err))
	}
	// Defaults; spec.http.headers (added by the transport) override them.
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	fail := func(err error) (any, func(), error) {
		return nil, nil, fmt.Errorf("%s %s: %w", method, where, requestError(err, timeout))
	}
	resp, err := rt.client().Do(req)
	if err != nil {
		return fail(err)
	}
	defer func() { _ = resp.Body.Close() }()

	if resp.StatusCode/100 != 2 {
		// The body is the server's text, not ours to publish: not read.
		return nil, nil, fmt.Errorf("%s %s: HTTP %s", method, where, statusText(resp.StatusCode))
	}
	limit := maxResponseBytes(spec)
	if resp.ContentLength > limit {
		return fail(errResponseTooLarge{limit})
	}
	share := limit
	if resp.ContentLength >= 0 {
		share = resp.ContentLength
	}
	release, err := h.limits.budget.acquire(ctx, share)
	if err != nil {
		return fail(err)
	}
	data, err := readBody(resp.Body, limit, resp.ContentLength)
	if err != nil {
		release()
		return fail(err)
	}
	doc, err := decodeJSON(data)
	if err != nil {
		release()
		return fail(err)
	}
	return doc, release, nil
}

// maxResponseBytes is the source's limit, within MaxResponseBytes whatever
// an object stored before that API limit says.
func maxResponseBytes(spec *v1alpha1.HTTPSource) int64 {
	if spec.MaxResponseBytes == nil || *spec.MaxResponseBytes <= 0 {
		return defaultMaxResponseBytes
	}
	return min(*spec.MaxResponseBytes, MaxResponseBytes)
}

// evalNumber runs one expression over the document; the result must be a
// finite number.
func evalNumber(ctx context.Context, prg cel.Program, doc any) (float64, error) {
	out, _, err := prg.ContextEval(ctx, map[string]any{bodyVar: doc})
	if err != nil {
		return 0, evalError(ctx, err)
	}
	var v float64
	switch n := out.Value().(type) {
	case float64:
		v = n
	case int64:
		v = float64(n)
	case uint64:
		v = float64(n)
	default:
		return 0, fmt.Errorf("expression returned %s, want a number", out.Type().TypeName())
	}
	if err := finite(v); err != nil {
		return 0, err
	}
	return v, nil
}

// evalError names the category of a failed evaluation. CEL's own message
// quotes the data it failed on (`no such key: <the value of another key>`),
// so it is only matched, never repeated.
func evalError(ctx context.Context, err error) error {
	msg := err.Error()
	has := func(parts ...string) bool {
		for _, p := range parts {
			if strings.Contains(msg, p) {
				return true
			}
		}
		return false
	}
	category := ""
	switch {
	case has("no such key", "no such attribute", "no such field", "out of range", "optional.none() dereference", "must not be empty"):
		category = "missing key"
	case has("no such overload", "type conversion error", "unsupported index type", "unknown type", "unsupported conversion", "invalid UTF-8"):
		category = "wrong type"
	case has("cost limit exceeded"):
		category = "cost limit exceeded"
	case has("division by zero", "modulus by zero"):
		category = "division by zero"
	case has("overflow"):
		category = "overflow"
	case ctx.Err() != nil, has("interrupted"):
		category = "timeout"
	}
	if category == "" {
		return errors.New("expression failed")
	}
	return fmt.Errorf("expression failed: %s", category)
}

// programs returns the compiled expressions of src's generation. The
// provider never hears of deletions, so sources not polled for cacheIdle
// are swept.
func (h *HTTP) programs(src *v1alpha1.MetricSource) []compiledExpr {
	metrics := src.Spec.HTTP.Metrics
	now := time.Now()
	h.sources.Sweep(now, cacheIdle)
	exprs := h.sources.Get(src.UID, src.Generation, now, func() []compiledExpr { return h.compile(metrics) })
	if len(exprs) != len(metrics) {
		// Same generation, different spec: only possible for objects built
		// in code. Never index past the cached slice.
		return h.compile(metrics)
	}
	return exprs
}

func (h *HTTP) compile(metrics []v1alpha1.HTTPMetric) []compiledExpr {
	out := make([]compiledExpr, len(metrics))
	for i, m := range metrics {
		h.compiles.Add(1)
		out[i].prg, out[i].err = compileExpression(m.Expression)
	}
	return out
}

// exprEnv is shared by every compilation: building a CEL environment costs
// far more than checking one expression, and a cel.Env is safe for
// concurrent use.
var exprEnv = sync.OnceValues(func() (*cel.Env, error) {
	return cel.NewEnv(
		// The decoded JSON has no schema: maps, lists, doubles, strings,
		// bools and null, checked only at run time.
		cel.Variable(bodyVar, cel.DynType),
		// `body.count > 0` compares a JSON double with an int literal.
		cel.CrossTypeNumericComparisons(true),
		// `body.?a.orValue(0.0)` for fields that are sometimes absent.
		cel.OptionalTypes(),
		// math.greatest/least/round are natural in metric expressions.
		ext.Math(),
		cel.EagerlyValidateDeclarations(true),
	)
})

// CompileExpression checks an expression of spec.http.metrics the way
// Fetch compiles it, so the admission webhook rejects what could never
// yield a number. The error is one line.
func CompileExpression(expr string) error {
	_, err := compileExpression(expr)
	return err
}

func compileExpression(expr string) (cel.Program, error) {
	env, err := exprEnv()
	if err != nil {
		return nil, fmt.Errorf("CEL environment: %w", err)
	}
	checked, iss := env.Compile(expr)
	if iss != nil && iss.Err() != nil {
		return nil, fmt.Errorf("expression %q does not compile: %s", expr, celIssues(iss))
	}
	// Most expressions read `body`, so their type is only known at run
	// time (dyn); only a type that can never be a number is rejected here.
	switch t := checked.OutputType(); {
	case t.IsExactType(cel.DoubleType), t.IsExactType(cel.IntType), t.IsExactType(cel.UintType), t.IsExactType(cel.DynType):
	default:
		return nil, fmt.Errorf("expression %q does not compile: returns %s, want a number", expr, t)
	}
	// An expression whose cheapest evaluation is above the limit could never
	// yield a number (nested loops over large literal lists).
	if est, err := env.EstimateCost(checked, noSizeHints{}); err == nil && est.Min > exprCostLimit {
		return nil, fmt.Errorf("expression %q does not compile: costs at least %d to evaluate, above the limit of %d", expr, est.Min, exprCostLimit)
	}
	prg, err := env.Program(checked, cel.CostLimit(exprCostLimit), cel.InterruptCheckFrequency(100))
	if err != nil {
		return nil, fmt.Errorf("expression %q does not compile: %s", expr, strings.Join(strings.Fields(err.Error()), " "))
	}
	return prg, nil
}

// celIssues renders CEL issues on one line, without the source snippets
// CEL adds: the message already quotes the expression.
func celIssues(iss *cel.Issues) string {
	errs := iss.Errors()
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		msg := strings.Join(strings.Fields(e.Message), " ")
		if loc := e.Location; loc != nil && loc.Line() > 0 {
			msg = fmt.Sprintf("%d:%d: %s", loc.Line(), loc.Column()+1, msg)
		}
		parts = append(parts, msg)
	}
	if len(parts) == 0 {
		return strings.Join(strings.Fields(iss.String()), " ")
	}
	return strings.Join(parts, "; ")
}

// noSizeHints gives the cost estimator no extra knowledge: the size of the
// body is unknown until it is read.
type noSizeHints struct{}

func (noSizeHints) EstimateSize(checker.AstNode) *checker.SizeEstimate { return nil }

func (noSizeHints) EstimateCallCost(string, string, *checker.AstNode, []checker.AstNode) *checker.CallEstimate {
	return nil
}
