package supportplan

import (
	"math"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

var now = time.Date(2026, time.January, 1, 9, 30, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func ptr[T any](v T) *T { return &v }

// baseSpec: 1000 contacts a week, 70% e-mail and 30% phone at 6 minutes =
// 100 hero hours; a hero gives 40 h * 0.8 = 32 h, so 4 heroes are needed
// and the team has 10. Self-service deflects 10%; AI hands off on chat.
// It satisfies every default stage rule but the revenue one.
func baseSpec() *v1alpha1.SupportPlanSpec {
	return &v1alpha1.SupportPlanSpec{
		Business:    "acme",
		TargetStage: v1alpha1.StageRevenueGeneration,
		Team:        v1alpha1.SupportTeam{Heroes: 10},
		Demand:      v1alpha1.SupportDemand{ContactsPerWeek: 1000},
		Channels: []v1alpha1.SupportChannel{
			{Channel: "Email", Share: 0.7, HandlingMinutes: 6},
			{Channel: "Phone", Share: 0.3, HandlingMinutes: 6},
		},
		SelfService: &v1alpha1.SelfService{Deflection: 0.1},
		AI:          &v1alpha1.SupportAI{Enabled: true, Containment: 0.2, Handoff: &v1alpha1.HumanHandoff{Channel: "Chat"}},
	}
}

// project runs the spec through Input, Validate and Project as the
// controller does.
func project(t *testing.T, spec *v1alpha1.SupportPlanSpec, metrics maturity.Metrics) (support.Input, support.Projection) {
	t.Helper()
	in, err := Input(spec, metrics, now)
	if err != nil {
		t.Fatalf("Input: %v", err)
	}
	if errs := support.Validate(in); len(errs) > 0 {
		t.Fatalf("Validate: %v", errs)
	}
	p, err := support.Project(in)
	if err != nil {
		t.Fatalf("Project: %v", err)
	}
	return in, p
}

// evaluate compiles the plan's stage model and evaluates it on the source
// metrics overlaid with the plan's figures (the plan wins a clash), as
// Evaluate does.
func evaluate(t *testing.T, spec *v1alpha1.SupportPlanSpec, source maturity.Metrics) (*maturity.Model, maturity.Result) {
	t.Helper()
	r := Evaluate(spec, source, maturity.Compile, now)
	if r.Err != nil {
		t.Fatalf("Evaluate: %v", r.Err)
	}
	return r.Model, r.Stages
}

func levelName(m *maturity.Model, i int) string {
	if i < 0 {
		return "below " + m.Levels()[0]
	}
	return m.Levels()[i]
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }
