package maturity

import (
	"slices"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// shadowed returns twoObjectives with edit applied.
func shadowed(edit func(*v1alpha1.MaturityModelSpec)) *v1alpha1.MaturityModelSpec {
	spec := twoObjectives()
	edit(spec)
	return spec
}

func TestShadow(t *testing.T) {
	tests := []struct {
		name    string
		spec    *v1alpha1.MaturityModelSpec
		metrics Metrics
		// enforced result
		current, passed, total int
		next                   string
		// what shadow rules would do
		shadowLevel, shadowObjectives int
		shadowRule                    string // objective a's shadowBlocking rule
		gaps                          []string
	}{
		{name: "a failing shadow criterion changes neither level nor tasks",
			spec: shadowed(func(s *v1alpha1.MaturityModelSpec) {
				s.Streams[0].Objectives[0].Criteria[1] = v1alpha1.Criterion{Level: "HighPerformance", Rule: "metrics.x >= 2.5", Shadow: true}
			}),
			metrics: values("x", 2, "y", 2), current: lvHighPerformance, passed: 2, total: 2, next: "EnterpriseGrade",
			shadowLevel: lvGrowingPains, shadowObjectives: 1, shadowRule: "metrics.x >= 2.5"},
		{name: "a passing shadow criterion is silent",
			spec: shadowed(func(s *v1alpha1.MaturityModelSpec) {
				s.Streams[0].Objectives[0].Criteria[0].Shadow = true
			}),
			metrics: values("x", 2, "y", 2), current: lvHighPerformance, passed: 2, total: 2, next: "EnterpriseGrade",
			shadowLevel: lvHighPerformance},
		{name: "a shadow objective counts in neither the level nor the score",
			spec: shadowed(func(s *v1alpha1.MaturityModelSpec) {
				s.Streams[0].Objectives[0].Shadow = true
			}),
			metrics: values("x", 0, "y", 2), current: lvHighPerformance, passed: 1, total: 1, next: "EnterpriseGrade",
			shadowLevel: lvStartup, shadowObjectives: 1, shadowRule: "metrics.x >= 1"},
		{name: "a shadow level is skipped: the business climbs over it and no task aims at it",
			spec: shadowed(func(s *v1alpha1.MaturityModelSpec) {
				s.Levels[lvGrowingPains].Shadow = true
			}),
			metrics: values("x", 0, "y", 2), current: lvStartup, passed: 1, total: 2, next: "HighPerformance",
			shadowLevel: lvStartup, shadowObjectives: 1, shadowRule: "metrics.x >= 1", gaps: []string{"s/a/HighPerformance"}},
		{name: "a business held just above a shadow level counts at the level below it",
			spec: shadowed(func(s *v1alpha1.MaturityModelSpec) {
				s.Levels[lvHighPerformance].Shadow = true
			}),
			metrics: values("x", 2, "y", 2.5), current: lvGrowingPains, passed: 0, total: 2, next: "EnterpriseGrade",
			shadowLevel: lvHighPerformance, gaps: []string{"s/a/EnterpriseGrade", "s/b/EnterpriseGrade"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustCompile(t, tc.spec)
			target := lvHighPerformance
			if tc.spec.Levels[target].Shadow {
				target = lvEnterpriseGrade
			}
			r := m.Evaluate(tc.metrics, target)
			if r.CurrentLevel != tc.current || r.Passed != tc.passed || r.Total != tc.total {
				t.Errorf("current %d passed %d/%d, want %d %d/%d", r.CurrentLevel, r.Passed, r.Total, tc.current, tc.passed, tc.total)
			}
			if r.ShadowLevel != tc.shadowLevel || r.ShadowObjectives != tc.shadowObjectives || !r.HasShadow {
				t.Errorf("shadow level %d objectives %d, want %d %d", r.ShadowLevel, r.ShadowObjectives, tc.shadowLevel, tc.shadowObjectives)
			}
			var rule string
			if sb := r.Objectives[0].ShadowBlocking; sb != nil {
				rule = sb.Rule
			}
			if rule != tc.shadowRule {
				t.Errorf("shadow rule %q, want %q", rule, tc.shadowRule)
			}
			if g := gapKeys(Gaps(m, r)); !slices.Equal(g, tc.gaps) {
				t.Errorf("gaps %v, want %v", g, tc.gaps)
			}
			var st v1alpha1.MaturityTargetStatus
			ApplyStatus(&st, m, r)
			if st.NextLevel != tc.next || st.Shadow == nil || st.Shadow.CurrentLevel != nameAt(m.Levels(), tc.shadowLevel) {
				t.Errorf("status next %q shadow %+v", st.NextLevel, st.Shadow)
			}
			if (st.Objectives[0].ShadowBlocking != nil) != (tc.shadowRule != "") {
				t.Errorf("status shadowBlocking %+v", st.Objectives[0].ShadowBlocking)
			}
		})
	}
}

func TestNoShadowNoShadowStatus(t *testing.T) {
	m := mustCompile(t, twoObjectives())
	var st v1alpha1.MaturityTargetStatus
	ApplyStatus(&st, m, m.Evaluate(values("x", 0), lvHighPerformance))
	if st.Shadow != nil || st.Score.Percent != nil {
		t.Errorf("a model without shadow rules or weights adds nothing to the status: %+v %+v", st.Shadow, st.Score)
	}
}

func TestWeightedScore(t *testing.T) {
	weighted := func(wa, wb int32, keyA, keyB bool) *v1alpha1.MaturityModelSpec {
		spec := twoObjectives()
		spec.Streams[0].Objectives[0].Weight, spec.Streams[0].Objectives[0].Key = &wa, keyA
		spec.Streams[0].Objectives[1].Weight, spec.Streams[0].Objectives[1].Key = &wb, keyB
		return spec
	}
	tests := []struct {
		name       string
		spec       *v1alpha1.MaturityModelSpec
		metrics    Metrics
		percent    int32
		keyFailing []v1alpha1.ObjectiveRef
		current    int
	}{
		{"weights share the score", weighted(3, 1, false, false), values("x", 2, "y", 0), 75, nil, lvStartup},
		{"rounded down", weighted(2, 1, false, false), values("x", 2, "y", 0), 66, nil, lvStartup},
		{"a failing key objective is named and caps the level whatever its weight",
			weighted(1, 99, false, true), values("x", 2, "y", 1), 1, []v1alpha1.ObjectiveRef{{Stream: "s", Objective: "b"}}, lvGrowingPains},
		{"a passing key objective is not named", weighted(1, 1, true, false), values("x", 2, "y", 2), 100, nil, lvHighPerformance},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustCompile(t, tc.spec)
			r := m.Evaluate(tc.metrics, lvHighPerformance)
			var st v1alpha1.MaturityTargetStatus
			ApplyStatus(&st, m, r)
			if st.Score.Percent == nil || *st.Score.Percent != tc.percent {
				t.Errorf("percent %v, want %d", st.Score.Percent, tc.percent)
			}
			if !slices.Equal(st.Score.KeyFailing, tc.keyFailing) {
				t.Errorf("keyFailing %v, want %v", st.Score.KeyFailing, tc.keyFailing)
			}
			if r.CurrentLevel != tc.current {
				t.Errorf("current %d, want %d", r.CurrentLevel, tc.current)
			}
		})
	}
}

func TestWeightBelowOneIsRefused(t *testing.T) {
	spec := twoObjectives()
	zero := int32(0)
	spec.Streams[0].Objectives[1].Weight = &zero
	_, errs := Compile(spec)
	if len(errs) != 1 || errs[0].Field != "spec.streams[0].objectives[1].weight" {
		t.Fatalf("errs = %v", errs)
	}
}
