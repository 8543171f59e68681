package supportplan

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// TestEvaluate: one pass over a plan, from its spec and metrics to what the
// controller writes, or the kind of error that stops it.
func TestEvaluate(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*v1alpha1.SupportPlanSpec)
		metrics maturity.Metrics
		// wantErr is the reason of the error ("" none), wantIn a part of
		// its message.
		wantErr, wantIn string
		stalls          bool
		wantStage       string
		targetMet       bool
	}{
		{name: "base plan is projected and staged", wantStage: string(v1alpha1.StageRevenueTransition)},
		{name: "target reached", edit: func(s *v1alpha1.SupportPlanSpec) { s.TargetStage = v1alpha1.StagePreRevenue },
			wantStage: string(v1alpha1.StageRevenueTransition), targetMet: true},
		{name: "bad number in the spec stalls", edit: func(s *v1alpha1.SupportPlanSpec) { s.Team.Heroes = -2 },
			wantErr: v1alpha1.ReasonInvalidSpec, wantIn: "team.heroes", stalls: true},
		{name: "bad number from a metric waits for a new value",
			edit: func(s *v1alpha1.SupportPlanSpec) {
				s.MetricInputs = []v1alpha1.MetricInput{{Field: "team.heroes", Metric: "agents"}}
			},
			metrics: maturity.Metrics{"agents": {Value: -2}}, wantErr: v1alpha1.ReasonInvalidInput, wantIn: "team.heroes"},
		{name: "a peak that does not exist stalls", edit: func(s *v1alpha1.SupportPlanSpec) {
			s.PeakSeasons = []v1alpha1.PeakSeason{{Name: "bad", Start: "02-30", End: "03-02", Multiplier: 2}}
		}, wantErr: v1alpha1.ReasonInvalidSpec, wantIn: "02-30", stalls: true},
		{name: "a stage rule that does not compile stalls, named where written", edit: func(s *v1alpha1.SupportPlanSpec) {
			s.Stages = []v1alpha1.StageRules{{Stage: v1alpha1.StagePreRevenue, Rules: []v1alpha1.NamedRule{{Name: "a", Rule: "metrics.heroes >"}}}}
		}, wantErr: v1alpha1.ReasonInvalidRule, wantIn: "spec.stages[0].rules[0].rule", stalls: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			if tt.edit != nil {
				tt.edit(spec)
			}
			r := Evaluate(spec, tt.metrics, maturity.Compile, now)
			if tt.wantErr != "" {
				if r.Err == nil {
					t.Fatalf("no error, want %s", tt.wantErr)
				}
				if r.Err.Reason != tt.wantErr || !strings.Contains(r.Err.Message, tt.wantIn) || r.Err.Stalls() != tt.stalls {
					t.Fatalf("error %s %q (stalls %v), want %s containing %q (stalls %v)",
						r.Err.Reason, r.Err.Message, r.Err.Stalls(), tt.wantErr, tt.wantIn, tt.stalls)
				}
				if !tt.stalls && r.Requeue != Interval {
					t.Errorf("requeue %s, want %s for a value that may change", r.Requeue, Interval)
				}
				return
			}
			if r.Err != nil {
				t.Fatalf("error %v", r.Err)
			}
			st := &v1alpha1.SupportPlanStatus{}
			r.ApplyTo(st)
			if st.CurrentStage != tt.wantStage || st.Projection == nil || st.Heroes != 10 {
				t.Errorf("status stage %q heroes %d projection %v, want %q, 10 and a projection", st.CurrentStage, st.Heroes, st.Projection, tt.wantStage)
			}
			types := map[string]metav1.ConditionStatus{}
			for _, c := range r.Conditions {
				types[c.Type] = c.Status
			}
			for _, typ := range []string{v1alpha1.ConditionCapacitySufficient, v1alpha1.ConditionTargetStageReached} {
				if _, ok := types[typ]; !ok {
					t.Errorf("no %s condition in %v", typ, r.Conditions)
				}
			}
			if met := types[v1alpha1.ConditionTargetStageReached] == metav1.ConditionTrue; met != tt.targetMet {
				t.Errorf("TargetStageReached %v, want %v", met, tt.targetMet)
			}
			if r.Resolve == nil || r.Requeue != Interval {
				t.Errorf("resolver %v requeue %s, want a resolver and %s", r.Resolve != nil, r.Requeue, Interval)
			}
		})
	}
}
