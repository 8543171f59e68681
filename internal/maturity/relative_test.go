package maturity

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// returnsRule lets the return rate rise by at most 10% over a period.
const returnsRule = "metrics.returnRate <= previous.returnRate * 1.1"

func returnsModel(t *testing.T, rules ...string) *Model {
	t.Helper()
	var criteria []v1alpha1.Criterion
	for i, r := range rules {
		criteria = append(criteria, crit(fourLevels[i+1], r))
	}
	return mustCompile(t, modelSpec(nil, stream("quality", obj("returns", nil, criteria...))))
}

func TestCompileRecordsWhatRulesReadThroughPrevious(t *testing.T) {
	m := returnsModel(t, returnsRule, "has(previous.orders) && previous['refunds'] >= 0.0 && metrics.orders > 1.0")
	if got, want := m.PreviousMetricNames(), []string{"orders", "refunds", "returnRate"}; !slices.Equal(got, want) {
		t.Errorf("previous names %v, want %v", got, want)
	}
	if got, want := m.metricNames, []string{"orders", "returnRate"}; !slices.Equal(got, want) {
		t.Errorf("metric names %v, want %v: previous reads are not metrics to provide", got, want)
	}
	if m.ComparisonPeriod() != v1alpha1.DefaultComparisonPeriod {
		t.Errorf("period %v, want the default", m.ComparisonPeriod())
	}
	if returnsModel(t, "metrics.x > 1.0").PreviousMetricNames() != nil {
		t.Error("a model without previous reads records names")
	}
}

func TestCompileRefusesPreviousItCannotRecord(t *testing.T) {
	const field = "spec.streams[0].objectives[0].criteria[0].rule: "
	cases := []struct{ rule, want string }{
		{"previous[metrics.k > 0.0 ? 'a' : 'b'] > 1.0", `reads previous other than by a constant name (previous.<metric>)`},
		{"size(previous) > 0", `reads previous other than by a constant name`},
		{"previous['bad-name'] > 1.0", `reads metric "previous.bad-name", not a name a MetricSource can report`},
		{"previous." + strings.Repeat("x", 64) + " > 1.0", `reads metric "previous.xxxx`},
		{"prior.x > 1.0", `does not compile: `},
	}
	for _, tc := range cases {
		_, errs := Compile(modelSpec(nil, stream("s", obj("o", nil, crit("GrowingPains", tc.rule)))))
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), field) || !strings.Contains(errs[0].Error(), tc.want) {
			t.Errorf("%s: errors %v, want one on the rule containing %q", tc.rule, errs, tc.want)
		}
	}

	// Past MaxPreviousMetrics the rule that adds one more is refused.
	var objs []v1alpha1.Objective
	for i := range v1alpha1.MaxPreviousMetrics + 1 {
		objs = append(objs, obj(fmt.Sprintf("o%d", i), nil, crit("GrowingPains", fmt.Sprintf("previous.m%d > 0.0", i))))
	}
	spec := modelSpec(nil, stream("a", objs[:10]...), stream("b", objs[10:20]...), stream("c", objs[20:30]...),
		stream("d", objs[30:40]...), stream("e", objs[40:50]...), stream("f", objs[50:60]...), stream("g", objs[60:]...))
	_, errs := Compile(spec)
	if len(errs) != 1 || errs[0].Field != "spec.streams[6].objectives[4].criteria[0].rule" ||
		!strings.Contains(errs[0].Message, "at most 64 metrics through previous") {
		t.Errorf("errors %v, want one on the 65th metric", errs)
	}
}

func TestEvaluateReadsThePreviousPeriod(t *testing.T) {
	m := returnsModel(t, returnsRule, "previous.returnRate > 0.0 || metrics.orders > 100.0")
	taken := metav1.NewTime(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	snap := func(kv ...any) *v1alpha1.PeriodSnapshots {
		vals := map[string]float64{}
		for n, mv := range values(kv...) {
			vals[n] = mv.Value
		}
		return &v1alpha1.PeriodSnapshots{Previous: &v1alpha1.MetricSnapshot{TakenAt: taken, Values: vals},
			Current: &v1alpha1.MetricSnapshot{TakenAt: metav1.NewTime(taken.Add(time.Hour))}}
	}
	cases := []struct {
		name      string
		now       Metrics
		snapshots *v1alpha1.PeriodSnapshots
		reached   int
		blocking  *RuleOutcome
	}{
		{"no previous period: unknown, never passed", values("returnRate", 0.05, "orders", 50), nil, lvStartup,
			&RuleOutcome{Result: Unknown, Level: lvGrowingPains, Values: []string{"returnRate=0.05 (reported)"}, Missing: []string{"previous.returnRate"}}},
		{"only a current snapshot: unknown", values("returnRate", 0.05, "orders", 50),
			&v1alpha1.PeriodSnapshots{Current: &v1alpha1.MetricSnapshot{TakenAt: taken, Values: map[string]float64{"returnRate": 0.01}}}, lvStartup,
			&RuleOutcome{Result: Unknown, Level: lvGrowingPains, Values: []string{"returnRate=0.05 (reported)"}, Missing: []string{"previous.returnRate"}}},
		{"the metric had no value then: unknown", values("returnRate", 0.05, "orders", 50), snap("orders", 40), lvStartup,
			&RuleOutcome{Result: Unknown, Level: lvGrowingPains, Values: []string{"returnRate=0.05 (reported)"}, Missing: []string{"previous.returnRate"}}},
		{"rose by less than 10%: passed", values("returnRate", 0.052, "orders", 50), snap("returnRate", 0.05), lvEnterpriseGrade, nil},
		{"rose by more than 10%: failed, with what it compared", values("returnRate", 0.06, "orders", 50), snap("returnRate", 0.05), lvStartup,
			&RuleOutcome{Result: Failed, Level: lvGrowingPains,
				Values: []string{"returnRate=0.06 (reported)", "previous.returnRate=0.05 (recorded 2026-03-02T09:00:00Z)"}}},
		{"decided without the previous value when it does not matter", values("returnRate", 0.05, "orders", 500),
			&v1alpha1.PeriodSnapshots{Previous: &v1alpha1.MetricSnapshot{TakenAt: taken, Values: map[string]float64{"returnRate": 0.05}}}, lvEnterpriseGrade, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := m.EvaluateWithPrevious(tc.now, PreviousValues(tc.snapshots), lvEnterpriseGrade)
			o := r.Objectives[0]
			if o.Reached != tc.reached {
				t.Errorf("reached %d, want %d", o.Reached, tc.reached)
			}
			if tc.blocking == nil {
				if o.Blocking != nil && o.Blocking.Level <= tc.reached {
					t.Errorf("blocking %+v", o.Blocking)
				}
				return
			}
			b := o.Blocking
			if b == nil || b.Result != tc.blocking.Result || b.Level != tc.blocking.Level ||
				!slices.Equal(b.Values, tc.blocking.Values) || !slices.Equal(b.Missing, tc.blocking.Missing) {
				t.Errorf("blocking %+v, want %+v", b, tc.blocking)
			}
			if len(r.Missing) > 0 {
				t.Errorf("missing metrics %v: a value of the previous period is not a metric to provide", r.Missing)
			}
		})
	}
	// Evaluate has no previous values: the same as no previous period.
	if r := m.Evaluate(values("returnRate", 0.05, "orders", 50), lvEnterpriseGrade); r.Objectives[0].Blocking.Result != Unknown {
		t.Errorf("Evaluate: %+v, want unknown", r.Objectives[0].Blocking)
	}
}

func TestAdvancePeriods(t *testing.T) {
	const period = 24 * time.Hour
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	names := []string{"returnRate"}
	now := values("returnRate", 0.07, "orders", 50)
	snap := func(at time.Time, v ...float64) *v1alpha1.MetricSnapshot {
		s := &v1alpha1.MetricSnapshot{TakenAt: metav1.NewTime(at)}
		if len(v) > 0 {
			s.Values = map[string]float64{"returnRate": v[0]}
		}
		return s
	}
	cases := []struct {
		name  string
		cur   *v1alpha1.PeriodSnapshots
		names []string
		at    time.Time
		stale bool
		want  *v1alpha1.PeriodSnapshots
		due   time.Duration
	}{
		{"nothing read through previous: nothing kept", &v1alpha1.PeriodSnapshots{Current: snap(t0, 0.05)}, nil, t0, false, nil, 0},
		{"first evaluation records the current period", nil, names, t0.Add(500 * time.Millisecond), false,
			&v1alpha1.PeriodSnapshots{Current: snap(t0, 0.07)}, period - 500*time.Millisecond},
		{"within the period: unchanged", &v1alpha1.PeriodSnapshots{Current: snap(t0, 0.05)}, names, t0.Add(period - time.Second), false,
			&v1alpha1.PeriodSnapshots{Current: snap(t0, 0.05)}, time.Second},
		{"a period old: current becomes previous", &v1alpha1.PeriodSnapshots{Current: snap(t0, 0.05)}, names, t0.Add(period), false,
			&v1alpha1.PeriodSnapshots{Previous: snap(t0, 0.05), Current: snap(t0.Add(period), 0.07)}, period},
		{"the one before is dropped", &v1alpha1.PeriodSnapshots{Previous: snap(t0.Add(-period), 0.04), Current: snap(t0, 0.05)}, names,
			t0.Add(period + time.Hour), false,
			&v1alpha1.PeriodSnapshots{Previous: snap(t0, 0.05), Current: snap(t0.Add(period+time.Hour), 0.07)}, period},
		{"two periods old: too old to be previous", &v1alpha1.PeriodSnapshots{Previous: snap(t0.Add(-period), 0.04), Current: snap(t0, 0.05)},
			names, t0.Add(2 * period), false, &v1alpha1.PeriodSnapshots{Current: snap(t0.Add(2*period), 0.07)}, period},
		{"stale metrics are not recorded", &v1alpha1.PeriodSnapshots{Current: snap(t0, 0.05)}, names, t0.Add(period), true,
			&v1alpha1.PeriodSnapshots{Current: snap(t0, 0.05)}, 0},
		{"stale metrics start no period", nil, names, t0, true, nil, 0},
		{"a metric without a value is recorded as absent", nil, []string{"refunds"}, t0, false,
			&v1alpha1.PeriodSnapshots{Current: snap(t0)}, period},
		{"values the model no longer reads are dropped",
			&v1alpha1.PeriodSnapshots{Current: &v1alpha1.MetricSnapshot{TakenAt: metav1.NewTime(t0), Values: map[string]float64{"returnRate": 0.05, "gone": 1}}},
			names, t0.Add(time.Hour), false, &v1alpha1.PeriodSnapshots{Current: snap(t0, 0.05)}, period - time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var before *v1alpha1.PeriodSnapshots
			if tc.cur != nil {
				before = tc.cur.DeepCopy()
			}
			got, due := AdvancePeriods(tc.cur, tc.names, now, period, tc.at, !tc.stale)
			if !equality.Semantic.DeepEqual(got, tc.want) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if due != tc.due {
				t.Errorf("due in %v, want %v", due, tc.due)
			}
			if tc.cur != nil && !equality.Semantic.DeepEqual(before, tc.cur) {
				t.Error("the given snapshots were modified")
			}
		})
	}
}
