package maturity

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// climbing is one objective with a rule on x at each level above Startup.
var climbing = modelSpec(nil, stream("s", obj("o", nil,
	crit("GrowingPains", "metrics.x >= 1"),
	crit("HighPerformance", "metrics.x >= 2"),
	crit("EnterpriseGrade", "metrics.x >= 3"),
)))

func TestEvaluateRuleOutcomes(t *testing.T) {
	tests := []struct {
		name    string
		rules   []string // at GrowingPains, HighPerformance, EnterpriseGrade ("" = none)
		metrics Metrics
		reached int
		// blocking outcome, when reached is below the top
		result  Outcome
		values  []string
		missing []string
		message string // substring
	}{
		{name: "climbs to the top", rules: []string{"metrics.x >= 1", "metrics.x >= 2", "metrics.x >= 3"},
			metrics: values("x", 3), reached: lvEnterpriseGrade},
		{name: "stops in the middle", rules: []string{"metrics.x >= 1", "metrics.x >= 2", "metrics.x >= 3"},
			metrics: values("x", 2.5), reached: lvHighPerformance, result: Failed, values: []string{"x=2.5 (reported)"}},
		{name: "fails the lowest rule", rules: []string{"metrics.x >= 1", "", ""},
			metrics: values("x", 0), reached: lvStartup, result: Failed, values: []string{"x=0 (reported)"}},
		{name: "stops at the first failing level although a higher one passes",
			rules:   []string{"metrics.x > 5", "metrics.x > 0", ""},
			metrics: values("x", 1), reached: lvStartup, result: Failed, values: []string{"x=1 (reported)"}},
		{name: "levels without a criterion pass", rules: []string{"", "", "metrics.x > 10"},
			metrics: values("x", 1), reached: lvHighPerformance, result: Failed, values: []string{"x=1 (reported)"}},
		{name: "no criteria reaches the top", rules: []string{"", "", ""}, reached: lvEnterpriseGrade},
		{name: "missing metric is unknown, never passed", rules: []string{"metrics.y < 100", "", ""},
			metrics: values("x", 1), reached: lvStartup, result: Unknown, missing: []string{"y"}},
		{name: "presence test over a missing metric is unknown", rules: []string{"has(metrics.y) ? metrics.y > 1 : true", "", ""},
			reached: lvStartup, result: Unknown, missing: []string{"y"}},
		{name: "decided without the missing metric", rules: []string{"metrics.a > 1 || metrics.b > 2", "", ""},
			metrics: values("a", 3), reached: lvEnterpriseGrade},
		{name: "undecided without the missing metric", rules: []string{"metrics.a > 1 || metrics.b > 2", "", ""},
			metrics: values("a", 0), reached: lvStartup, result: Unknown, values: []string{"a=0 (reported)"}, missing: []string{"b"}},
		{name: "failed despite the missing metric", rules: []string{"metrics.a > 1 && metrics.b > 2", "", ""},
			metrics: values("a", 0), reached: lvStartup, result: Failed, values: []string{"a=0 (reported)"}, missing: []string{"b"}},
		{name: "int literals compare with doubles", rules: []string{"metrics.x <= 4", "metrics.x > 3", "metrics.x != 4.0"},
			metrics: values("x", 4), reached: lvHighPerformance, result: Failed, values: []string{"x=4 (reported)"}},
		{name: "math extension", rules: []string{"math.greatest(metrics.a, metrics.b) >= 1", "math.abs(metrics.b) < 1", ""},
			metrics: values("a", 1, "b", -2), reached: lvGrowingPains, result: Failed, values: []string{"b=-2 (reported)"}},
		{name: "runtime error", rules: []string{"int(metrics.x) / 0 == 1", "", ""},
			metrics: values("x", 1), reached: lvStartup, result: Error, values: []string{"x=1 (reported)"}, message: "division by zero"},
		{name: "cost limit", rules: []string{"[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20].all(i, [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20].all(j, [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20].all(k, double(i+j+k) < metrics.x)))", "", ""},
			metrics: values("x", 100), reached: lvStartup, result: Error, values: []string{"x=100 (reported)"}, message: "cost limit exceeded"},
		{name: "computed key present", rules: []string{`metrics["x" + "y"] > 1`, "", ""},
			metrics: values("xy", 2), reached: lvEnterpriseGrade},
		{name: "computed key missing", rules: []string{`metrics["x" + "y"] > 1`, "", ""},
			metrics: values("x", 2), reached: lvStartup, result: Unknown, missing: []string{"xy"}},
		{name: "computed key missing but decided", rules: []string{`metrics["x" + "y"] > 1 || metrics.x > 1`, "", ""},
			metrics: values("x", 2), reached: lvEnterpriseGrade},
		// Once p is unknown, CEL's && (and ||) absorbs the error of r, so only the
		// first missing computed key is found; the rule is still Unknown.
		{name: "several computed keys missing", rules: []string{`["p", "q", "r"].all(k, metrics[k] > 0.0)`, "", ""},
			metrics: values("q", 1), reached: lvStartup, result: Unknown, missing: []string{"p"}},
		{name: "missing key of a map literal is an error", rules: []string{`{"a": 1.0}["b"] > 0.0`, "", ""},
			metrics: values("x", 1), reached: lvStartup, result: Error, message: "no such key: b"},
		{name: "computed missing key of a map literal is an error, not a missing metric",
			rules:   []string{`{"a": 1.0}["z" + string(int(metrics["x" + ""]))] > 0.0`, "", ""},
			metrics: values("x", 1), reached: lvStartup, result: Error, message: "no such key: z1"},
		// A pattern marking metrics.k unknown also matches the whole map, so
		// a rule that reads the whole map becomes Unknown once any key it
		// looks up is absent: conservative, never Passed.
		{name: "whole-map use with an absent key is unknown",
			rules:   []string{`{"a": 1.0}["z" + string(size(metrics))] > 0.0`, "", ""},
			metrics: values("x", 1), reached: lvStartup, result: Unknown, missing: []string{"z1"}},
		{name: "explicit membership test is decided", rules: []string{`!("y" in metrics)`, "", ""},
			metrics: values("x", 1), reached: lvEnterpriseGrade},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := obj("o", nil)
			for i, r := range tc.rules {
				if r != "" {
					o.Criteria = append(o.Criteria, crit(fourLevels[i+1], r))
				}
			}
			m := mustCompile(t, modelSpec(nil, stream("s", o)))
			res := m.Evaluate(tc.metrics, lvEnterpriseGrade).Objectives[0]
			if res.Reached != tc.reached {
				t.Errorf("reached %d, want %d (blocking %+v)", res.Reached, tc.reached, res.Blocking)
			}
			if tc.reached == lvEnterpriseGrade {
				if res.Blocking != nil {
					t.Errorf("blocking %+v at the top", res.Blocking)
				}
				return
			}
			b := res.Blocking
			if b == nil {
				t.Fatal("no blocking rule below the top")
			}
			if b.Level != tc.reached+1 || b.Rule != tc.rules[b.Level-1] || b.Stream != "s" || b.Objective != "o" {
				t.Errorf("blocking %+v, want the rule at level %d", b, tc.reached+1)
			}
			if b.Result != tc.result || !slices.Equal(b.Values, tc.values) || !slices.Equal(b.Missing, tc.missing) {
				t.Errorf("blocking = %s values=%q missing=%q, want %s values=%q missing=%q",
					b.Result, b.Values, b.Missing, tc.result, tc.values, tc.missing)
			}
			if b.Result != Unknown && len(b.Missing) == 0 && len(m.Evaluate(tc.metrics, lvEnterpriseGrade).Missing) != 0 {
				t.Error("Result.Missing lists a metric no rule lacks")
			}
			if !strings.Contains(b.Message, tc.message) || (tc.message == "") != (b.Message == "") {
				t.Errorf("message %q, want one containing %q", b.Message, tc.message)
			}
		})
	}
}

func TestEvaluateValuesFormatting(t *testing.T) {
	m := mustCompile(t, modelSpec(nil, stream("s", obj("o", nil,
		crit("GrowingPains", "metrics.zeta + metrics.alpha + metrics.big + metrics.tiny < 0.0")))))
	metrics := Metrics{
		"zeta":  {Value: 4, Source: "acme-reported"},
		"alpha": {Value: 0.25, Source: "prometheus"},
		"big":   {Value: 1e21},
		"tiny":  {Value: 1.5e-7, Source: "x"},
	}
	b := m.Evaluate(metrics, lvGrowingPains).Objectives[0].Blocking
	want := []string{"alpha=0.25 (prometheus)", "big=1e+21", "tiny=1.5e-07 (x)", "zeta=4 (acme-reported)"}
	if b == nil || !slices.Equal(b.Values, want) {
		t.Fatalf("values = %q, want %q", b.Values, want)
	}
}

// business builds a model whose objectives each sit on one metric, so a
// test sets every objective's level through that metric's value (0..3).
func business(causes map[string][]string, names ...string) *Model {
	var allCauses []string
	for _, cs := range causes {
		for _, c := range cs {
			if !slices.Contains(allCauses, c) {
				allCauses = append(allCauses, c)
			}
		}
	}
	s := stream("s")
	for _, n := range names {
		s.Objectives = append(s.Objectives, obj(n, causes[n],
			crit("GrowingPains", "metrics."+n+" >= 1"),
			crit("HighPerformance", "metrics."+n+" >= 2"),
			crit("EnterpriseGrade", "metrics."+n+" >= 3")))
	}
	m, errs := Compile(modelSpec(allCauses, s))
	if len(errs) > 0 {
		panic(errs)
	}
	return m
}

func TestEvaluateResult(t *testing.T) {
	m := business(map[string][]string{
		"a": {"Cost", "Data"},
		"b": {"Data"},
		"c": {"Cost"},
		"d": {"Tech", "Cost"},
		"e": {"Tech"},
	}, "a", "b", "c", "d", "e")
	r := m.Evaluate(values("a", 1, "b", 1, "c", 2, "d", 3, "e", 1.5), lvHighPerformance)

	if r.CurrentLevel != lvGrowingPains || r.TargetLevel != lvHighPerformance {
		t.Errorf("current/target = %d/%d, want %d/%d", r.CurrentLevel, r.TargetLevel, lvGrowingPains, lvHighPerformance)
	}
	if r.Passed != 2 || r.Total != 5 || r.TargetMet() {
		t.Errorf("passed/total = %d/%d met=%v, want 2/5 not met", r.Passed, r.Total, r.TargetMet())
	}
	var reached []int
	for _, o := range r.Objectives {
		reached = append(reached, o.Reached)
	}
	if want := []int{1, 1, 2, 3, 1}; !slices.Equal(reached, want) {
		t.Errorf("reached = %v, want %v", reached, want)
	}
	// a, b and e are at the current level: their rules keep the business
	// from HighPerformance. c is above it and does not block.
	var blocking []string
	for _, b := range r.Blocking {
		blocking = append(blocking, b.Objective+"@"+fourLevels[b.Level])
	}
	if want := []string{"a@HighPerformance", "b@HighPerformance", "e@HighPerformance"}; !slices.Equal(blocking, want) {
		t.Errorf("blocking = %v, want %v", blocking, want)
	}
	// Below target: a (Cost, Data), b (Data), e (Tech). Cost and Data tie
	// at 2 and are ordered by name; d's causes do not count.
	if want := []CauseCount{{"Data", 2}, {"Cost", 1}, {"Tech", 1}}; !reflect.DeepEqual(r.StallCauses, want) {
		t.Errorf("stall causes = %v, want %v", r.StallCauses, want)
	}
	if len(r.Missing) != 0 {
		t.Errorf("missing = %v, want none", r.Missing)
	}
}

func TestEvaluateStallCauseTies(t *testing.T) {
	m := business(map[string][]string{"a": {"Zeta", "Alpha"}, "b": {"Mid", "Zeta"}, "c": {"Alpha", "Mid"}}, "a", "b", "c")
	r := m.Evaluate(nil, lvGrowingPains)
	want := []CauseCount{{"Alpha", 2}, {"Mid", 2}, {"Zeta", 2}}
	if !reflect.DeepEqual(r.StallCauses, want) {
		t.Errorf("stall causes = %v, want %v", r.StallCauses, want)
	}
	if r := m.Evaluate(values("a", 1, "b", 1, "c", 1), lvGrowingPains); r.StallCauses != nil {
		t.Errorf("stall causes at target = %v, want none", r.StallCauses)
	}
}

func TestEvaluateTargetAndMissing(t *testing.T) {
	m := business(nil, "a", "b")
	tests := []struct {
		name          string
		metrics       Metrics
		target        int
		current       int
		passed        int
		met           bool
		missing       []string
		blockingCount int
	}{
		{"all at the top", values("a", 3, "b", 3), lvEnterpriseGrade, lvEnterpriseGrade, 2, true, nil, 0},
		{"target below current", values("a", 2, "b", 3), lvGrowingPains, lvHighPerformance, 2, true, nil, 1},
		{"one short of target", values("a", 2, "b", 1), lvHighPerformance, lvGrowingPains, 1, false, nil, 1},
		{"one fails its first rule", values("a", 0, "b", 3), lvGrowingPains, lvStartup, 1, false, nil, 1},
		{"no metrics at all", nil, lvGrowingPains, lvStartup, 0, false, []string{"a", "b"}, 2},
		{"missing counts every rule", values("a", 3), lvStartup, lvStartup, 2, true, []string{"b"}, 1},
		{"target clamped to the top", values("a", 3, "b", 3), 99, lvEnterpriseGrade, 2, true, nil, 0},
		{"target clamped to the bottom", nil, -5, lvStartup, 2, true, []string{"a", "b"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := m.Evaluate(tc.metrics, tc.target)
			if r.CurrentLevel != tc.current || r.Passed != tc.passed || r.Total != 2 || r.TargetMet() != tc.met {
				t.Errorf("current=%d passed=%d/%d met=%v, want current=%d passed=%d/2 met=%v",
					r.CurrentLevel, r.Passed, r.Total, r.TargetMet(), tc.current, tc.passed, tc.met)
			}
			if !slices.Equal(r.Missing, tc.missing) || len(r.Blocking) != tc.blockingCount {
				t.Errorf("missing=%v blocking=%d, want %v and %d", r.Missing, len(r.Blocking), tc.missing, tc.blockingCount)
			}
		})
	}
}

func TestEvaluateBelowLowestLevel(t *testing.T) {
	m := mustCompile(t, modelSpec(nil, stream("s",
		obj("a", nil, crit("Startup", "metrics.x > 1")),
		obj("b", nil))))
	r := m.Evaluate(values("x", 0), lvStartup)
	if r.CurrentLevel != -1 || r.Objectives[0].Reached != -1 || r.Objectives[1].Reached != lvEnterpriseGrade {
		t.Fatalf("current=%d reached=%d,%d; want -1, -1, %d", r.CurrentLevel, r.Objectives[0].Reached, r.Objectives[1].Reached, lvEnterpriseGrade)
	}
	if len(r.Blocking) != 1 || r.Blocking[0].Level != lvStartup || r.Blocking[0].Objective != "a" {
		t.Errorf("blocking = %+v, want a's Startup rule", r.Blocking)
	}
}

func TestEvaluateZeroObjectives(t *testing.T) {
	m := mustCompile(t, modelSpec(nil))
	r := m.Evaluate(nil, lvHighPerformance)
	if r.CurrentLevel != lvEnterpriseGrade || r.Total != 0 || r.Passed != 0 || !r.TargetMet() ||
		r.Objectives == nil || len(r.Objectives) != 0 || r.Blocking != nil || r.StallCauses != nil || r.Missing != nil {
		t.Errorf("result = %+v, want an empty result at the top level", r)
	}
}

func TestEvaluateScaleupModel(t *testing.T) {
	m := mustCompile(t, scaleupSpec())
	r := m.Evaluate(scaleupMetrics(), lvHighPerformance)
	if r.CurrentLevel != lvGrowingPains || r.Passed != 18 || r.Total != 21 || len(r.Missing) != 0 {
		t.Errorf("current=%d passed=%d/%d missing=%v, want GrowingPains 18/21 none missing", r.CurrentLevel, r.Passed, r.Total, r.Missing)
	}
	var blocking []string
	for _, b := range r.Blocking {
		blocking = append(blocking, b.Stream+"/"+b.Objective)
	}
	want := []string{"customer-service/response-time", "technology/performance", "marketing/conversion"}
	if !slices.Equal(blocking, want) {
		t.Errorf("blocking = %v, want %v", blocking, want)
	}
	if want := []CauseCount{{"ComplexityAndCost", 1}, {"CostlyTechnology", 1}, {"MarketingDataOverload", 1}}; !reflect.DeepEqual(r.StallCauses, want) {
		t.Errorf("stall causes = %v, want %v", r.StallCauses, want)
	}
}

// TestEvaluateConcurrently runs one Model from many goroutines; with -race
// it proves Evaluate shares nothing mutable.
func TestEvaluateConcurrently(t *testing.T) {
	m := mustCompile(t, scaleupSpec())
	full := scaleupMetrics()
	partial := scaleupMetrics()
	delete(partial, "conversionRate")
	delete(partial, "uptimePercent")
	wantFull, wantPartial := m.Evaluate(full, lvHighPerformance), m.Evaluate(partial, lvHighPerformance)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 50 {
				metrics, want := full, wantFull
				if g%2 == 1 {
					metrics, want = partial, wantPartial
				}
				if got := m.Evaluate(metrics, lvHighPerformance); !reflect.DeepEqual(got, want) {
					t.Errorf("concurrent evaluation differs:\n%+v\nwant\n%+v", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}
