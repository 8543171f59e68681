package supportplan

import (
	"fmt"
	"math"
	"regexp"
	"strconv"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
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
// model of one stream, one objective per rule name, so the maturity engine
// evaluates them: no second rule engine. An objective passes every stage
// it has no rule for, so the current stage is the highest whose rules, and
// those of every lower stage, pass. A rule name may recur in several stages
// (efficient-channels at 0.5 first, at 0.3 later): it is one objective with
// a criterion per stage, since two objectives may not share a name.
func StageModel(spec *v1alpha1.SupportPlanSpec) *v1alpha1.MaturityModelSpec {
	stages := stagesOf(spec)
	m := &v1alpha1.MaturityModelSpec{}
	for _, s := range Stages {
		m.Levels = append(m.Levels, v1alpha1.Level{Name: string(s)})
	}
	stream := v1alpha1.Stream{Name: "customer-service"}
	for _, refs := range objectivesOf(stages) {
		first := stages[refs[0].stage].Rules[refs[0].rule]
		o := v1alpha1.Objective{Name: first.Name, Owner: v1alpha1.OwnerCustomerSupport}
		for _, ref := range refs {
			st := stages[ref.stage]
			o.Criteria = append(o.Criteria, v1alpha1.Criterion{Level: string(st.Stage), Rule: st.Rules[ref.rule].Rule})
		}
		stream.Objectives = append(stream.Objectives, o)
	}
	m.Streams = []v1alpha1.Stream{stream}
	return m
}

// ruleRef is where a criterion of the stage model was written:
// spec.stages[stage].rules[rule].
type ruleRef struct{ stage, rule int }

// objectivesOf groups the rules by name in order of first appearance: the
// i-th element lists, criterion by criterion, where the rules of the stage
// model's i-th objective were written.
func objectivesOf(stages []v1alpha1.StageRules) [][]ruleRef {
	var out [][]ruleRef
	index := map[string]int{}
	for s, st := range stages {
		for r, rule := range st.Rules {
			i, ok := index[rule.Name]
			if !ok {
				i = len(out)
				index[rule.Name] = i
				out = append(out, nil)
			}
			out[i] = append(out[i], ruleRef{stage: s, rule: r})
		}
	}
	return out
}

func stagesOf(spec *v1alpha1.SupportPlanSpec) []v1alpha1.StageRules {
	if len(spec.Stages) == 0 {
		return DefaultStages
	}
	return spec.Stages
}

// CheckStages compiles the plan's stage rules as the controller does (the
// stage model on the maturity engine: one compiler for admission and
// reconcile) and returns every defect where the user wrote it; nil when
// every rule compiles and type-checks.
func CheckStages(spec *v1alpha1.SupportPlanSpec) []maturity.FieldError {
	m, errs := maturity.Compile(StageModel(spec))
	if m != nil {
		// A plan records no comparison period: such a rule could never be
		// decided.
		for _, f := range m.PreviousRules() {
			errs = append(errs, maturity.FieldError{Field: f,
				Message: "reads previous: values of a previous period are kept for MaturityModel rules only"})
		}
	}
	return WhereWritten(spec, errs)
}

// WhereWritten maps the fields of the stage model's errors back to the
// plan's spec with RulePath, keeping their messages.
func WhereWritten(spec *v1alpha1.SupportPlanSpec, errs []maturity.FieldError) []maturity.FieldError {
	if len(errs) == 0 {
		return nil
	}
	out := make([]maturity.FieldError, len(errs))
	for i, e := range errs {
		out[i] = maturity.FieldError{Field: RulePath(spec, e.Field), Message: e.Message}
	}
	return out
}

// RulePath maps a field of the stage model back to the plan's spec:
// spec.streams[0].objectives[i].criteria[c].… becomes
// spec.stages[s].rules[r].…, so a rule that does not compile is reported
// where the user wrote it.
func RulePath(spec *v1alpha1.SupportPlanSpec, field string) string {
	m := objectivePath.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	stages := stagesOf(spec)
	objectives := objectivesOf(stages)
	i, err := strconv.Atoi(m[1])
	if err != nil || i >= len(objectives) {
		return field
	}
	c, rest := 0, m[3]
	if m[2] != "" {
		if c, err = strconv.Atoi(m[2]); err != nil || c >= len(objectives[i]) {
			return field
		}
	}
	ref := objectives[i][c]
	st := stages[ref.stage]
	if len(spec.Stages) == 0 {
		return fmt.Sprintf("default stage %s rule %s", st.Stage, st.Rules[ref.rule].Name)
	}
	if m[2] != "" && rest == ".level" {
		return fmt.Sprintf("spec.stages[%d].stage", ref.stage)
	}
	return fmt.Sprintf("spec.stages[%d].rules[%d]%s", ref.stage, ref.rule, rest)
}

var objectivePath = regexp.MustCompile(`^spec\.streams\[0\]\.objectives\[(\d+)\](?:\.criteria\[(\d+)\])?(.*)$`)

// round2 and round0 round a number as the status and the stage rules show
// it, to 0.01 or to a whole number, and are the last arithmetic on it:
// their result passes the finiteness guard.
func round2(x float64) float64 { return finite(roundTo(x, 100)) }

func round0(x float64) float64 { return finite(math.Round(x)) }

// roundTo rounds x to 1/scale. From 1e15 on a float64 has no fraction
// left worth rounding and x*scale could overflow near the largest float
// (1e307 contacts rounded to 0.01 used to become +Inf), so x stays as is.
func roundTo(x, scale float64) float64 {
	if !(math.Abs(x) < 1e15) {
		return x
	}
	return math.Round(x*scale) / scale
}

// finite is the guard every number passes on its way into the status: JSON
// cannot carry NaN or an infinity, and one of them would fail every status
// patch. support.Validate bounds the inputs so that a projection never
// overflows; should one still, it saturates like support's own outputs.
func finite(x float64) float64 { return support.Finite(x) }
