package samples

import (
	"maps"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/internal/metricsource"
	"github.com/scaleup-operator/scaleup-operator/internal/partners"
)

func TestPartnerStoryOnAnyDay(t *testing.T) {
	r := loadRendered(t)
	gate := sampleGate(t, r)
	for _, now := range storyDays(t, r) {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			s := r.at(t, now)
			spec := &s.program.Spec
			// The program's first pass: nobody admitted yet, the first
			// stage's seats go first come, first served.
			admitted := make([]bool, len(s.partners))
			states := make([]partners.State, len(s.partners))
			for i, p := range s.partners {
				if errs := partners.Validate(p, spec); len(errs) > 0 {
					t.Fatalf("%s: %v", p.Name, errs)
				}
				states[i] = partners.Derive(p, spec, false, now)
			}
			met := partners.TargetsMet(partners.Metrics(s.partners, states, spec, -1, now))
			exp := partners.ExpandGated(spec, "", nil, met, gate, now)
			if exp.Stage != "pilot" {
				t.Errorf("stage %s, want pilot", exp.Stage)
			}
			for _, i := range partners.Admit(s.partners, admitted, exp.Capacity, now) {
				admitted[i] = true
			}
			for i, p := range s.partners {
				got := partners.Derive(p, spec, admitted[i], now).Phase
				if got != wantPhases[p.Name] {
					t.Errorf("%s is %s, want %s", p.Name, got, wantPhases[p.Name])
				}
			}
			if seats := countTrue(admitted); seats != exp.Capacity {
				t.Errorf("%d seats taken, want the pilot's %d", seats, exp.Capacity)
			}
		})
	}
}

// sampleGate judges the sample program's readiness gate as the controller
// does: the sample target's level, evaluated on the sample source's values
// against the sample model. The business is at GrowingPains, which the gate
// requires, so the program is open; a gate above it would hold the story.
func sampleGate(t *testing.T, r rendered) partners.Gate {
	t.Helper()
	var (
		model  v1alpha1.MaturityModel
		source v1alpha1.MetricSource
		target v1alpha1.MaturityTarget
		prog   v1alpha1.PartnerProgram
	)
	for _, d := range []struct {
		doc  []byte
		into any
	}{{r.model, &model}, {r.source, &source}, {r.target, &target}, {r.program, &prog}} {
		if err := yaml.UnmarshalStrict(d.doc, d.into); err != nil {
			t.Fatal(err)
		}
	}
	g := prog.Spec.Readiness
	if g == nil || g.MaturityTargetRef.Name != target.Name || target.Spec.ModelRef.Name != model.Name ||
		len(target.Spec.MetricSources) == 0 || target.Spec.MetricSources[0].Name != source.Name {
		t.Fatalf("the sample program's readiness gate %+v does not name the sample target measured by the sample source", g)
	}
	m, errs := maturity.Compile(&model.Spec)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	metrics := maturity.Metrics{}
	for k, v := range source.Spec.Reported.Values {
		metrics[k] = maturity.Metric{Value: v, Source: source.Name}
	}
	top, _ := m.LevelIndex(target.Spec.TargetLevel)
	// The target's Objects source publishes the support plan's figures; no
	// objective reads them, so whatever they are the level stays.
	for _, extreme := range []float64{-1e9, 0, 1e9} {
		with := maps.Clone(metrics)
		for _, s := range metricsource.SupportSamples(&v1alpha1.SupportPlan{Status: v1alpha1.SupportPlanStatus{
			Projection: &v1alpha1.SupportProjection{}}}) {
			with[s.Name] = maturity.Metric{Value: extreme, Source: "acme-objects"}
		}
		if a, b := m.Evaluate(with, top).CurrentLevel, m.Evaluate(metrics, top).CurrentLevel; a != b {
			t.Errorf("the Objects source's metrics at %g move the sample business from level %d to %d", extreme, b, a)
		}
	}
	eval := m.Evaluate(metrics, top)
	current := ""
	if eval.CurrentLevel >= 0 {
		current = m.Levels()[eval.CurrentLevel]
	}
	if current != "GrowingPains" {
		t.Errorf("the sample business is at %q, the README and the samples say GrowingPains", current)
	}
	gate, err := partners.Readiness(g, target.Name, model.Name, m.Levels(), current)
	if err != nil {
		t.Fatal(err)
	}
	if !gate.Ready {
		t.Errorf("the sample program is held: %s", gate.Message)
	}
	return gate
}
