package bench

import (
	"fmt"
	"maps"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
	"github.com/scaleup-operator/scaleup-operator/test/utils/sampledata"
)

// variant is one set of reported numbers and the level they put a business
// at in the sample model. Every target gets the level of its numbers as its
// targetLevel, so it has no gaps: convergence measures the status writes of
// the operator, not task creation.
type variant struct {
	level  string
	values map[string]float64
}

// workload is the sample model and the variants targets are built from.
type workload struct {
	model    *v1alpha1.MaturityModel
	variants []variant
	// growingPains and highPerformance are the indexes of the variants the
	// latency phase switches a source between, so its target changes level.
	growingPains, highPerformance int
}

// highPerformanceFixes lift the sample's seven gaps to HighPerformance.
var highPerformanceFixes = map[string]float64{
	"firstResponseHours":            3,
	"productDataAccuracyPercent":    98,
	"pageLoadSeconds":               2,
	"conversionRatePercent":         2.2,
	"integrationCoveragePercent":    75,
	"reportingFreshnessHours":       12,
	"projectCompletionRatePercent":  80,
	"businessRequestResolutionDays": 15,
}

// loadWorkload reads the sample MaturityModel and MetricSource from
// config/samples and derives three variants from the sample's numbers: as
// they are (GrowingPains), with the gaps closed (HighPerformance) and with a
// first response slower than a day (Startup). Each variant's level is
// computed with the operator's own evaluator and checked, so a change to the
// sample model that moves a variant fails here instead of timing a wrong
// workload.
func loadWorkload(root string) (*workload, error) {
	model, sample, err := sampledata.ModelAndNumbers(root)
	if err != nil {
		return nil, err
	}
	model.Name = "bench-" + model.Name
	compiled, errs := maturity.Compile(&model.Spec)
	if len(errs) > 0 {
		return nil, fmt.Errorf("the sample model does not compile: %v", errs)
	}

	high := maps.Clone(sample)
	maps.Copy(high, highPerformanceFixes)
	startup := maps.Clone(sample)
	startup["firstResponseHours"] = 48
	w := &workload{model: model, growingPains: 1, highPerformance: 2}
	for _, v := range []struct {
		want   string
		values map[string]float64
	}{{"Startup", startup}, {"GrowingPains", sample}, {"HighPerformance", high}} {
		got, err := levelOf(compiled, v.values)
		if err != nil {
			return nil, err
		}
		if got != v.want {
			return nil, fmt.Errorf("workload variant %s evaluates to %s in the sample model", v.want, got)
		}
		w.variants = append(w.variants, variant{level: got, values: v.values})
	}
	return w, nil
}

func levelOf(m *maturity.Model, values map[string]float64) (string, error) {
	metrics := maturity.Metrics{}
	for k, v := range values {
		metrics[k] = maturity.Metric{Value: v, Source: "bench"}
	}
	r := m.Evaluate(metrics, 0)
	if r.CurrentLevel < 0 {
		return "", fmt.Errorf("a workload variant is below the model's first level")
	}
	return m.Levels()[r.CurrentLevel], nil
}

// sourceName and targetName name the i-th MetricSource and MaturityTarget.
func sourceName(i int) string { return fmt.Sprintf("src-%05d", i) }
func targetName(i int) string { return fmt.Sprintf("tgt-%05d", i) }

// variantOf is the variant of the i-th target.
func (w *workload) variantOf(i int) int { return i % len(w.variants) }

// source is the i-th reported MetricSource in namespace ns.
func (w *workload) source(ns string, i int, values map[string]float64) *v1alpha1.MetricSource {
	return &v1alpha1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: sourceName(i)},
		Spec: v1alpha1.MetricSourceSpec{
			Type:     v1alpha1.MetricSourceReported,
			MaxAge:   &metav1.Duration{Duration: 720 * time.Hour},
			Reported: &v1alpha1.ReportedMetrics{Values: values},
		},
	}
}

// target is the i-th MaturityTarget in namespace ns, reading the i-th source.
func (w *workload) target(ns string, i int) *v1alpha1.MaturityTarget {
	return &v1alpha1.MaturityTarget{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: targetName(i)},
		Spec: v1alpha1.MaturityTargetSpec{
			Business:      fmt.Sprintf("Business %d", i),
			ModelRef:      v1alpha1.ClusterObjectReference{Name: w.model.Name},
			TargetLevel:   w.variants[w.variantOf(i)].level,
			MetricSources: []v1alpha1.LocalObjectReference{{Name: sourceName(i)}},
		},
	}
}
