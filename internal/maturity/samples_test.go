package maturity

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// The samples in config/samples are what `make demo` applies and what the
// README points people to, so they must say what they claim: the model
// compiles, it has 7 streams x 3 objectives, and Acme's reported numbers put
// acme-shop at GrowingPains with 14 of 21 objectives at HighPerformance and
// exactly seven gaps.

const sampleDir = "../../config/samples"

func readSampleFile(t *testing.T, name string, into any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sampleDir, name))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	// Strict: a misspelt field in a sample would be silently dropped by the
	// API server's pruning, so catch it here.
	if err := yaml.UnmarshalStrict(b, into); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

type sampleSet struct {
	model  v1alpha1.MaturityModel
	source v1alpha1.MetricSource
	target v1alpha1.MaturityTarget
}

func loadSampleSet(t *testing.T) sampleSet {
	t.Helper()
	var s sampleSet
	readSampleFile(t, "growth_v1alpha1_maturitymodel.yaml", &s.model)
	readSampleFile(t, "growth_v1alpha1_metricsource.yaml", &s.source)
	readSampleFile(t, "growth_v1alpha1_maturitytarget.yaml", &s.target)
	return s
}

func TestSampleModelCompiles(t *testing.T) {
	s := loadSampleSet(t)
	if s.model.Kind != "MaturityModel" || s.model.Name != "ecommerce-scaleup" || s.model.Namespace != "" {
		t.Fatalf("sample model is %s %s/%s, want cluster-scoped MaturityModel ecommerce-scaleup",
			s.model.Kind, s.model.Namespace, s.model.Name)
	}

	m, errs := Compile(&s.model.Spec)
	for _, e := range errs {
		t.Errorf("compile: %v", e)
	}
	if m == nil || len(errs) > 0 {
		t.FailNow()
	}

	wantLevels := []string{"Startup", "GrowingPains", "HighPerformance", "EnterpriseGrade"}
	if got := m.Levels(); !slices.Equal(got, wantLevels) {
		t.Errorf("levels = %v, want %v", got, wantLevels)
	}

	wantCauses := map[string]bool{"DisconnectedSystems": true, "ProductDataErrors": true,
		"ComplexityAndCost": true, "MarketingDataOverload": true, "CostlyTechnology": true}
	if len(s.model.Spec.StallCauses) != len(wantCauses) {
		t.Errorf("%d stall causes, want %d", len(s.model.Spec.StallCauses), len(wantCauses))
	}
	for _, c := range s.model.Spec.StallCauses {
		if !wantCauses[c.Name] {
			t.Errorf("unexpected stall cause %q", c.Name)
		}
	}

	if n := len(s.model.Spec.Streams); n != 7 {
		t.Errorf("%d streams, want 7", n)
	}
	for _, st := range s.model.Spec.Streams {
		if n := len(st.Objectives); n != 3 {
			t.Errorf("stream %s has %d objectives, want 3", st.Name, n)
		}
		for _, o := range st.Objectives {
			// Every objective has a rule for each level above Startup and a
			// project for each level a target can ask it to reach.
			rules := map[string]int{}
			for _, c := range o.Criteria {
				rules[c.Level]++
			}
			projects := map[string]int{}
			for _, p := range o.Projects {
				projects[p.Level]++
			}
			for _, l := range wantLevels[1:] {
				if rules[l] != 1 {
					t.Errorf("%s/%s: %d criteria at %s, want 1", st.Name, o.Name, rules[l], l)
				}
			}
			for _, l := range wantLevels[2:] {
				if projects[l] == 0 {
					t.Errorf("%s/%s: no project for %s", st.Name, o.Name, l)
				}
			}
			if rules[wantLevels[0]] != 0 {
				t.Errorf("%s/%s: Startup needs no criterion", st.Name, o.Name)
			}
		}
	}
}

func TestSampleTargetAtGrowingPains(t *testing.T) {
	s := loadSampleSet(t)
	m, errs := Compile(&s.model.Spec)
	if len(errs) > 0 {
		t.Fatalf("model does not compile: %v", errs)
	}

	// The target points at the sample model and the sample source.
	if s.target.Spec.ModelRef.Name != s.model.Name {
		t.Errorf("target modelRef %q, want %q", s.target.Spec.ModelRef.Name, s.model.Name)
	}
	// The target also reads acme-objects (its support plan's figures), which
	// no rule of the model reads: the level comes from acme-reported alone.
	if len(s.target.Spec.MetricSources) == 0 || s.target.Spec.MetricSources[0].Name != s.source.Name ||
		s.target.Namespace != s.source.Namespace {
		t.Errorf("target %s/%s reads %v, want %s/%s first", s.target.Namespace, s.target.Name,
			s.target.Spec.MetricSources, s.source.Namespace, s.source.Name)
	}
	if s.source.Spec.Reported == nil {
		t.Fatal("sample source has no reported values")
	}

	target, ok := m.LevelIndex(s.target.Spec.TargetLevel)
	if !ok || s.target.Spec.TargetLevel != "HighPerformance" {
		t.Fatalf("target level %q: want HighPerformance, one of %v", s.target.Spec.TargetLevel, m.Levels())
	}

	metrics := Metrics{}
	for name, v := range s.source.Spec.Reported.Values {
		metrics[name] = Metric{Value: v, Source: s.source.Name}
	}
	r := m.Evaluate(metrics, target)

	if len(r.Missing) > 0 {
		t.Errorf("metrics the model reads but the source lacks: %v", r.Missing)
	}
	growingPains, _ := m.LevelIndex("GrowingPains")
	if r.CurrentLevel != growingPains {
		t.Errorf("current level %d, want %d (GrowingPains)", r.CurrentLevel, growingPains)
	}
	if r.Passed != 14 || r.Total != 21 {
		t.Errorf("score %d/%d, want 14/21", r.Passed, r.Total)
	}

	// Every objective reaches GrowingPains; the seven below are the gaps to
	// HighPerformance, one per stream.
	wantGaps := []string{
		"customer-service/response-time",
		"finance-and-reporting/management-reporting",
		"marketing/conversion",
		"operations/process-integration",
		"product-and-data/product-accuracy",
		"strategy-and-alignment/business-it-alignment",
		"technology/performance",
	}
	var below []string
	for _, o := range r.Objectives {
		if o.Reached < growingPains {
			t.Errorf("%s/%s reached %d, below GrowingPains", o.Stream, o.Objective, o.Reached)
		}
		if o.Reached < target {
			below = append(below, o.Stream+"/"+o.Objective)
			if o.Blocking == nil || o.Blocking.Result != Failed {
				t.Errorf("%s/%s: blocking rule %+v, want a Failed rule (a real value, not a missing one)", o.Stream, o.Objective, o.Blocking)
			}
		}
	}
	sort.Strings(below)
	if !slices.Equal(below, wantGaps) {
		t.Errorf("objectives below target = %v, want %v", below, wantGaps)
	}

	// Each gap opens a HighPerformance task from the model's projects.
	gaps := Gaps(m, r)
	if len(gaps) != len(wantGaps) {
		t.Errorf("%d gaps, want %d", len(gaps), len(wantGaps))
	}
	for _, g := range gaps {
		if g.Key.Level != "HighPerformance" || len(g.Templates) == 0 {
			t.Errorf("gap %+v: want a HighPerformance gap with project templates", g.Key)
		}
	}
}
