package maturity

import (
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Relative targets: a rule reads `previous.x`, the value metric x had at
// the start of the previous comparison period. A target keeps two
// snapshots of the metrics rules read that way (status.periodSnapshots):
// current, recorded at the start of the current period, and previous, the
// one before. When current is a period old it becomes previous and a new
// current is recorded, so previous.x is always the value x had between one
// and two periods before the evaluation.
//
// Without a previous snapshot (a target's first period, or a status lost
// in a restore), or when x had no value then, `previous.x` is unknown, as
// a missing metric is: the rule is decided only if its result does not
// depend on it, and it never passes because of it.

// PreviousMetricNames are the metric names the model's rules read through
// `previous`, sorted. The slice is shared: do not modify it.
func (m *Model) PreviousMetricNames() []string { return m.previousNames }

// PreviousRules are the fields of the rules that read `previous`, in
// model order: a SupportPlan, which records no period, refuses them.
func (m *Model) PreviousRules() []string { return m.previousRules }

// ComparisonPeriod is the model's spec.comparisonPeriod, or its default.
func (m *Model) ComparisonPeriod() time.Duration {
	if p := m.spec.ComparisonPeriod; p != nil && p.Duration > 0 {
		return p.Duration
	}
	return v1alpha1.DefaultComparisonPeriod
}

// recordPrevious adds the names r reads through `previous` to names, and
// refuses the rule that takes the model past MaxPreviousMetrics: every
// target records that many values per period.
func (c *compiler) recordPrevious(names map[string]bool, path string, r *rule) {
	if len(r.previous.names) > 0 {
		c.previousRules = append(c.previousRules, path+".rule")
	}
	for _, n := range r.previous.names {
		if names[n] {
			continue
		}
		if len(names) == v1alpha1.MaxPreviousMetrics {
			c.fail(path+".rule", "rule %q reads %s.%s: the rules of a model may read at most %d metrics through %s",
				r.text, previousVar, n, v1alpha1.MaxPreviousMetrics, previousVar)
			return
		}
		names[n] = true
	}
}

// AdvancePeriods returns the snapshots a target keeps after an evaluation
// at now, and how long until its current snapshot is due to become
// previous (0 when nothing waits on time). names are the metrics the
// model reads through `previous` (PreviousMetricNames), metrics what the
// target has now, period the model's ComparisonPeriod. fresh says the
// metrics are fresh: stale values are never recorded, the snapshots then
// stay as they are until fresh values arrive.
//
// Values of metrics the model no longer reads are dropped. A current
// snapshot more than two periods old when it becomes due (the operator was
// down, or the metrics were stale) is discarded rather than made previous:
// it is too old to stand for one period earlier. cur is not modified; the
// result is nil when the model reads nothing through `previous`.
func AdvancePeriods(cur *v1alpha1.PeriodSnapshots, names []string, metrics Metrics, period time.Duration, now time.Time,
	fresh bool) (*v1alpha1.PeriodSnapshots, time.Duration) {
	if len(names) == 0 {
		return nil, 0
	}
	out := &v1alpha1.PeriodSnapshots{}
	if cur != nil {
		out.Current, out.Previous = keepOnly(cur.Current, names), keepOnly(cur.Previous, names)
	}
	if fresh {
		switch {
		case out.Current == nil:
			out.Current = record(names, metrics, now)
		case !now.Before(out.Current.TakenAt.Add(period)):
			out.Previous = out.Current
			if !now.Before(out.Current.TakenAt.Add(2 * period)) {
				out.Previous = nil
			}
			out.Current = record(names, metrics, now)
		}
	}
	if out.Current == nil && out.Previous == nil {
		return nil, 0
	}
	var due time.Duration
	if out.Current != nil {
		due = max(out.Current.TakenAt.Add(period).Sub(now), 0)
	}
	return out, due
}

// PreviousValues are the values rules read through `previous`, from the
// previous snapshot; nil without one. Each value's source says when it was
// recorded, so a blocking rule shows what it compared with.
func PreviousValues(s *v1alpha1.PeriodSnapshots) Metrics {
	if s == nil || s.Previous == nil {
		return nil
	}
	at := "recorded " + s.Previous.TakenAt.UTC().Format(time.RFC3339)
	out := make(Metrics, len(s.Previous.Values))
	for n, v := range s.Previous.Values {
		out[n] = Metric{Value: v, Source: at}
	}
	return out
}

// record snapshots the named metrics that have a value now. Times are kept
// to the second, as the API server stores them, so a recorded snapshot
// reads back equal and an unchanged pass writes nothing.
func record(names []string, metrics Metrics, now time.Time) *v1alpha1.MetricSnapshot {
	s := &v1alpha1.MetricSnapshot{TakenAt: metav1.NewTime(now.Truncate(time.Second))}
	for _, n := range names {
		if mv, ok := metrics[n]; ok {
			if s.Values == nil {
				s.Values = make(map[string]float64, len(names))
			}
			s.Values[n] = mv.Value
		}
	}
	return s
}

// keepOnly copies s with the values of names only.
func keepOnly(s *v1alpha1.MetricSnapshot, names []string) *v1alpha1.MetricSnapshot {
	if s == nil {
		return nil
	}
	out := &v1alpha1.MetricSnapshot{TakenAt: s.TakenAt}
	for _, n := range names {
		if v, ok := s.Values[n]; ok {
			if out.Values == nil {
				out.Values = make(map[string]float64, len(names))
			}
			out.Values[n] = v
		}
	}
	return out
}
