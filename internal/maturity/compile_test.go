package maturity

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestCompileValidModel(t *testing.T) {
	m := mustCompile(t, scaleupSpec())
	if got := m.Levels(); !slices.Equal(got, fourLevels) {
		t.Errorf("Levels() = %v, want %v", got, fourLevels)
	}
	if m.ObjectiveCount() != 21 || m.RuleCount() != 63 {
		t.Errorf("objectives/rules = %d/%d, want 21/63", m.ObjectiveCount(), m.RuleCount())
	}
	for i, l := range fourLevels {
		if got, ok := m.LevelIndex(l); !ok || got != i {
			t.Errorf("LevelIndex(%q) = %d, %v; want %d, true", l, got, ok, i)
		}
	}
	if _, ok := m.LevelIndex("Nope"); ok {
		t.Error(`LevelIndex("Nope") found a level`)
	}
	if len(m.Spec().Streams) != 7 {
		t.Errorf("Spec() has %d streams, want 7", len(m.Spec().Streams))
	}
}

func TestCompileKeepsPrivateSpec(t *testing.T) {
	spec := scaleupSpec()
	m := mustCompile(t, spec)
	spec.Levels[0].Name = "Changed"
	if m.Spec().Levels[0].Name != "Startup" || m.Levels()[0] != "Startup" {
		t.Error("changing the input spec changed the compiled model")
	}
}

func TestCompileErrors(t *testing.T) {
	const crit0 = "spec.streams[0].objectives[0].criteria[0]"
	// exists_one visits every item: 30^3 iterations, whatever the metrics.
	const list = "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30]"
	const costly = list + ".exists_one(i, " + list + ".exists_one(j, " + list + ".exists_one(k, metrics.x > 0.0)))"
	tests := []struct {
		name string
		spec *v1alpha1.MaturityModelSpec
		want []FieldError // Message is matched as a prefix
	}{{
		name: "syntax error",
		spec: modelSpec(nil, stream("s", obj("o", nil, crit("Startup", "metrics.x >")))),
		want: []FieldError{{crit0 + ".rule", `rule "metrics.x >" does not compile: 1:12: Syntax error: mismatched input`}},
	}, {
		name: "type error",
		spec: modelSpec(nil, stream("s", obj("o", nil, crit("Startup", "metrics.x + 1")))),
		want: []FieldError{{crit0 + ".rule", `rule "metrics.x + 1" does not compile: 1:11: found no matching overload for '_+_' applied to '(double, int)'`}},
	}, {
		name: "not a bool",
		spec: modelSpec(nil, stream("s", obj("o", nil, crit("Startup", "metrics.x")))),
		want: []FieldError{{crit0 + ".rule", `rule "metrics.x" does not compile: returns double, want bool`}},
	}, {
		name: "unknown variable",
		spec: modelSpec(nil, stream("s", obj("o", nil, crit("Startup", "other.x > 1")))),
		want: []FieldError{{crit0 + ".rule", `rule "other.x > 1" does not compile: 1:1: undeclared reference to 'other'`}},
	}, {
		name: "always above the cost limit",
		spec: modelSpec(nil, stream("s", obj("o", nil, crit("Startup", costly)))),
		want: []FieldError{{crit0 + ".rule", `rule "` + costly + `" does not compile: costs at least `}},
	}, {
		name: "metric name no source can report",
		spec: modelSpec(nil, stream("s", obj("o", nil, crit("Startup", "metrics['../x'] > 1.0")))),
		want: []FieldError{{crit0 + ".rule", `rule "metrics['../x'] > 1.0" reads metric "../x", not a name a MetricSource can report`}},
	}, {
		name: "unknown criterion level",
		spec: modelSpec(nil, stream("s", obj("o", nil, crit("Legendary", "metrics.x > 1")))),
		want: []FieldError{{crit0 + ".level", `level "Legendary" is not in spec.levels`}},
	}, {
		name: "duplicate criterion level",
		spec: modelSpec(nil, stream("s", obj("o", nil, crit("Startup", "metrics.x > 1"), crit("Startup", "metrics.x > 2")))),
		want: []FieldError{{"spec.streams[0].objectives[0].criteria[1].level", `level "Startup" already has a criterion`}},
	}, {
		name: "unknown project level",
		spec: func() *v1alpha1.MaturityModelSpec {
			o := obj("o", nil)
			o.Projects = []v1alpha1.ProjectTemplate{{Level: "Startup", Title: "ok"}, {Level: "Mythic", Title: "bad"}}
			return modelSpec(nil, stream("s", o))
		}(),
		want: []FieldError{{"spec.streams[0].objectives[0].projects[1].level", `level "Mythic" is not in spec.levels`}},
	}, {
		name: "unknown cause",
		spec: modelSpec([]string{"Known"}, stream("s", obj("o", []string{"Known", "Unheard"}))),
		want: []FieldError{{"spec.streams[0].objectives[0].causes[1]", `stall cause "Unheard" is not in spec.stallCauses`}},
	}, {
		name: "metric name too long for a MetricSource",
		spec: modelSpec(nil, stream("s", obj("o", nil, crit("Startup", fmt.Sprintf("metrics[%q] > 1", strings.Repeat("m", 64)))))),
		want: []FieldError{{crit0 + ".rule", `rule "metrics[\"mmmm`}},
	}, {
		name: "duplicate level",
		spec: func() *v1alpha1.MaturityModelSpec {
			s := modelSpec(nil, stream("s", obj("o", nil)))
			s.Levels = append(s.Levels, v1alpha1.Level{Name: "Startup"})
			return s
		}(),
		want: []FieldError{{"spec.levels[4].name", `level "Startup" is already spec.levels[0]`}},
	}, {
		name: "duplicate stream and objective",
		spec: modelSpec(nil, stream("s", obj("o", nil), obj("o", nil)), stream("s", obj("p", nil))),
		want: []FieldError{
			{"spec.streams[0].objectives[1].name", `objective "o" is already spec.streams[0].objectives[0]`},
			{"spec.streams[1].name", `stream "s" is already spec.streams[0]`},
		},
	}, {
		name: "no levels",
		spec: &v1alpha1.MaturityModelSpec{},
		want: []FieldError{{"spec.levels", "must list at least one level"}},
	}, {
		name: "nil spec",
		want: []FieldError{{"spec", "is required"}},
	}, {
		name: "several errors reported together, in field order",
		spec: modelSpec([]string{"Known"},
			stream("a", obj("o", []string{"Nope"}, crit("Startup", "metrics.ok > 1"), crit("Nowhere", "metrics.x +"))),
			stream("b", obj("p", nil, crit("GrowingPains", "metrics.y")))),
		want: []FieldError{
			{"spec.streams[0].objectives[0].causes[0]", `stall cause "Nope" is not in spec.stallCauses`},
			{"spec.streams[0].objectives[0].criteria[1].level", `level "Nowhere" is not in spec.levels`},
			{"spec.streams[0].objectives[0].criteria[1].rule", `rule "metrics.x +" does not compile: `},
			{"spec.streams[1].objectives[0].criteria[0].rule", `rule "metrics.y" does not compile: returns double, want bool`},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, errs := Compile(tc.spec)
			if m != nil {
				t.Error("Compile returned a model despite errors")
			}
			if len(errs) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(tc.want), errs)
			}
			for i, e := range errs {
				if e.Field != tc.want[i].Field || !strings.HasPrefix(e.Message, tc.want[i].Message) {
					t.Errorf("error %d = %q\nwant field %q, message starting %q", i, e.Error(), tc.want[i].Field, tc.want[i].Message)
				}
				if strings.ContainsAny(e.Message, "\n\r") {
					t.Errorf("error %d message spans lines: %q", i, e.Message)
				}
			}
		})
	}
}

func TestCompileCapsErrors(t *testing.T) {
	var objectives []v1alpha1.Objective
	for i := range 10 {
		var criteria []v1alpha1.Criterion
		for range 10 {
			criteria = append(criteria, crit("Nowhere", "metrics.x"))
		}
		objectives = append(objectives, obj(fmt.Sprintf("o%d", i), nil, criteria...))
	}
	_, errs := Compile(modelSpec(nil, stream("s", objectives...)))
	if len(errs) != maxFieldErrors {
		t.Fatalf("got %d errors, want the cap %d", len(errs), maxFieldErrors)
	}
}

func TestFieldErrorError(t *testing.T) {
	e := FieldError{Field: "spec.levels", Message: "must list at least one level"}
	if got, want := e.Error(), "spec.levels: must list at least one level"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestCollectMetricRefs(t *testing.T) {
	tests := []struct {
		rule    string
		names   []string
		dynamic bool
	}{
		{"metrics.a > 1", []string{"a"}, false},
		{`metrics["b"] > 1 && metrics.a < 2 || metrics.a == 3.0`, []string{"a", "b"}, false},
		{"has(metrics.c) && metrics.c > 0", []string{"c"}, false},
		{"[1.0, 2.0].exists(v, v < metrics.d)", []string{"d"}, false},
		{"math.greatest(metrics.e, metrics.f) > 1", []string{"e", "f"}, false},
		{`metrics["a" + "b"] > 1`, []string{}, true},
		{`"a" in metrics`, []string{}, true},
		{"size(metrics) > 3 && metrics.g > 1", []string{"g"}, true},
		{"metrics.exists(k, k == 'x')", []string{}, true},
		{"{'k': metrics.h}.k > 1", []string{"h"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			env, err := ruleEnv()
			if err != nil {
				t.Fatal(err)
			}
			_, both, err := compileRule(env, tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			refs := both.metrics
			if !slices.Equal(refs.names, tc.names) || refs.dynamic != tc.dynamic {
				t.Errorf("refs = %v dynamic=%v, want %v dynamic=%v", refs.names, refs.dynamic, tc.names, tc.dynamic)
			}
			if len(refs.patterns) != len(refs.names) {
				t.Errorf("%d patterns for %d names", len(refs.patterns), len(refs.names))
			}
		})
	}
}

// FuzzCompile feeds arbitrary rule text through Compile and, when it
// compiles, through Evaluate: neither may panic, errors stay on one line,
// and a blocking rule is never reported Passed.
func FuzzCompile(f *testing.F) {
	for _, seed := range []string{
		"metrics.x <= 4", "metrics.a > 1 || metrics.b > 2", `metrics["a" + "b"] > 1`,
		"int(metrics.x) / 0 == 1", "metrics.x +", "", ")", "has(metrics.x)", "'x' in metrics",
		"[1,2,3].all(i, [1,2,3].all(j, i < j || metrics.x > 0.0))", "math.greatest(metrics.a, 2) > 1",
		"metrics[metrics.exists(k, true) ? 'a' : 'b'] > 0.0", "\x00", "metrics.\u00e9 > 1",
		"previous.x * 1.1 >= metrics.x", "previous['x'] > 0.0", "size(previous) > 0",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		m, errs := Compile(modelSpec(nil, stream("s", obj("o", nil, crit("GrowingPains", rule)))))
		for _, e := range errs {
			if strings.ContainsAny(e.Message, "\n\r") {
				t.Fatalf("multi-line message %q", e.Message)
			}
		}
		if m == nil {
			return
		}
		for _, metrics := range []Metrics{nil, values("x", 3, "a", 2.5, "b", -1)} {
			r := m.Evaluate(metrics, lvGrowingPains)
			o := r.Objectives[0]
			if b := o.Blocking; b != nil && (b.Result == Passed || o.Reached != lvStartup) {
				t.Fatalf("%q: reached %d with blocking %+v", rule, o.Reached, b)
			}
			if o.Blocking == nil && o.Reached != lvEnterpriseGrade {
				t.Fatalf("%q: stopped at %d without a blocking rule", rule, o.Reached)
			}
		}
	})
}
