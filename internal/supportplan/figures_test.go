package supportplan

import (
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/support"
)

func TestFigures(t *testing.T) {
	in := support.Input{Heroes: 6, Deflection: 0.1234, AIContainment: 0.3333}
	p := support.Projection{
		DemandNow: 1234.5, DemandAtHorizon: 2000.49, MinutesPerContact: 5.678, HeroContactShare: 0.6666,
		RequiredHeroesNow: 4, CapacityGap: 3, VolumePerHero: 133.337, HoursPerHero: 12.344, PhoneVideoShare: 0.306,
		Peaks: []support.PeakProjection{{Name: "a", RequiredHeroes: 9, Gap: 3}, {Name: "b", RequiredHeroes: 7, Gap: 1}},
	}
	spec := baseSpec()
	spec.SelfService.TargetDeflection = ptr(0.256)
	want := map[string]float64{
		"heroes":            6,
		"requiredHeroes":    9,
		"requiredHeroesNow": 4,
		"capacityGap":       3,
		"phoneVideoShare":   0.31,
		"deflection":        0.12,
		"targetDeflection":  0.26,
		"aiContainment":     0.33,
		"aiWithoutHandoff":  0,
		"heroContactShare":  0.67,
		"minutesPerContact": 5.68,
		"volumePerHero":     133.34,
		"hoursPerHero":      12.34,
		"demandNow":         1235,
		"demandAtHorizon":   2000,
	}
	got := Figures(in, p, spec)
	if len(got) != len(want) {
		t.Errorf("Figures has %d metrics, want %d: %v", len(got), len(want), got)
	}
	for name, v := range want {
		m, ok := got[name]
		switch {
		case !ok:
			t.Errorf("figure %s missing", name)
		case m.Source != PlanSource || PlanSource != "plan":
			t.Errorf("figure %s source = %q, want %q", name, m.Source, "plan")
		case !near(m.Value, v):
			t.Errorf("figure %s = %v, want %v", name, m.Value, v)
		}
	}
}

func TestFiguresRequiredHeroes(t *testing.T) {
	tests := []struct {
		name  string
		now   int
		peaks []int
		want  float64
	}{
		{"no peaks: now", 5, nil, 5},
		{"now above every peak", 8, []int{3, 7}, 8},
		{"a later peak is the largest", 2, []int{3, 11, 7}, 11},
		{"first peak is the largest", 2, []int{12, 11}, 12},
		{"nothing needed", 0, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := support.Projection{RequiredHeroesNow: tt.now}
			for _, r := range tt.peaks {
				p.Peaks = append(p.Peaks, support.PeakProjection{RequiredHeroes: r})
			}
			got := Figures(support.Input{}, p, baseSpec())
			if v := got["requiredHeroes"].Value; v != tt.want {
				t.Errorf("requiredHeroes = %v, want %v", v, tt.want)
			}
			if v := got["requiredHeroesNow"].Value; v != float64(tt.now) {
				t.Errorf("requiredHeroesNow = %v, want %v", v, tt.now)
			}
		})
	}
}

func TestFiguresAIWithoutHandoff(t *testing.T) {
	tests := []struct {
		name string
		ai   *v1alpha1.SupportAI
		want float64
	}{
		{"no AI", nil, 0},
		{"AI disabled, no hand-off", &v1alpha1.SupportAI{}, 0},
		{"AI disabled with hand-off", &v1alpha1.SupportAI{Handoff: &v1alpha1.HumanHandoff{Channel: "Chat"}}, 0},
		{"AI enabled with hand-off", &v1alpha1.SupportAI{Enabled: true, Handoff: &v1alpha1.HumanHandoff{Channel: "Email"}}, 0},
		{"AI enabled without hand-off", &v1alpha1.SupportAI{Enabled: true, Containment: 0.4}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			spec.AI = tt.ai
			if got := Figures(support.Input{}, support.Projection{}, spec)["aiWithoutHandoff"]; got.Value != tt.want || got.Source != PlanSource {
				t.Errorf("aiWithoutHandoff = %+v, want %v from %q", got, tt.want, PlanSource)
			}
		})
	}
}

func TestFiguresTargetDeflection(t *testing.T) {
	tests := []struct {
		name string
		ss   *v1alpha1.SelfService
		in   float64 // the input's deflection (maybe from a metric)
		want float64
	}{
		{"target set", &v1alpha1.SelfService{Deflection: 0.1, TargetDeflection: ptr(0.25)}, 0.1, 0.25},
		{"target rounded to 0.01", &v1alpha1.SelfService{Deflection: 0.1, TargetDeflection: ptr(0.3349)}, 0.1, 0.33},
		{"no target: the deflection itself", &v1alpha1.SelfService{Deflection: 0.1}, 0.147, 0.15},
		{"no self-service", nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := baseSpec()
			spec.SelfService = tt.ss
			got := Figures(support.Input{Deflection: tt.in}, support.Projection{}, spec)
			if v := got["targetDeflection"].Value; !near(v, tt.want) {
				t.Errorf("targetDeflection = %v, want %v", v, tt.want)
			}
		})
	}
}

// TestFiguresOfProjection checks the figures of a real projection of
// baseSpec: 1000 contacts, 10% deflected, 20% of the rest by AI = 720
// contacts at 6 minutes = 72 h -> 3 heroes.
func TestFiguresOfProjection(t *testing.T) {
	spec := baseSpec()
	in, p := project(t, spec, nil)
	got := Figures(in, p, spec)
	want := map[string]float64{
		"heroes": 10, "requiredHeroes": 3, "requiredHeroesNow": 3, "capacityGap": 0,
		"phoneVideoShare": 0.3, "deflection": 0.1, "targetDeflection": 0.1, "aiContainment": 0.2,
		"aiWithoutHandoff": 0, "heroContactShare": 0.72, "minutesPerContact": 6,
		"volumePerHero": 72, "hoursPerHero": 7.2, "demandNow": 1000, "demandAtHorizon": 1000,
	}
	for name, v := range want {
		if g := got[name].Value; !near(g, v) {
			t.Errorf("%s = %v, want %v", name, g, v)
		}
	}
}
