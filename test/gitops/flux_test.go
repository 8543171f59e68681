package gitops

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/ext"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var fluxKustomization = filepath.Join("..", "..", "config", "flux", "kustomization.yaml")

// healthCheckExprs is one entry of a Flux Kustomization's
// spec.healthCheckExprs.
type healthCheckExprs struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Current    string `json:"current"`
	InProgress string `json:"inProgress,omitempty"`
	Failed     string `json:"failed,omitempty"`
}

// fluxExprs reads every healthCheckExprs entry of the Kustomizations in
// config/flux, by kind.
func fluxExprs(t *testing.T) map[string]healthCheckExprs {
	t.Helper()
	out := map[string]healthCheckExprs{}
	for _, doc := range strings.Split(readFile(t, fluxKustomization), "\n---\n") {
		var ks struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Spec       struct {
				HealthCheckExprs []healthCheckExprs `json:"healthCheckExprs"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal([]byte(doc), &ks); err != nil {
			t.Fatal(err)
		}
		if ks.APIVersion != "kustomize.toolkit.fluxcd.io/v1" || ks.Kind != "Kustomization" {
			t.Fatalf("%s holds a %s %s, not only Flux Kustomizations", fluxKustomization, ks.APIVersion, ks.Kind)
		}
		for _, e := range ks.Spec.HealthCheckExprs {
			if _, dup := out[e.Kind]; dup {
				t.Fatalf("%s: two healthCheckExprs for %s", fluxKustomization, e.Kind)
			}
			out[e.Kind] = e
		}
	}
	return out
}

// fluxEvaluator evaluates one healthCheckExprs entry the way Flux's
// fluxcd/pkg/runtime/cel StatusEvaluator does: each expression parsed (not
// type-checked, since a CRD need not declare its fields) in Flux's CEL
// environment, the object's top-level fields bound as variables (status,
// metadata, spec...), and the statuses tried in RFC-0009's order.
type fluxEvaluator struct {
	current, inProgress, failed cel.Program
}

func newFluxEvaluator(e healthCheckExprs) (*fluxEvaluator, error) {
	env, err := cel.NewEnv(
		cel.HomogeneousAggregateLiterals(),
		cel.EagerlyValidateDeclarations(true),
		cel.DefaultUTCTimeZone(true),
		cel.CrossTypeNumericComparisons(true),
		cel.OptionalTypes(),
		ext.Strings(),
		ext.Sets(),
		ext.Encoders(),
	)
	if err != nil {
		return nil, err
	}
	program := func(expr string) (cel.Program, error) {
		if expr == "" {
			return nil, nil
		}
		ast, iss := env.Parse(expr)
		if iss.Err() != nil {
			return nil, fmt.Errorf("parsing %q: %w", expr, iss.Err())
		}
		return env.Program(ast, cel.EvalOptions(cel.OptOptimize), cel.InterruptCheckFrequency(100))
	}
	var f fluxEvaluator
	if f.current, err = program(e.Current); err != nil {
		return nil, err
	}
	if f.current == nil {
		return nil, fmt.Errorf("%s: current is required", e.Kind)
	}
	if f.inProgress, err = program(e.InProgress); err != nil {
		return nil, err
	}
	if f.failed, err = program(e.Failed); err != nil {
		return nil, err
	}
	return &f, nil
}

// evaluate returns the object's kstatus as Flux computes it. An expression
// that fails makes Flux's status reader report UnknownStatus with the
// error; its wait goes on polling until the timeout, as for InProgress.
func (f *fluxEvaluator) evaluate(u *unstructured.Unstructured) (status.Status, error) {
	// Before any expression: an observedGeneration that is not the
	// generation means in progress.
	observed, ok, err := unstructured.NestedInt64(u.Object, "status", "observedGeneration")
	if err == nil && ok {
		if gen, ok, err := unstructured.NestedInt64(u.Object, "metadata", "generation"); err == nil && ok && observed != gen {
			return status.InProgressStatus, nil
		}
	}
	for _, e := range []struct {
		prog cel.Program
		st   status.Status
	}{{f.inProgress, status.InProgressStatus}, {f.failed, status.FailedStatus}, {f.current, status.CurrentStatus}} {
		if e.prog == nil {
			continue
		}
		val, _, err := e.prog.ContextEval(context.Background(), u.Object)
		if err != nil {
			return status.UnknownStatus, err
		}
		b, ok := val.(types.Bool)
		if !ok {
			return status.UnknownStatus, fmt.Errorf("expression returned %s, not a bool", val.Type())
		}
		if b {
			return e.st, nil
		}
	}
	return status.InProgressStatus, nil
}

// groupKinds is every kind of growth.scaleup.io/v1alpha1, from the API's
// own scheme.
func groupKinds(t *testing.T) []string {
	t.Helper()
	s := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	var out []string
	for kind := range s.KnownTypes(v1alpha1.GroupVersion) {
		if _, isList := s.KnownTypes(v1alpha1.GroupVersion)[kind+"List"]; isList {
			out = append(out, kind)
		}
	}
	slices.Sort(out)
	return out
}

// config/flux checks every kind of the group, at the group's version, and
// Flux can parse every expression.
func TestFluxHealthCheckExprsCoverEveryKind(t *testing.T) {
	exprs := fluxExprs(t)
	if got, want := slices.Sorted(maps.Keys(exprs)), groupKinds(t); !slices.Equal(got, want) {
		t.Fatalf("healthCheckExprs kinds %v, want the group's %v", got, want)
	}
	if got, want := slices.Sorted(maps.Keys(kinds)), groupKinds(t); !slices.Equal(got, want) {
		t.Fatalf("this package's kinds %v, want the group's %v", got, want)
	}
	for kind, e := range exprs {
		if e.APIVersion != v1alpha1.GroupVersion.String() {
			t.Errorf("%s: apiVersion %q, want %q", kind, e.APIVersion, v1alpha1.GroupVersion)
		}
		if e.InProgress == "" || e.Failed == "" {
			// Without failed Flux waits for a Stalled object until its
			// timeout instead of failing at once.
			t.Errorf("%s: set inProgress and failed as well as current", kind)
		}
		if _, err := newFluxEvaluator(e); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
}

// The README shows config/flux's Kustomizations as they are, from the first
// line of YAML on.
func TestREADMEShowsTheFluxKustomizations(t *testing.T) {
	file := readFile(t, fluxKustomization)
	body := file[strings.Index(file, "apiVersion:"):]
	if !strings.Contains(readFile(t, readme), "```yaml\n"+body+"```\n") {
		t.Errorf("README.md has no yaml block with %s from its apiVersion on", fluxKustomization)
	}
}
