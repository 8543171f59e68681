package maturity

import (
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestEvaluateLevels(t *testing.T) {
	m, errs := Compile(&v1alpha1.MaturityModelSpec{
		Levels: []v1alpha1.Level{{Name: "A"}, {Name: "B"}, {Name: "C"}, {Name: "D"}},
		Streams: []v1alpha1.Stream{{Name: "s", Objectives: []v1alpha1.Objective{{
			Name: "o", Owner: v1alpha1.OwnerIT,
			Criteria: []v1alpha1.Criterion{
				{Level: "B", Rule: "metrics.x >= 1.0"},
				{Level: "C", Rule: "metrics.x >= 5.0"},
				{Level: "D", Rule: "metrics.y >= 1.0"},
			},
		}}}},
	})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got, ok := m.EvaluateLevels(Metrics{"x": {Value: 2, Source: "src"}}, "s", "o")
	if !ok || len(got) != 4 {
		t.Fatalf("got %v, %v", got, ok)
	}
	want := []struct {
		rule    bool
		outcome Outcome
	}{{false, Passed}, {true, Passed}, {true, Failed}, {true, Unknown}}
	for i, w := range want {
		if got[i].HasRule != w.rule || got[i].Outcome != w.outcome || got[i].Level != i {
			t.Errorf("level %d: got %+v, want rule %v outcome %s", i, got[i], w.rule, w.outcome)
		}
	}
	if len(got[2].Values) != 1 || got[2].Values[0] != "x=2 (src)" {
		t.Errorf("values of level C: %v", got[2].Values)
	}
	if len(got[3].Missing) != 1 || got[3].Missing[0] != "y" {
		t.Errorf("missing of level D: %v", got[3].Missing)
	}
	if _, ok := m.EvaluateLevels(nil, "s", "nope"); ok {
		t.Error("an unknown objective was found")
	}
}
