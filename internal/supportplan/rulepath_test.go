package supportplan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

func rules(names ...string) []v1alpha1.NamedRule {
	out := make([]v1alpha1.NamedRule, 0, len(names))
	for _, n := range names {
		out = append(out, v1alpha1.NamedRule{Name: n, Rule: "metrics.heroes >= 1.0"})
	}
	return out
}

func obj(i int, rest string) string { return fmt.Sprintf("spec.streams[0].objectives[%d]%s", i, rest) }

func TestRulePath(t *testing.T) {
	// Objectives a b | c d e | f, stages written top first.
	custom := []v1alpha1.StageRules{
		{Stage: v1alpha1.StageRevenueGeneration, Rules: rules("a", "b")},
		{Stage: v1alpha1.StagePreRevenue, Rules: rules("c", "d", "e")},
		{Stage: v1alpha1.StageRevenueTransition, Rules: rules("f")},
	}
	// Objectives x (stages[0].rules[0], stages[1].rules[1]) and y.
	repeated := []v1alpha1.StageRules{
		{Stage: v1alpha1.StagePreRevenue, Rules: rules("x")},
		{Stage: v1alpha1.StageRevenueTransition, Rules: rules("y", "x")},
	}
	tests := []struct {
		name   string
		stages []v1alpha1.StageRules
		field  string
		want   string
	}{
		{"first rule", custom, obj(0, ".criteria[0].rule"), "spec.stages[0].rules[0].rule"},
		{"second rule of stage 0", custom, obj(1, ".criteria[0].rule"), "spec.stages[0].rules[1].rule"},
		{"first rule of stage 1", custom, obj(2, ".criteria[0].rule"), "spec.stages[1].rules[0].rule"},
		{"middle of stage 1", custom, obj(3, ".criteria[0].rule"), "spec.stages[1].rules[1].rule"},
		{"last of stage 1", custom, obj(4, ".criteria[0].rule"), "spec.stages[1].rules[2].rule"},
		{"stage 2", custom, obj(5, ".criteria[0].rule"), "spec.stages[2].rules[0].rule"},
		{".name kept", custom, obj(3, ".name"), "spec.stages[1].rules[1].name"},
		{"criterion level is the stage", custom, obj(4, ".criteria[0].level"), "spec.stages[1].stage"},
		{"the objective itself", custom, obj(2, ""), "spec.stages[1].rules[0]"},
		{"past the last objective", custom, obj(6, ".criteria[0].rule"), obj(6, ".criteria[0].rule")},
		{"no such criterion", custom, obj(0, ".criteria[1].rule"), obj(0, ".criteria[1].rule")},
		{"repeated name, first criterion", repeated, obj(0, ".criteria[0].rule"), "spec.stages[0].rules[0].rule"},
		{"repeated name, second criterion", repeated, obj(0, ".criteria[1].rule"), "spec.stages[1].rules[1].rule"},
		{"repeated name, second criterion level", repeated, obj(0, ".criteria[1].level"), "spec.stages[1].stage"},
		{"after a repeated name", repeated, obj(1, ".criteria[0].rule"), "spec.stages[1].rules[0].rule"},
		{"default first", nil, obj(0, ".criteria[0].rule"), "default stage PreRevenue rule heroes-in-place"},
		{"default transition", nil, obj(1, ".criteria[0].rule"), "default stage RevenueTransition rule efficient-channels"},
		{"default transition last", nil, obj(4, ".criteria[0].rule"), "default stage RevenueTransition rule capacity-for-peaks"},
		{"default name", nil, obj(3, ".name"), "default stage RevenueTransition rule ai-with-handoff"},
		{"default generation", nil, obj(5, ".criteria[0].rule"), "default stage RevenueGeneration rule heroes-earn-revenue"},
		{"default past the last", nil, obj(6, ".name"), obj(6, ".name")},
		{"levels unchanged", custom, "spec.levels[0].name", "spec.levels[0].name"},
		{"spec unchanged", nil, "spec", "spec"},
		{"another stream unchanged", custom, "spec.streams[1].objectives[0].name", "spec.streams[1].objectives[0].name"},
		{"stream name unchanged", custom, "spec.streams[0].name", "spec.streams[0].name"},
		{"not anchored at spec", custom, "x.spec.streams[0].objectives[0].name", "x.spec.streams[0].objectives[0].name"},
		{"empty", custom, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			spec.Stages = tt.stages
			if got := RulePath(spec, tt.field); got != tt.want {
				t.Errorf("RulePath(%q) = %q, want %q", tt.field, got, tt.want)
			}
		})
	}
}

// TestRulePathOfCompileErrors breaks one rule at a time and checks that the
// maturity engine's error, mapped by RulePath, names the rule the user
// wrote.
func TestRulePathOfCompileErrors(t *testing.T) {
	tests := []struct {
		stage, rule int
		want        string
	}{
		{0, 0, "spec.stages[0].rules[0].rule"},
		{0, 1, "spec.stages[0].rules[1].rule"},
		{1, 0, "spec.stages[1].rules[0].rule"},
		{1, 2, "spec.stages[1].rules[2].rule"},
		{2, 0, "spec.stages[2].rules[0].rule"},
		{2, 1, "spec.stages[2].rules[1].rule"}, // "a" again, at RevenueGeneration
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			spec := baseSpec()
			spec.Stages = []v1alpha1.StageRules{
				{Stage: v1alpha1.StagePreRevenue, Rules: rules("a", "b")},
				{Stage: v1alpha1.StageRevenueTransition, Rules: rules("c", "d", "e")},
				{Stage: v1alpha1.StageRevenueGeneration, Rules: rules("f", "a")},
			}
			spec.Stages[tt.stage].Rules[tt.rule].Rule = "metrics.heroes >"
			_, errs := maturity.Compile(StageModel(spec))
			if len(errs) != 1 {
				t.Fatalf("Compile errors = %v, want one", errs)
			}
			if got := RulePath(spec, errs[0].Field); got != tt.want {
				t.Errorf("RulePath(%q) = %q, want %q", errs[0].Field, got, tt.want)
			}
			if !strings.Contains(errs[0].Message, "does not compile") {
				t.Errorf("message %q, want a compile error", errs[0].Message)
			}
		})
	}

	t.Run("default stages compile", func(t *testing.T) {
		if _, errs := maturity.Compile(StageModel(baseSpec())); len(errs) > 0 {
			t.Fatalf("Compile(default stages) = %v", errs)
		}
	})
}

// TestCheckStages checks what the admission webhook refuses: every rule
// that does not compile or does not return a bool, where it was written,
// with the maturity engine's message.
func TestCheckStages(t *testing.T) {
	tests := []struct {
		name   string
		stages []v1alpha1.StageRules
		want   []string // field: message prefix
	}{
		{"default stages", nil, nil},
		{"rules that compile", []v1alpha1.StageRules{
			{Stage: v1alpha1.StagePreRevenue, Rules: rules("a")},
			{Stage: v1alpha1.StageRevenueGeneration, Rules: []v1alpha1.NamedRule{{Name: "b", Rule: "metrics.revenuePerHero > 0"}}},
		}, nil},
		{"syntax error", []v1alpha1.StageRules{
			{Stage: v1alpha1.StagePreRevenue, Rules: rules("a")},
			{Stage: v1alpha1.StageRevenueTransition, Rules: []v1alpha1.NamedRule{{Name: "b", Rule: "metrics.heroes >="}}},
		}, []string{`spec.stages[1].rules[0].rule: rule "metrics.heroes >=" does not compile: `}},
		{"not a bool", []v1alpha1.StageRules{
			{Stage: v1alpha1.StagePreRevenue, Rules: rules("a")},
			{Stage: v1alpha1.StageRevenueTransition, Rules: rules("b")},
			{Stage: v1alpha1.StageRevenueGeneration, Rules: []v1alpha1.NamedRule{{Name: "c", Rule: "metrics.heroes + 1.0"}}},
		}, []string{`spec.stages[2].rules[0].rule: rule "metrics.heroes + 1.0" does not compile: returns double, want bool`}},
		{"every defect", []v1alpha1.StageRules{
			{Stage: v1alpha1.StagePreRevenue, Rules: []v1alpha1.NamedRule{{Name: "a", Rule: "heroes >= 1"}, {Name: "b", Rule: "'x'"}}},
		}, []string{`spec.stages[0].rules[0].rule: `, `spec.stages[0].rules[1].rule: rule "'x'" does not compile: returns string, want bool`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			spec.Stages = tt.stages
			errs := CheckStages(spec)
			if len(errs) != len(tt.want) {
				t.Fatalf("CheckStages = %v, want %d errors", errs, len(tt.want))
			}
			for i, e := range errs {
				if !strings.HasPrefix(e.Error(), tt.want[i]) {
					t.Errorf("error %d = %q, want prefix %q", i, e.Error(), tt.want[i])
				}
			}
		})
	}
}
