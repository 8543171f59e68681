package maturity

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/tasks"
)

// gapsModel has two streams, rules on GrowingPains and HighPerformance, and
// one rule above the HighPerformance target:
//
//	service/response      responseHours <= 8     responseHours <= 4
//	service/satisfaction  csat >= 60             csat >= 80
//	tech/availability     availability >= 99     availability >= 99.9
//	tech/speed            (none)                 pageSeconds <= 2      ttfb <= 0.2 (EnterpriseGrade)
func gapsModel(t *testing.T) *Model {
	t.Helper()
	o := func(name string, owner v1alpha1.OwnerRole, rules ...string) v1alpha1.Objective {
		ob := obj(name, nil)
		ob.Owner = owner
		for i, r := range rules {
			if r != "" {
				ob.Criteria = append(ob.Criteria, crit(fourLevels[i+1], r))
			}
			ob.Projects = append(ob.Projects, v1alpha1.ProjectTemplate{Level: fourLevels[i+1], Title: "Lift " + name, Priority: v1alpha1.PriorityMedium})
		}
		return ob
	}
	return mustCompile(t, modelSpec(nil,
		stream("service",
			o("response", v1alpha1.OwnerCustomerSupport, "metrics.responseHours <= 8.0", "metrics.responseHours <= 4.0"),
			o("satisfaction", v1alpha1.OwnerCustomerSupport, "metrics.csat >= 60.0", "metrics.csat >= 80.0")),
		stream("tech",
			o("availability", v1alpha1.OwnerIT, "metrics.availability >= 99.0", "metrics.availability >= 99.9"),
			o("speed", v1alpha1.OwnerIT, "", "metrics.pageSeconds <= 2.0", "metrics.ttfb <= 0.2")),
	))
}

func gapKeys(gaps []tasks.Gap) []string {
	var out []string
	for _, g := range gaps {
		out = append(out, g.Key.Stream+"/"+g.Key.Objective+"/"+g.Key.Level)
	}
	return out
}

func TestGaps(t *testing.T) {
	m := gapsModel(t)
	const measurement = "measurement//"
	tests := []struct {
		name        string
		metrics     Metrics
		wantGaps    []string
		wantMissing string // the measurement task's list, "" for none
	}{
		{"failing objectives get a task each; a metric only read above the target opens none",
			values("responseHours", 6, "csat", 70, "availability", 99.95, "pageSeconds", 1.5),
			[]string{"service/response/HighPerformance", "service/satisfaction/HighPerformance"}, ""},
		{"missing metrics open one measurement task and no task for the objectives that read them",
			values("responseHours", 6, "pageSeconds", 1.5),
			[]string{measurement, "service/response/HighPerformance"},
			"- availability: tech/availability (GrowingPains)\n- csat: service/satisfaction (GrowingPains)\n"},
		{"no metrics at all: only the measurement task",
			Metrics{},
			[]string{measurement},
			"- availability: tech/availability (GrowingPains)\n- csat: service/satisfaction (GrowingPains)\n" +
				"- pageSeconds: tech/speed (HighPerformance)\n- responseHours: service/response (GrowingPains)\n"},
		{"an objective failing its next level on known values keeps its task",
			values("responseHours", 10, "csat", 85, "availability", 99.95),
			[]string{measurement, "service/response/GrowingPains"},
			"- pageSeconds: tech/speed (HighPerformance)\n"},
		{"target met: nothing to measure or do although ttfb is missing",
			values("responseHours", 3, "csat", 85, "availability", 99.95, "pageSeconds", 1.5),
			nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := m.Evaluate(tt.metrics, lvHighPerformance)
			gaps := Gaps(m, r)
			if got := gapKeys(gaps); !slices.Equal(got, tt.wantGaps) {
				t.Fatalf("gaps = %v, want %v", got, tt.wantGaps)
			}
			for _, g := range gaps {
				if g.Key == tasks.MeasurementKey {
					if g.Owner != v1alpha1.OwnerIT || len(g.Templates) != 1 || g.Templates[0].Priority != v1alpha1.PriorityHigh {
						t.Errorf("measurement gap %+v, want one High template owned by IT", g)
					}
					if d := g.Templates[0].Description; !strings.HasSuffix(d, "\n\n"+tt.wantMissing) {
						t.Errorf("description = %q, want it to end with the list\n%s", d, tt.wantMissing)
					}
					continue
				}
				if g.Templates[0].Title != "Lift "+g.Key.Objective {
					t.Errorf("gap %v: templates %+v, want the model's project", g.Key, g.Templates)
				}
			}
		})
	}
}

// TestGapsMeasurementReach: what the measurement task lists depends on what
// the objectives below the target still have to pass.
func TestGapsMeasurementReach(t *testing.T) {
	tests := []struct {
		name     string
		rules    []string // GrowingPains, HighPerformance, EnterpriseGrade
		metrics  Metrics
		wantGaps []string
		wantList string
	}{
		{"a metric read above the failing level is listed with its level",
			[]string{"metrics.a >= 1.0", "metrics.a >= 2.0 && metrics.b >= 1.0", ""},
			values("a", 0), []string{"measurement//", "s/o/GrowingPains"}, "- b: s/o (HighPerformance)\n"},
		{"a metric a passed rule did without is not listed",
			[]string{"metrics.a >= 1.0 || metrics.b >= 1.0", "metrics.a >= 2.0", ""},
			values("a", 1), []string{"s/o/HighPerformance"}, ""},
		{"a computed key is listed",
			[]string{`metrics["x" + "y"] > 1.0`, "", ""},
			values("x", 1), []string{"measurement//"}, "- xy: s/o (GrowingPains)\n"},
		{"a rule that cannot run opens no task",
			[]string{"int(metrics.x) / 0 == 1", "", ""},
			values("x", 1), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := obj("o", nil)
			for i, r := range tt.rules {
				if r != "" {
					o.Criteria = append(o.Criteria, crit(fourLevels[i+1], r))
				}
			}
			m := mustCompile(t, modelSpec(nil, stream("s", o)))
			gaps := Gaps(m, m.Evaluate(tt.metrics, lvHighPerformance))
			if got := gapKeys(gaps); !slices.Equal(got, tt.wantGaps) {
				t.Fatalf("gaps = %v, want %v", got, tt.wantGaps)
			}
			if tt.wantList != "" && !strings.HasSuffix(gaps[0].Templates[0].Description, "\n\n"+tt.wantList) {
				t.Errorf("description %q, want it to end with %q", gaps[0].Templates[0].Description, tt.wantList)
			}
		})
	}
}

func TestGapsMeasurementBounded(t *testing.T) {
	// 120 objectives, each reading its own long metric and a shared one.
	var objs []v1alpha1.Objective
	for i := range 120 {
		objs = append(objs, obj(fmt.Sprintf("o%03d", i), nil,
			crit("GrowingPains", fmt.Sprintf("metrics.m%03d%s >= 1.0 && metrics.shared >= 1.0", i, strings.Repeat("x", 59)))))
	}
	m := mustCompile(t, modelSpec(nil, stream("s", objs...)))
	gaps := Gaps(m, m.Evaluate(Metrics{}, lvHighPerformance))
	if len(gaps) != 1 || gaps[0].Key != tasks.MeasurementKey {
		t.Fatalf("gaps = %v, want only the measurement gap", gapKeys(gaps))
	}
	tp := gaps[0].Templates[0]
	if tp.Title != "Provide 121 missing metrics" {
		t.Errorf("title %q", tp.Title)
	}
	if len(tp.Description) > 4096 {
		t.Errorf("description is %d characters, over the schema's 4096", len(tp.Description))
	}
	if !strings.Contains(tp.Description, "- m000") || !strings.HasSuffix(tp.Description, " more\n") {
		t.Errorf("description does not start the sorted list and say how many more:\n%s", tp.Description)
	}
	for _, line := range strings.Split(tp.Description, "\n") {
		if n := strings.Count(line, "(GrowingPains)"); n > 5 {
			t.Errorf("a line lists %d objectives, want at most 5: %s", n, line)
		}
	}

	res := Resolver(m, m.Evaluate(Metrics{}, lvHighPerformance))(tasks.MeasurementKey)
	if res.Resolved || len(res.Message) > 1024 || !strings.HasSuffix(res.Message, "and 111 more") {
		t.Errorf("resolution %+v, want open with 10 names and a count, within 1024 characters", res)
	}
}

func TestGapsMeasurementReaders(t *testing.T) {
	var objs []v1alpha1.Objective
	for i := range 7 {
		objs = append(objs, obj(fmt.Sprintf("o%d", i), nil, crit("HighPerformance", "metrics.shared >= 1.0")))
	}
	m := mustCompile(t, modelSpec(nil, stream("s", objs...)))
	gaps := Gaps(m, m.Evaluate(Metrics{}, lvHighPerformance))
	want := "\n\n- shared: s/o0 (HighPerformance), s/o1 (HighPerformance), s/o2 (HighPerformance), s/o3 (HighPerformance), " +
		"s/o4 (HighPerformance) and 2 more\n"
	if len(gaps) != 1 || !strings.HasSuffix(gaps[0].Templates[0].Description, want) || gaps[0].Templates[0].Title != "Provide 1 missing metric" {
		t.Errorf("gaps = %+v, want one measurement gap ending %q", gaps, want)
	}
}

func TestResolver(t *testing.T) {
	m := gapsModel(t)
	all := values("responseHours", 6, "csat", 70, "availability", 99.95, "pageSeconds", 1.5)
	without := func(names ...string) Metrics {
		out := Metrics{}
		for k, v := range all {
			if !slices.Contains(names, k) {
				out[k] = v
			}
		}
		return out
	}
	key := func(stream, objective, level string) tasks.Key {
		return tasks.Key{Stream: stream, Objective: objective, Level: level}
	}
	tests := []struct {
		name    string
		metrics Metrics
		target  int
		key     tasks.Key
		want    tasks.Resolution
	}{
		{"measurement task open while a metric is missing", without("csat", "availability"), lvHighPerformance, tasks.MeasurementKey,
			tasks.Resolution{Reason: v1alpha1.ReasonMetricsMissing, Message: "no MetricSource provides: availability, csat"}},
		{"measurement task resolved once provided", all, lvHighPerformance, tasks.MeasurementKey,
			tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonMetricsProvided, Message: "the objectives below HighPerformance lack no metric"}},
		{"measurement task resolved when the target no longer needs the metric", without("pageSeconds"), lvGrowingPains, tasks.MeasurementKey,
			tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonMetricsProvided, Message: "the objectives below GrowingPains lack no metric"}},
		{"a failing objective is open", all, lvHighPerformance, key("service", "satisfaction", "HighPerformance"),
			tasks.Resolution{Reason: v1alpha1.ReasonGapOpen, Message: "service/satisfaction is at GrowingPains and must reach HighPerformance"}},
		{"a reached level is closed", all, lvHighPerformance, key("tech", "availability", "HighPerformance"),
			tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed, Message: "tech/availability reached EnterpriseGrade"}},
		{"a missing metric is unknown, not closed", without("csat"), lvHighPerformance, key("service", "satisfaction", "HighPerformance"),
			tasks.Resolution{Unknown: true, Reason: v1alpha1.ReasonMetricsMissing, Message: "service/satisfaction cannot be judged at GrowingPains: no value for csat"}},
		{"a missing metric is unknown at the level the task aims for too", without("responseHours"), lvHighPerformance, key("service", "response", "GrowingPains"),
			tasks.Resolution{Unknown: true, Reason: v1alpha1.ReasonMetricsMissing, Message: "service/response cannot be judged at GrowingPains: no value for responseHours"}},
		{"a level the objective proved is closed although a higher rule lacks a metric", without("pageSeconds"), lvHighPerformance, key("tech", "speed", "GrowingPains"),
			tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonGapClosed, Message: "tech/speed reached GrowingPains"}},
		{"above the target is out of scope even when unknown", without("csat"), lvGrowingPains, key("service", "satisfaction", "HighPerformance"),
			tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonOutOfScope, Message: "HighPerformance is above the target level GrowingPains"}},
		{"an objective that left the model is out of scope", all, lvHighPerformance, key("service", "gone", "HighPerformance"),
			tasks.Resolution{Resolved: true, Reason: v1alpha1.ReasonOutOfScope, Message: "service/gone at HighPerformance is no longer in the model"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Resolver(m, m.Evaluate(tt.metrics, tt.target))(tt.key)
			if got != tt.want {
				t.Errorf("resolution = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestResolverRuleError(t *testing.T) {
	o := obj("o", nil, crit("GrowingPains", "int(metrics.x) / 0 == 1"))
	m := mustCompile(t, modelSpec(nil, stream("s", o)))
	got := Resolver(m, m.Evaluate(values("x", 1), lvHighPerformance))(tasks.Key{Stream: "s", Objective: "o", Level: "GrowingPains"})
	if !got.Unknown || got.Resolved || got.Reason != v1alpha1.ReasonInvalidRule || !strings.Contains(got.Message, "division by zero") {
		t.Errorf("resolution = %+v, want unknown for the rule's error", got)
	}
}
