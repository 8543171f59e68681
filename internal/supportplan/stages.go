package supportplan

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Stages are the support stages, lowest first.
var Stages = []v1alpha1.SupportStage{v1alpha1.StagePreRevenue, v1alpha1.StageRevenueTransition, v1alpha1.StageRevenueGeneration}

// MaxPhoneVideoShare is the share of contacts phone and video may carry in
// an efficient mix (seed 002: move contacts to chat, SMS and email).
const MaxPhoneVideoShare = 0.3

// DefaultStages express seed 002: before revenue, a hero or two answer
// every channel; in the transition to revenue the team picks efficient
// channels, puts self-service in place and lets AI answer only with a
// hand-off to a human; when generating revenue the heroes earn it
// (revenue or upsell per hero, from the metric sources).
var DefaultStages = []v1alpha1.StageRules{
	{Stage: v1alpha1.StagePreRevenue, Rules: []v1alpha1.NamedRule{
		{Name: "heroes-in-place", Rule: "metrics.heroes >= 1"},
	}},
	{Stage: v1alpha1.StageRevenueTransition, Rules: []v1alpha1.NamedRule{
		{Name: "efficient-channels", Rule: "metrics.phoneVideoShare <= 0.3"},
		{Name: "self-service-in-place", Rule: "metrics.deflection >= 0.1"},
		{Name: "ai-with-handoff", Rule: "metrics.aiWithoutHandoff == 0.0"},
		{Name: "capacity-for-peaks", Rule: "metrics.capacityGap == 0.0"},
	}},
	{Stage: v1alpha1.StageRevenueGeneration, Rules: []v1alpha1.NamedRule{
		{Name: "heroes-earn-revenue", Rule: "metrics.revenuePerHero > 0 || metrics.upsellPerHero > 0"},
	}},
}

// StageModel turns the plan's stage rules (or the defaults) into a maturity
// model of one stream, one objective per rule, so the maturity engine
// evaluates them: no second rule engine. An objective passes every stage
// but its own, so the current stage is the highest whose rules, and those
// of every lower stage, pass.
func StageModel(spec *v1alpha1.SupportPlanSpec) *v1alpha1.MaturityModelSpec {
	stages := stagesOf(spec)
	m := &v1alpha1.MaturityModelSpec{}
	for _, s := range Stages {
		m.Levels = append(m.Levels, v1alpha1.Level{Name: string(s)})
	}
	stream := v1alpha1.Stream{Name: "customer-service"}
	for _, s := range stages {
		for _, r := range s.Rules {
			stream.Objectives = append(stream.Objectives, v1alpha1.Objective{
				Name:     r.Name,
				Owner:    v1alpha1.OwnerCustomerSupport,
				Criteria: []v1alpha1.Criterion{{Level: string(s.Stage), Rule: r.Rule}},
			})
		}
	}
	m.Streams = []v1alpha1.Stream{stream}
	return m
}

func stagesOf(spec *v1alpha1.SupportPlanSpec) []v1alpha1.StageRules {
	if len(spec.Stages) == 0 {
		return DefaultStages
	}
	return spec.Stages
}

// RulePath maps a field of the stage model back to the plan's spec:
// spec.streams[0].objectives[i].… becomes spec.stages[s].rules[r].…, so a
// rule that does not compile is reported where the user wrote it.
func RulePath(spec *v1alpha1.SupportPlanSpec, field string) string {
	m := objectivePath.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	i, _ := strconv.Atoi(m[1])
	rest := strings.TrimPrefix(m[2], ".criteria[0]")
	for s, st := range stagesOf(spec) {
		if i < len(st.Rules) {
			if len(spec.Stages) == 0 {
				return fmt.Sprintf("default stage %s rule %s", st.Stage, st.Rules[i].Name)
			}
			return fmt.Sprintf("spec.stages[%d].rules[%d]%s", s, i, rest)
		}
		i -= len(st.Rules)
	}
	return field
}

var objectivePath = regexp.MustCompile(`^spec\.streams\[0\]\.objectives\[(\d+)\](.*)$`)

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func round0(x float64) float64 { return math.Round(x) }
