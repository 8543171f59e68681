package maturity

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

func TestCampaignPhase(t *testing.T) {
	start := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	target := start.Add(30 * 24 * time.Hour)
	tests := []struct {
		now   time.Time
		phase string
		next  time.Time
	}{
		{start.Add(-time.Second), v1alpha1.CampaignScheduled, start},
		{start, v1alpha1.CampaignActive, target},
		{target.Add(-time.Second), v1alpha1.CampaignActive, target},
		{target, v1alpha1.CampaignEnforced, time.Time{}},
		{target.Add(time.Hour), v1alpha1.CampaignEnforced, time.Time{}},
	}
	for _, tt := range tests {
		phase, next := CampaignPhase(start, target, tt.now)
		if phase != tt.phase || !next.Equal(tt.next) {
			t.Errorf("CampaignPhase(%s) = %s, %s; want %s, %s", tt.now, phase, next, tt.phase, tt.next)
		}
	}
}

// campaignSpec raises objective a's GrowingPains bar to x >= 2 and adds an
// objective c to stream s reading z.
func campaignSpec() *v1alpha1.CampaignSpec {
	c := obj("c", nil, crit("GrowingPains", "metrics.z >= 1"))
	c.Projects = []v1alpha1.ProjectTemplate{{Level: "GrowingPains", Title: "measure z"}}
	return &v1alpha1.CampaignSpec{Objectives: []v1alpha1.CampaignObjective{
		{Stream: "s", Tighten: &v1alpha1.ObjectiveTightening{Objective: "a", Criteria: []v1alpha1.Criterion{crit("GrowingPains", "metrics.x >= 2")}}},
		{Stream: "s", Add: &c},
	}}
}

func mustCampaign(t *testing.T, spec *v1alpha1.CampaignSpec) *Campaign {
	t.Helper()
	c, errs := CompileCampaign(spec)
	if len(errs) > 0 {
		t.Fatalf("CompileCampaign: %v", errs)
	}
	return c
}

func TestWithCampaigns(t *testing.T) {
	due := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	// a passes GrowingPains on the model's rule (x >= 1) but not on the
	// campaign's (x >= 2); c fails; b passes HighPerformance.
	metrics := values("x", 1, "y", 2, "z", 0)
	tests := []struct {
		phase          string
		current        int
		passed, total  int
		gaps           []string // stream/objective/level[@due]
		shadowBlocking string   // objective a's
		failing        []string
	}{
		{phase: v1alpha1.CampaignScheduled, current: lvGrowingPains, passed: 1, total: 2,
			gaps: []string{"s/a/HighPerformance"}, shadowBlocking: "metrics.x >= 2", failing: []string{"a", "c"}},
		{phase: v1alpha1.CampaignActive, current: lvGrowingPains, passed: 1, total: 2,
			gaps: []string{"s/a/GrowingPains@due", "s/c/GrowingPains@due"}, shadowBlocking: "metrics.x >= 2", failing: []string{"a", "c"}},
		{phase: v1alpha1.CampaignEnforced, current: lvStartup, passed: 1, total: 3,
			gaps: []string{"s/a/GrowingPains", "s/c/GrowingPains"}, failing: []string{"a", "c"}},
	}
	base := mustCompile(t, twoObjectives())
	camp := mustCampaign(t, campaignSpec())
	for _, tt := range tests {
		t.Run(tt.phase, func(t *testing.T) {
			m, skipped := base.WithCampaigns([]PhasedCampaign{{Name: "q2", Phase: tt.phase, Due: due, Campaign: camp}})
			if skipped[0] != "" {
				t.Fatalf("skipped: %s", skipped[0])
			}
			r := m.Evaluate(metrics, lvHighPerformance)
			if r.CurrentLevel != tt.current || r.Passed != tt.passed || r.Total != tt.total {
				t.Errorf("level %d, %d/%d; want %d, %d/%d", r.CurrentLevel, r.Passed, r.Total, tt.current, tt.passed, tt.total)
			}
			var gaps []string
			for _, g := range Gaps(m, r) {
				s := g.Key.Stream + "/" + g.Key.Objective + "/" + g.Key.Level
				if !g.Due.IsZero() {
					if !g.Due.Equal(due) {
						t.Errorf("gap %s due %s, want %s", s, g.Due, due)
					}
					s += "@due"
				}
				gaps = append(gaps, s)
			}
			if !slices.Equal(gaps, tt.gaps) {
				t.Errorf("gaps %v, want %v", gaps, tt.gaps)
			}
			var sb string
			if b := r.Objectives[0].ShadowBlocking; b != nil {
				sb = b.Rule
			}
			if sb != tt.shadowBlocking {
				t.Errorf("a's shadowBlocking %q, want %q", sb, tt.shadowBlocking)
			}
			res := m.CampaignResults(r)
			var failing []string
			for _, f := range res[0].Failing {
				failing = append(failing, f.Objective)
			}
			if len(res) != 1 || res[0].Passing != 2-len(tt.failing) || !slices.Equal(failing, tt.failing) {
				t.Errorf("campaign results %+v, want failing %v", res, tt.failing)
			}
			resolve := Resolver(m, r)
			got := resolve(tasks.Key{Stream: "s", Objective: "a", Level: "GrowingPains"})
			if wantOpen := tt.phase != v1alpha1.CampaignScheduled; got.Resolved == wantOpen {
				t.Errorf("a's GrowingPains task resolved=%v (%s), want %v", got.Resolved, got.Message, !wantOpen)
			}
		})
	}
	// The base model is untouched by a merge.
	if r := base.Evaluate(metrics, lvHighPerformance); r.CurrentLevel != lvGrowingPains || len(r.Objectives) != 2 || r.HasShadow {
		t.Errorf("base model changed by the merge: %+v", r)
	}
}

func TestWithCampaignsPassing(t *testing.T) {
	base := mustCompile(t, twoObjectives())
	m, _ := base.WithCampaigns([]PhasedCampaign{{Name: "q2", Phase: v1alpha1.CampaignActive, Campaign: mustCampaign(t, campaignSpec())}})
	r := m.Evaluate(values("x", 2, "y", 2, "z", 1), lvGrowingPains)
	if res := m.CampaignResults(r); res[0].Passing != 2 || len(res[0].Failing) != 0 {
		t.Errorf("results %+v, want both passing", res)
	}
	if gaps := Gaps(m, r); len(gaps) != 0 {
		t.Errorf("gaps %+v, want none", gaps)
	}
}

func TestCheckCampaign(t *testing.T) {
	base := mustCompile(t, twoObjectives())
	tests := []struct {
		name  string
		edit  func(*v1alpha1.CampaignSpec)
		field string
	}{
		{"unknown stream", func(s *v1alpha1.CampaignSpec) { s.Objectives[0].Stream = "nope" }, "spec.objectives[0].stream"},
		{"unknown objective", func(s *v1alpha1.CampaignSpec) { s.Objectives[0].Tighten.Objective = "nope" }, "spec.objectives[0].tighten.objective"},
		{"unknown level", func(s *v1alpha1.CampaignSpec) { s.Objectives[0].Tighten.Criteria[0].Level = "Huge" }, "spec.objectives[0].tighten.criteria[0].level"},
		{"added objective exists", func(s *v1alpha1.CampaignSpec) { s.Objectives[1].Add.Name = "b" }, "spec.objectives[1].add.name"},
		{"unknown cause", func(s *v1alpha1.CampaignSpec) { s.Objectives[1].Add.Causes = []string{"Nope"} }, "spec.objectives[1].add.causes[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := campaignSpec()
			tt.edit(spec)
			errs := base.CheckCampaign(mustCampaign(t, spec))
			if len(errs) != 1 || errs[0].Field != tt.field {
				t.Fatalf("errors %v, want one at %s", errs, tt.field)
			}
			m, skipped := base.WithCampaigns([]PhasedCampaign{{Name: "bad", Phase: v1alpha1.CampaignEnforced, Campaign: mustCampaign(t, spec)}})
			if m.ObjectiveCount() != 2 || !strings.Contains(skipped[0], tt.field) {
				t.Errorf("a bad campaign was merged: %d objectives, skipped %q", m.ObjectiveCount(), skipped[0])
			}
		})
	}
}

func TestCompileCampaignRuleErrors(t *testing.T) {
	spec := campaignSpec()
	spec.Objectives[0].Tighten.Criteria[0].Rule = "metrics.x >="
	spec.Objectives[1].Add.Criteria[0].Rule = "metrics.z"
	_, errs := CompileCampaign(spec)
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field)
	}
	want := []string{"spec.objectives[0].tighten.criteria[0].rule", "spec.objectives[1].add.criteria[0].rule"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields %v, want %v", fields, want)
	}
}

func TestCacheCompilesACampaignOncePerGeneration(t *testing.T) {
	c := NewCache()
	camp := &v1alpha1.Campaign{Spec: *campaignSpec()}
	camp.UID, camp.Generation = "u1", 1
	for range 3 {
		if cc, errs := c.Campaign(camp); cc == nil || len(errs) > 0 {
			t.Fatalf("Campaign: %v", errs)
		}
	}
	if n := c.Compilations(); n != 1 {
		t.Errorf("%d compilations for one generation, want 1", n)
	}
	camp.Generation = 2
	c.Campaign(camp)
	c.ForgetCampaign(camp.UID)
	c.Campaign(camp)
	if n := c.Compilations(); n != 3 {
		t.Errorf("%d compilations, want 3 (a new generation, then after Forget)", n)
	}
}

// A campaign rule cannot read the previous period: targets keep snapshots
// of the metrics their model's rules read through previous only, so such a
// rule would never be judged.
func TestCompileCampaignRefusesPrevious(t *testing.T) {
	spec := campaignSpec()
	spec.Objectives[1].Add.Criteria[0].Rule = "metrics.z <= previous.z"
	_, errs := CompileCampaign(spec)
	if len(errs) != 1 || errs[0].Field != "spec.objectives[1].add.criteria[0].rule" ||
		!strings.Contains(errs[0].Message, "previous.z") || !strings.Contains(errs[0].Message, "MaturityModel") {
		t.Errorf("errors %v, want one at spec.objectives[1].add.criteria[0].rule naming previous.z and the model", errs)
	}
}

// A model at the schema's 200 objectives with a campaign's new ones merged
// in lists the first 200 and counts the rest, instead of dropping them
// without a word.
func TestStatusCountsObjectivesBeyondItsLimit(t *testing.T) {
	m := mustCompileLargest(t)
	stream := largestModel().Streams[0].Name
	spec := &v1alpha1.CampaignSpec{}
	for i := range 3 {
		spec.Objectives = append(spec.Objectives, v1alpha1.CampaignObjective{Stream: stream,
			Add: &v1alpha1.Objective{Name: fmt.Sprintf("added-%d", i), Criteria: []v1alpha1.Criterion{crit(m.Levels()[1], "metrics.x >= 1")}}})
	}
	merged, skipped := m.WithCampaigns([]PhasedCampaign{{Name: "more", Phase: v1alpha1.CampaignEnforced, Campaign: mustCampaign(t, spec)}})
	if skipped[0] != "" {
		t.Fatalf("skipped: %s", skipped[0])
	}
	r := merged.Evaluate(nil, len(m.Levels())-1)
	var st v1alpha1.MaturityTargetStatus
	ApplyStatus(&st, merged, r)
	if len(r.Objectives) != schemaObjectivesInAll+3 || len(st.Objectives) != schemaObjectivesInAll || st.ObjectivesOmitted != 3 {
		t.Errorf("%d objectives evaluated, %d listed, %d counted omitted; want %d, %d, 3",
			len(r.Objectives), len(st.Objectives), st.ObjectivesOmitted, schemaObjectivesInAll+3, schemaObjectivesInAll)
	}
	ApplyStatus(&st, m, m.Evaluate(nil, len(m.Levels())-1))
	if st.ObjectivesOmitted != 0 {
		t.Errorf("objectivesOmitted %d after the campaign left, want 0", st.ObjectivesOmitted)
	}
}
