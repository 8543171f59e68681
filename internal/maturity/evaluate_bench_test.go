package maturity

import "testing"

// BenchmarkEvaluate21Objectives is one reconcile's evaluation of the
// 7-stream x 3-objective model: the model comes from the cache as the
// controller gets it, and compiles/op proves evaluation never compiles.
func BenchmarkEvaluate21Objectives(b *testing.B) {
	c := NewCache()
	model := modelObject("bench", 1, scaleupSpec())
	if _, errs := c.Get(model); len(errs) > 0 {
		b.Fatal(errs)
	}
	metrics := scaleupMetrics()
	before := c.Compilations()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, _ := c.Get(model)
		if r := m.Evaluate(metrics, lvHighPerformance); r.Passed != 18 {
			b.Fatalf("passed %d, want 18", r.Passed)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(c.Compilations()-before)/float64(b.N), "compiles/op")
}

// BenchmarkEvaluateMissingMetrics is the same with two metrics absent, so
// the rules that read them go through partial evaluation.
func BenchmarkEvaluateMissingMetrics(b *testing.B) {
	m := mustCompile(b, scaleupSpec())
	metrics := scaleupMetrics()
	delete(metrics, "conversionRate")
	delete(metrics, "uptimePercent")
	b.ReportAllocs()
	for b.Loop() {
		m.Evaluate(metrics, lvHighPerformance)
	}
}

// BenchmarkCompile21Objectives is what one model generation costs once.
func BenchmarkCompile21Objectives(b *testing.B) {
	spec := scaleupSpec()
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := Compile(spec); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}
