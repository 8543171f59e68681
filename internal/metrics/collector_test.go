package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	clocktesting "k8s.io/utils/clock/testing"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func newCollector(r client.Reader) *Collector {
	return New(r, clocktesting.NewFakePassiveClock(now))
}

func compare(t *testing.T, c prometheus.Collector, want string, names ...string) {
	t.Helper()
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
}

func TestMaturityTarget(t *testing.T) {
	c := newCollector(newReader(model(), target("shop", "acme"),
		task("shop", "t1", "acme", v1alpha1.OwnerIT, false, true),
		task("shop", "t2", "other", v1alpha1.OwnerIT, false, true)))
	compare(t, c, `
# HELP scaleup_maturitytarget_current_level Position of status.currentLevel among the model's levels, 1 for the first; 0 when no level is reached.
# TYPE scaleup_maturitytarget_current_level gauge
scaleup_maturitytarget_current_level{name="acme",namespace="shop"} 2
# HELP scaleup_maturitytarget_target_level Position of spec.targetLevel among the model's levels, 1 for the first.
# TYPE scaleup_maturitytarget_target_level gauge
scaleup_maturitytarget_target_level{name="acme",namespace="shop"} 3
# HELP scaleup_maturitytarget_current_level_info Always 1; the level label is status.currentLevel.
# TYPE scaleup_maturitytarget_current_level_info gauge
scaleup_maturitytarget_current_level_info{level="GrowingPains",name="acme",namespace="shop"} 1
# HELP scaleup_maturitytarget_objectives_passing Objectives meeting the target level (status.score.passed).
# TYPE scaleup_maturitytarget_objectives_passing gauge
scaleup_maturitytarget_objectives_passing{name="acme",namespace="shop"} 2
# HELP scaleup_maturitytarget_stream_objectives_failing Objectives of the stream below the target level.
# TYPE scaleup_maturitytarget_stream_objectives_failing gauge
scaleup_maturitytarget_stream_objectives_failing{name="acme",namespace="shop",stream="customer-service"} 1
scaleup_maturitytarget_stream_objectives_failing{name="acme",namespace="shop",stream="technology"} 0
# HELP scaleup_maturitytarget_stream_objectives_passing Objectives of the stream meeting the target level.
# TYPE scaleup_maturitytarget_stream_objectives_passing gauge
scaleup_maturitytarget_stream_objectives_passing{name="acme",namespace="shop",stream="customer-service"} 1
scaleup_maturitytarget_stream_objectives_passing{name="acme",namespace="shop",stream="technology"} 1
# HELP scaleup_maturitytarget_stall_cause_failing_objectives Objectives below the target level that the model links to the stall cause.
# TYPE scaleup_maturitytarget_stall_cause_failing_objectives gauge
scaleup_maturitytarget_stall_cause_failing_objectives{cause="ComplexityAndCost",name="acme",namespace="shop"} 1
# HELP scaleup_maturitytarget_target_met 1 when the TargetMet condition is True, else 0.
# TYPE scaleup_maturitytarget_target_met gauge
scaleup_maturitytarget_target_met{name="acme",namespace="shop"} 0
# HELP scaleup_maturitytarget_trend status.trend: 1 Improving, 0 Steady, -1 Declining (absent before the second history entry).
# TYPE scaleup_maturitytarget_trend gauge
scaleup_maturitytarget_trend{name="acme",namespace="shop"} 1
# HELP scaleup_maturitytarget_tasks The target's ProjectTasks by state: open, resolved, heldBack (status.tasks) and overdue.
# TYPE scaleup_maturitytarget_tasks gauge
scaleup_maturitytarget_tasks{name="acme",namespace="shop",state="heldBack"} 3
scaleup_maturitytarget_tasks{name="acme",namespace="shop",state="open"} 1
scaleup_maturitytarget_tasks{name="acme",namespace="shop",state="overdue"} 1
scaleup_maturitytarget_tasks{name="acme",namespace="shop",state="resolved"} 2
`, "scaleup_maturitytarget_current_level", "scaleup_maturitytarget_target_level", "scaleup_maturitytarget_current_level_info",
		"scaleup_maturitytarget_objectives_passing", "scaleup_maturitytarget_stream_objectives_failing",
		"scaleup_maturitytarget_stream_objectives_passing", "scaleup_maturitytarget_stall_cause_failing_objectives",
		"scaleup_maturitytarget_target_met", "scaleup_maturitytarget_trend", "scaleup_maturitytarget_tasks")
}

func TestTargetWithoutModelHasNoLevelPositions(t *testing.T) {
	c := newCollector(newReader(target("shop", "acme")))
	if n := testutil.CollectAndCount(c, "scaleup_maturitytarget_current_level", "scaleup_maturitytarget_target_level"); n != 0 {
		t.Errorf("level positions without a model: %d series, want 0", n)
	}
	if n := testutil.CollectAndCount(c, "scaleup_maturitytarget_current_level_info"); n != 1 {
		t.Errorf("level info: %d series, want 1", n)
	}
}

func TestMetricSourceAgesFromTheClock(t *testing.T) {
	c := newCollector(newReader(source("shop", "prom")))
	compare(t, c, `
# HELP scaleup_metricsource_value_age_seconds Age of the oldest value (now minus its observedAt), in seconds.
# TYPE scaleup_metricsource_value_age_seconds gauge
scaleup_metricsource_value_age_seconds{name="prom",namespace="shop"} 90
# HELP scaleup_metricsource_newest_value_timestamp_seconds observedAt of the newest value read without error, in Unix seconds. A poll that reads an unchanged number does not move it.
# TYPE scaleup_metricsource_newest_value_timestamp_seconds gauge
scaleup_metricsource_newest_value_timestamp_seconds{name="prom",namespace="shop"} 1.77314397e+09
# HELP scaleup_metricsource_failed_values Values whose last read failed (an error in status.values).
# TYPE scaleup_metricsource_failed_values gauge
scaleup_metricsource_failed_values{name="prom",namespace="shop"} 2
# HELP scaleup_metricsource_values Values in status.values.
# TYPE scaleup_metricsource_values gauge
scaleup_metricsource_values{name="prom",namespace="shop"} 4
`, "scaleup_metricsource_value_age_seconds", "scaleup_metricsource_newest_value_timestamp_seconds",
		"scaleup_metricsource_failed_values", "scaleup_metricsource_values")

	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	got, err := testutil.GatherAndCount(reg, "scaleup_metricsource_poll_failing")
	if err != nil || got != len(pollCategories) {
		t.Fatalf("poll_failing: %d series (%v), want one per category (%d)", got, err, len(pollCategories))
	}
	if v := gaugeValue(t, reg, "scaleup_metricsource_poll_failing", "category", v1alpha1.ReasonMetricsFailed); v != 1 {
		t.Errorf("poll_failing{category=MetricsFailed} = %v, want 1", v)
	}
}

func TestSupportPlanNextPeak(t *testing.T) {
	c := newCollector(newReader(plan("shop", "team")))
	compare(t, c, `
# HELP scaleup_supportplan_until_hire_by_seconds Seconds from now to the next peak's hire-by date (Grafana shows them in days); negative once it has passed.
# TYPE scaleup_supportplan_until_hire_by_seconds gauge
scaleup_supportplan_until_hire_by_seconds{name="team",namespace="shop"} 864000
# HELP scaleup_supportplan_required_heroes_next_peak Heroes needed at the next peak (the first that has not ended).
# TYPE scaleup_supportplan_required_heroes_next_peak gauge
scaleup_supportplan_required_heroes_next_peak{name="team",namespace="shop"} 8
# HELP scaleup_supportplan_capacity_gap Heroes missing at the worst point of the horizon.
# TYPE scaleup_supportplan_capacity_gap gauge
scaleup_supportplan_capacity_gap{name="team",namespace="shop"} 3
# HELP scaleup_supportplan_stage status.currentStage: 1 PreRevenue, 2 RevenueTransition, 3 RevenueGeneration; 0 when none is reached.
# TYPE scaleup_supportplan_stage gauge
scaleup_supportplan_stage{name="team",namespace="shop"} 2
# HELP scaleup_supportplan_self_service_deflection spec.selfService.deflection, 0..1 (absent without self-service).
# TYPE scaleup_supportplan_self_service_deflection gauge
scaleup_supportplan_self_service_deflection{name="team",namespace="shop"} 0.34
`, "scaleup_supportplan_until_hire_by_seconds", "scaleup_supportplan_required_heroes_next_peak",
		"scaleup_supportplan_capacity_gap", "scaleup_supportplan_stage", "scaleup_supportplan_self_service_deflection")
}

func TestPartnerProgram(t *testing.T) {
	c := newCollector(newReader(program("shop", "partners")))
	compare(t, c, `
# HELP scaleup_partnerprogram_partners Partners of the program by phase.
# TYPE scaleup_partnerprogram_partners gauge
scaleup_partnerprogram_partners{name="partners",namespace="shop",phase="Active"} 3
scaleup_partnerprogram_partners{name="partners",namespace="shop",phase="Churned"} 0
scaleup_partnerprogram_partners{name="partners",namespace="shop",phase="Inactive"} 0
scaleup_partnerprogram_partners{name="partners",namespace="shop",phase="Onboarding"} 2
scaleup_partnerprogram_partners{name="partners",namespace="shop",phase="Waitlisted"} 0
# HELP scaleup_partnerprogram_metric_value A program metric (rates 0..1; onboardingP50/P90 in seconds); absent when the sample is too small.
# TYPE scaleup_partnerprogram_metric_value gauge
scaleup_partnerprogram_metric_value{metric="activationRate",name="partners",namespace="shop"} 0.6
scaleup_partnerprogram_metric_value{metric="onboardingP50",name="partners",namespace="shop"} 129600
# HELP scaleup_partnerprogram_metric_sample Partners the program metric is computed over.
# TYPE scaleup_partnerprogram_metric_sample gauge
scaleup_partnerprogram_metric_sample{metric="activationRate",name="partners",namespace="shop"} 5
scaleup_partnerprogram_metric_sample{metric="onboardingP50",name="partners",namespace="shop"} 5
scaleup_partnerprogram_metric_sample{metric="retentionRate",name="partners",namespace="shop"} 2
# HELP scaleup_partnerprogram_metric_target Target of the program metric from the spec (durations in seconds).
# TYPE scaleup_partnerprogram_metric_target gauge
scaleup_partnerprogram_metric_target{metric="activationRate",name="partners",namespace="shop"} 0.5
scaleup_partnerprogram_metric_target{metric="onboardingP50",name="partners",namespace="shop"} 172800
# HELP scaleup_partnerprogram_expansion_stage Position of status.stage among spec.expansion.stages, 1 for the first; 0 when admissions are open without stages.
# TYPE scaleup_partnerprogram_expansion_stage gauge
scaleup_partnerprogram_expansion_stage{name="partners",namespace="shop"} 2
# HELP scaleup_partnerprogram_risks_active Risks found (status.risks).
# TYPE scaleup_partnerprogram_risks_active gauge
scaleup_partnerprogram_risks_active{name="partners",namespace="shop"} 1
`, "scaleup_partnerprogram_partners", "scaleup_partnerprogram_metric_value", "scaleup_partnerprogram_metric_sample",
		"scaleup_partnerprogram_metric_target", "scaleup_partnerprogram_expansion_stage", "scaleup_partnerprogram_risks_active")
}

func TestTasksByOwnerRole(t *testing.T) {
	c := newCollector(newReader(
		task("shop", "t1", "acme", v1alpha1.OwnerIT, false, true),
		task("shop", "t2", "acme", v1alpha1.OwnerIT, false, false),
		task("shop", "t3", "acme", v1alpha1.OwnerMarketing, true, false)))
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	for _, tc := range []struct {
		metric, role string
		want         float64
	}{
		{"scaleup_projecttasks_open", "IT", 2},
		{"scaleup_projecttasks_overdue", "IT", 1},
		{"scaleup_projecttasks_open", "Marketing", 0},
		{"scaleup_projecttasks_open", "PartnerManager", 0},
	} {
		if got := gaugeValue(t, reg, tc.metric, "role", tc.role); got != tc.want {
			t.Errorf("%s{role=%s} = %v, want %v", tc.metric, tc.role, got, tc.want)
		}
	}
	if n, _ := testutil.GatherAndCount(reg, "scaleup_projecttasks_open"); n != len(ownerRoles) {
		t.Errorf("scaleup_projecttasks_open: %d series, want one per role (%d)", n, len(ownerRoles))
	}
}

// A deleted object's series disappear with it: nothing is remembered
// between scrapes.
func TestDeletedObjectHasNoSeries(t *testing.T) {
	ctx := context.Background()
	objs := []client.Object{target("shop", "acme"), source("shop", "prom"), plan("shop", "team"), program("shop", "partners")}
	r := newReader(append(objs, model())...)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(newCollector(r))
	for _, o := range objs {
		if n := seriesOf(t, reg, o.GetName()); n == 0 {
			t.Fatalf("%s: no series before the delete", o.GetName())
		}
		if err := r.Delete(ctx, o); err != nil {
			t.Fatal(err)
		}
		if n := seriesOf(t, reg, o.GetName()); n != 0 {
			t.Errorf("%s: %d series after the delete, want 0", o.GetName(), n)
		}
	}
}

type failingReader struct{ client.Reader }

func (failingReader) List(context.Context, client.ObjectList, ...client.ListOption) error {
	return errors.New("cache not started")
}

// A failing list leaves the kinds out and says so; the scrape succeeds.
func TestListErrorIsReportedNotFatal(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(newCollector(failingReader{}))
	if v := gaugeValue(t, reg, "scaleup_collector_success", "kind", "MaturityTarget"); v != 0 {
		t.Errorf("collector_success{kind=MaturityTarget} = %v, want 0", v)
	}
}

// promlint's naming rules: units in names, no camelCase, help on every metric.
func TestLint(t *testing.T) {
	c := newCollector(newReader(model(), target("shop", "acme"), source("shop", "prom"), plan("shop", "team"),
		program("shop", "partners"), task("shop", "t1", "acme", v1alpha1.OwnerIT, false, true)))
	problems, err := testutil.CollectAndLint(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}

func TestMaturityTargetGovernance(t *testing.T) {
	plain := target("shop", "plain")
	governed := target("shop", "governed")
	governed.Spec.Exemptions = []v1alpha1.Exemption{{Stream: "customer-service", Objective: "satisfaction"}}
	governed.Status.Score.Percent = ptr.To[int32](66)
	governed.Status.Score.KeyFailing = []v1alpha1.ObjectiveRef{{Stream: "customer-service", Objective: "response-time"}}
	governed.Status.Objectives[1].Exemption = &v1alpha1.ObjectiveExemption{Reason: userText}
	governed.Status.Shadow = &v1alpha1.ShadowSummary{CurrentLevel: "Startup", Objectives: 2}
	governed.Status.PendingLevel = &v1alpha1.PendingLevel{Level: "HighPerformance", Evaluations: 2}
	c := newCollector(newReader(model(), plain, governed))
	compare(t, c, `
# HELP scaleup_maturitytarget_key_objectives_failing Key objectives below the target level (status.score.keyFailing), when the model sets weights or keys.
# TYPE scaleup_maturitytarget_key_objectives_failing gauge
scaleup_maturitytarget_key_objectives_failing{name="governed",namespace="shop"} 1
# HELP scaleup_maturitytarget_objectives_exempted Objectives that meet the target level through an active exemption, when the target has exemptions.
# TYPE scaleup_maturitytarget_objectives_exempted gauge
scaleup_maturitytarget_objectives_exempted{name="governed",namespace="shop"} 1
# HELP scaleup_maturitytarget_pending_level Position of status.pendingLevel.level among the model's levels, 1 for the first, 0 below the lowest; absent when no change is pending.
# TYPE scaleup_maturitytarget_pending_level gauge
scaleup_maturitytarget_pending_level{name="governed",namespace="shop"} 3
# HELP scaleup_maturitytarget_score_percent Weighted share of the objectives meeting the target level (status.score.percent), when the model sets weights or keys.
# TYPE scaleup_maturitytarget_score_percent gauge
scaleup_maturitytarget_score_percent{name="governed",namespace="shop"} 66
# HELP scaleup_maturitytarget_shadow_objectives_failing Objectives a shadow rule would hold back (status.shadow.objectives), when the model has shadow rules or levels.
# TYPE scaleup_maturitytarget_shadow_objectives_failing gauge
scaleup_maturitytarget_shadow_objectives_failing{name="governed",namespace="shop"} 2
`, "scaleup_maturitytarget_score_percent", "scaleup_maturitytarget_key_objectives_failing",
		"scaleup_maturitytarget_objectives_exempted", "scaleup_maturitytarget_shadow_objectives_failing", "scaleup_maturitytarget_pending_level")
}
