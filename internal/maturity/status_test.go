package maturity

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func TestApplyStatus(t *testing.T) {
	m := business(map[string][]string{"a": {"Cost"}, "b": {"Cost", "Data"}}, "a", "b", "c")
	metrics := values("a", 2, "c", 3)
	metrics["a"] = Metric{Value: 2, Source: "acme-reported"}
	r := m.Evaluate(metrics, lvHighPerformance)

	keep := &v1alpha1.TaskCounts{Open: 2}
	st := v1alpha1.MaturityTargetStatus{
		ObservedGeneration: 7,
		History:            []v1alpha1.HistoryEntry{{Level: "Startup"}},
		Trend:              TrendSteady,
		Tasks:              keep,
		Conditions:         nil,
		// stale values from an earlier evaluation are replaced
		StallCauses: []v1alpha1.StallCauseCount{{Name: "Old", FailingObjectives: 9}},
	}
	ApplyStatus(&st, m, r)

	bBlocking := v1alpha1.RuleOutcome{Stream: "s", Objective: "b", Level: "GrowingPains", Rule: "metrics.b >= 1",
		Result: "Unknown", Missing: []string{"b"}}
	want := v1alpha1.MaturityTargetStatus{
		ObservedGeneration: 7,
		History:            []v1alpha1.HistoryEntry{{Level: "Startup"}},
		Trend:              TrendSteady,
		Tasks:              keep,
		CurrentLevel:       "Startup",
		NextLevel:          "GrowingPains",
		Score:              &v1alpha1.Score{Passed: 2, Total: 3, Summary: "2/3"},
		BlockedBy:          []v1alpha1.ObjectiveRef{{Stream: "s", Objective: "b"}},
		Objectives: []v1alpha1.ObjectiveResult{
			{Stream: "s", Objective: "a", Owner: v1alpha1.OwnerIT, ReachedLevel: "HighPerformance", MeetsTarget: true,
				Blocking: &v1alpha1.RuleOutcome{Stream: "s", Objective: "a", Level: "EnterpriseGrade", Rule: "metrics.a >= 3",
					Result: "Failed", Values: []string{"a=2 (acme-reported)"}}},
			{Stream: "s", Objective: "b", Owner: v1alpha1.OwnerIT, ReachedLevel: "Startup", Blocking: &bBlocking},
			{Stream: "s", Objective: "c", Owner: v1alpha1.OwnerIT, ReachedLevel: "EnterpriseGrade", MeetsTarget: true},
		},
		StallCauses:    []v1alpha1.StallCauseCount{{Name: "Cost", FailingObjectives: 1}, {Name: "Data", FailingObjectives: 1}},
		MissingMetrics: []string{"b"},
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("status =\n%+v\nwant\n%+v", st, want)
	}

	// At the top nothing blocks and there is no next level; empty lists
	// are nil so an unchanged status compares equal to a stored one.
	r = m.Evaluate(values("a", 3, "b", 3, "c", 3), lvHighPerformance)
	ApplyStatus(&st, m, r)
	if st.CurrentLevel != "EnterpriseGrade" || st.NextLevel != "" || st.BlockedBy != nil || st.StallCauses != nil ||
		st.MissingMetrics != nil || st.Score.Summary != "3/3" {
		t.Errorf("top-level status = %+v", st)
	}
	for _, o := range st.Objectives {
		if o.Blocking != nil || !o.MeetsTarget {
			t.Errorf("objective at top: %+v", o)
		}
	}
}

func TestApplyStatusBelowLowestLevel(t *testing.T) {
	m := mustCompile(t, modelSpec(nil, stream("s", obj("o", nil, crit("Startup", "metrics.x > 0")))))
	var st v1alpha1.MaturityTargetStatus
	ApplyStatus(&st, m, m.Evaluate(nil, lvStartup))
	if st.CurrentLevel != "" || st.NextLevel != "Startup" || st.Objectives[0].ReachedLevel != "" ||
		st.Objectives[0].MeetsTarget || st.Objectives[0].Blocking.Level != "Startup" ||
		!reflect.DeepEqual(st.BlockedBy, []v1alpha1.ObjectiveRef{{Stream: "s", Objective: "o"}}) {
		t.Errorf("status = %+v", st)
	}
}

func TestApplyStatusCaps(t *testing.T) {
	// One rule reading 20 metrics, half missing, with long sources; a
	// hand-made result with more blocking rules than the schema allows.
	var terms []string
	metrics := Metrics{}
	for i := range 20 {
		name := fmt.Sprintf("m%02d", i)
		terms = append(terms, "metrics."+name)
		if i%2 == 0 {
			metrics[name] = Metric{Value: float64(i), Source: strings.Repeat("s", 300)}
		}
	}
	m := mustCompile(t, modelSpec(nil, stream("s", obj("o", nil, crit("GrowingPains", strings.Join(terms, " + ")+" < 0.0")))))
	r := m.Evaluate(metrics, lvGrowingPains)
	r.Objectives[0].Blocking.Message = strings.Repeat("é", 600)
	r.Objectives[0].Blocking.Values = append(r.Objectives[0].Blocking.Values, r.Objectives[0].Blocking.Values...)
	for range 250 {
		r.Blocking = append(r.Blocking, r.Blocking[0])
	}
	for i := range 150 {
		r.Missing = append(r.Missing, fmt.Sprintf("extra%03d%s", i, strings.Repeat("x", 70)))
	}

	var st v1alpha1.MaturityTargetStatus
	ApplyStatus(&st, m, r)
	b := st.Objectives[0].Blocking
	if len(b.Values) != 16 || len(b.Missing) != 10 || utf8.RuneCountInString(b.Message) != 512 || !utf8.ValidString(b.Message) {
		t.Errorf("values=%d missing=%d message=%d runes; want 16, 10, 512", len(b.Values), len(b.Missing), utf8.RuneCountInString(b.Message))
	}
	if last := b.Values[15]; last != "… and 5 more" {
		t.Errorf("last value %q, want how many more there are", last)
	}
	for _, v := range b.Values {
		if len(v) > 256 {
			t.Errorf("value of %d characters", len(v))
		}
	}
	if len(st.BlockedBy) != 200 || len(st.MissingMetrics) != 100 || st.MissingMetricsOmitted != 60 {
		t.Errorf("blockedBy=%d missing=%d (%d more), want 200 and 100 (60 more)", len(st.BlockedBy), len(st.MissingMetrics), st.MissingMetricsOmitted)
	}
	for _, n := range st.MissingMetrics {
		if len(n) > 63 {
			t.Errorf("missing metric name of %d characters", len(n))
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc"},
		{"ééé", 3, "ééé"},
		{"éééé", 3, "ééé"},
		{"", 0, ""},
	}
	for _, tc := range tests {
		if got := truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
