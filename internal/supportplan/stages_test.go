package supportplan

import (
	"slices"
	"strings"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

// revenue is a metric source reporting revenue per hero.
var revenue = maturity.Metrics{"revenuePerHero": {Value: 5000, Source: "finance"}}

func TestStageModelDefaultStages(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*v1alpha1.SupportPlanSpec)
		source maturity.Metrics
		want   v1alpha1.SupportStage // "" for below PreRevenue
		// blocking is the rule keeping the plan from the next stage and
		// its outcome; "" at the top.
		blocking string
		result   maturity.Outcome
	}{
		{"everything in place with revenue per hero", func(*v1alpha1.SupportPlanSpec) {}, revenue,
			v1alpha1.StageRevenueGeneration, "", ""},
		{"upsell per hero counts like revenue", func(*v1alpha1.SupportPlanSpec) {},
			maturity.Metrics{"upsellPerHero": {Value: 2, Source: "crm"}}, v1alpha1.StageRevenueGeneration, "", ""},
		{"AI disabled needs no hand-off", func(s *v1alpha1.SupportPlanSpec) { s.AI = nil }, revenue,
			v1alpha1.StageRevenueGeneration, "", ""},
		{"no revenue metric: the revenue rule is Unknown, never passed", func(*v1alpha1.SupportPlanSpec) {}, nil,
			v1alpha1.StageRevenueTransition, "heroes-earn-revenue", maturity.Unknown},
		{"zero revenue and upsell fail", func(*v1alpha1.SupportPlanSpec) {},
			maturity.Metrics{"revenuePerHero": {Value: 0}, "upsellPerHero": {Value: 0}},
			v1alpha1.StageRevenueTransition, "heroes-earn-revenue", maturity.Failed},
		{"phone share 0.5 keeps it at PreRevenue", func(s *v1alpha1.SupportPlanSpec) {
			s.Channels[0].Share, s.Channels[1].Share = 0.5, 0.5
		}, revenue, v1alpha1.StagePreRevenue, "efficient-channels", maturity.Failed},
		{"phone and video together count", func(s *v1alpha1.SupportPlanSpec) {
			s.Channels = append(s.Channels, v1alpha1.SupportChannel{Channel: "Video", Share: 0.1, HandlingMinutes: 20})
			s.Channels[0].Share = 0.6
		}, revenue, v1alpha1.StagePreRevenue, "efficient-channels", maturity.Failed},
		{"deflection below 0.1", func(s *v1alpha1.SupportPlanSpec) { s.SelfService.Deflection = 0.05 }, revenue,
			v1alpha1.StagePreRevenue, "self-service-in-place", maturity.Failed},
		{"no self-service", func(s *v1alpha1.SupportPlanSpec) { s.SelfService = nil }, revenue,
			v1alpha1.StagePreRevenue, "self-service-in-place", maturity.Failed},
		{"AI without hand-off", func(s *v1alpha1.SupportPlanSpec) { s.AI.Handoff = nil }, revenue,
			v1alpha1.StagePreRevenue, "ai-with-handoff", maturity.Failed},
		{"capacity gap", func(s *v1alpha1.SupportPlanSpec) { s.Team.Heroes = 2 }, revenue,
			v1alpha1.StagePreRevenue, "capacity-for-peaks", maturity.Failed},
		{"capacity gap at a peak only", func(s *v1alpha1.SupportPlanSpec) {
			s.PeakSeasons = []v1alpha1.PeakSeason{{Name: "black-friday", Start: "11-20", End: "11-30", Multiplier: 6}}
		}, revenue, v1alpha1.StagePreRevenue, "capacity-for-peaks", maturity.Failed},
		{"no heroes: below PreRevenue", func(s *v1alpha1.SupportPlanSpec) { s.Team.Heroes = 0 }, revenue,
			"", "heroes-in-place", maturity.Failed},
		{"source metric named like a figure: the plan wins", func(*v1alpha1.SupportPlanSpec) {},
			maturity.Metrics{"revenuePerHero": {Value: 1}, "phoneVideoShare": {Value: 0.9}},
			v1alpha1.StageRevenueGeneration, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			tt.mutate(spec)
			model, res := evaluate(t, spec, tt.source)
			want := levelName(model, -1)
			if tt.want != "" {
				want = string(tt.want)
			}
			if got := levelName(model, res.CurrentLevel); got != want {
				t.Fatalf("stage = %s, want %s (blocking %+v)", got, want, res.Blocking)
			}
			if res.TargetMet() != (tt.want == v1alpha1.StageRevenueGeneration) {
				t.Errorf("TargetMet = %v with target RevenueGeneration and stage %s", res.TargetMet(), want)
			}
			if tt.blocking == "" {
				if len(res.Blocking) != 0 {
					t.Errorf("Blocking = %+v, want none", res.Blocking)
				}
				return
			}
			if len(res.Blocking) != 1 || res.Blocking[0].Objective != tt.blocking || res.Blocking[0].Result != tt.result {
				t.Fatalf("Blocking = %+v, want %s %s", res.Blocking, tt.blocking, tt.result)
			}
			if want, ok := blockingValues[tt.name]; ok && !slices.Equal(res.Blocking[0].Values, want) {
				t.Errorf("blocking values = %v, want %v", res.Blocking[0].Values, want)
			}
			for _, v := range res.Blocking[0].Values {
				name, _, _ := strings.Cut(v, "=")
				if _, figure := figureNames[name]; figure && !strings.HasSuffix(v, " (plan)") {
					t.Errorf("blocking value %q of a figure does not come from the plan", v)
				}
			}
		})
	}
}

// blockingValues are the values the blocking rule read, by test name.
var blockingValues = map[string][]string{
	"phone share 0.5 keeps it at PreRevenue": {"phoneVideoShare=0.5 (plan)"},
	"phone and video together count":         {"phoneVideoShare=0.4 (plan)"},
	"AI without hand-off":                    {"aiWithoutHandoff=1 (plan)"},
	"capacity gap":                           {"capacityGap=1 (plan)"},
	"no heroes: below PreRevenue":            {"heroes=0 (plan)"},
	"zero revenue and upsell fail":           {"revenuePerHero=0", "upsellPerHero=0"},
}

var figureNames = Figures(baseInput(), support.Projection{}, baseSpec())

func TestStageModelRevenueUnknown(t *testing.T) {
	model, res := evaluate(t, baseSpec(), nil)
	for _, o := range res.Objectives {
		if o.Objective == "heroes-earn-revenue" && o.Reached >= 2 {
			t.Errorf("heroes-earn-revenue reached %s without a revenue metric", levelName(model, o.Reached))
		}
	}
	b := res.Blocking[0]
	if b.Level != 2 || !slices.Equal(b.Missing, []string{"revenuePerHero", "upsellPerHero"}) {
		t.Errorf("blocking = %+v, want level 2 missing revenuePerHero and upsellPerHero", b)
	}
	if !slices.Equal(res.Missing, []string{"revenuePerHero", "upsellPerHero"}) {
		t.Errorf("Missing = %v, want the revenue metrics only: every figure is present", res.Missing)
	}
}

func TestStageModelShape(t *testing.T) {
	m := StageModel(baseSpec())
	var levels []string
	for _, l := range m.Levels {
		levels = append(levels, l.Name)
	}
	if !slices.Equal(levels, []string{"PreRevenue", "RevenueTransition", "RevenueGeneration"}) {
		t.Errorf("levels = %v", levels)
	}
	if len(m.Streams) != 1 || m.Streams[0].Name != "customer-service" {
		t.Fatalf("streams = %+v, want one customer-service stream", m.Streams)
	}
	var got []string
	for _, o := range m.Streams[0].Objectives {
		if o.Owner != v1alpha1.OwnerCustomerSupport || len(o.Criteria) != 1 {
			t.Errorf("objective %+v, want owner CustomerSupport and one criterion", o)
			continue
		}
		got = append(got, o.Criteria[0].Level+"/"+o.Name+": "+o.Criteria[0].Rule)
	}
	var want []string
	for _, s := range DefaultStages {
		for _, r := range s.Rules {
			want = append(want, string(s.Stage)+"/"+r.Name+": "+r.Rule)
		}
	}
	if !slices.Equal(got, want) || len(want) != 6 {
		t.Errorf("objectives =\n%v\nwant\n%v", got, want)
	}
}

func TestStageModelCustomStages(t *testing.T) {
	tests := []struct {
		name   string
		stages []v1alpha1.StageRules
		mutate func(*v1alpha1.SupportPlanSpec)
		want   int // level index, -1 below PreRevenue
		rules  int
	}{
		{"custom rules replace the defaults: a failing PreRevenue rule", []v1alpha1.StageRules{
			{Stage: v1alpha1.StagePreRevenue, Rules: []v1alpha1.NamedRule{{Name: "big-team", Rule: "metrics.heroes >= 100"}}},
		}, nil, -1, 1},
		{"only PreRevenue written: the stages above have no rules and pass", []v1alpha1.StageRules{
			{Stage: v1alpha1.StagePreRevenue, Rules: []v1alpha1.NamedRule{{Name: "team", Rule: "metrics.heroes >= 5"}}},
		}, func(s *v1alpha1.SupportPlanSpec) {
			s.AI.Handoff = nil
			s.Channels[0].Share, s.Channels[1].Share = 0.1, 0.9
		}, 2, 1},
		{"stages written top first", []v1alpha1.StageRules{
			{Stage: v1alpha1.StageRevenueGeneration, Rules: []v1alpha1.NamedRule{{Name: "huge", Rule: "metrics.demandNow > 1e6"}}},
			{Stage: v1alpha1.StagePreRevenue, Rules: []v1alpha1.NamedRule{{Name: "team", Rule: "metrics.heroes >= 5"}}},
		}, nil, 1, 2},
		{"a rule name in two stages is one objective with two criteria", []v1alpha1.StageRules{
			{Stage: v1alpha1.StageRevenueTransition, Rules: []v1alpha1.NamedRule{
				{Name: "efficient-channels", Rule: "metrics.phoneVideoShare <= 0.5"},
				{Name: "self-service", Rule: "metrics.deflection >= 0.05"},
			}},
			{Stage: v1alpha1.StageRevenueGeneration, Rules: []v1alpha1.NamedRule{{Name: "efficient-channels", Rule: "metrics.phoneVideoShare <= 0.3"}}},
		}, func(s *v1alpha1.SupportPlanSpec) { s.Channels[0].Share, s.Channels[1].Share = 0.6, 0.4 }, 1, 3},
		{"the repeated rule passing both stages", []v1alpha1.StageRules{
			{Stage: v1alpha1.StageRevenueTransition, Rules: []v1alpha1.NamedRule{{Name: "efficient-channels", Rule: "metrics.phoneVideoShare <= 0.5"}}},
			{Stage: v1alpha1.StageRevenueGeneration, Rules: []v1alpha1.NamedRule{{Name: "efficient-channels", Rule: "metrics.phoneVideoShare <= 0.3"}}},
		}, nil, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			spec.Stages = tt.stages
			if tt.mutate != nil {
				tt.mutate(spec)
			}
			model, res := evaluate(t, spec, revenue)
			if res.CurrentLevel != tt.want {
				t.Errorf("stage = %s, want %s (blocking %+v)", levelName(model, res.CurrentLevel), levelName(model, tt.want), res.Blocking)
			}
			if model.RuleCount() != tt.rules {
				t.Errorf("RuleCount = %d, want %d: custom stages replace the defaults", model.RuleCount(), tt.rules)
			}
		})
	}
}
