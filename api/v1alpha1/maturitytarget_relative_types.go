package v1alpha1

import (
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Relative targets: a rule may read `previous.<metric>`, the value the
// metric had one comparison period earlier (spec.comparisonPeriod of the
// model). A target records those values in its status, bounded.

const (
	// DefaultComparisonPeriod applies when a model sets no
	// spec.comparisonPeriod.
	DefaultComparisonPeriod = 168 * time.Hour
	// MaxPreviousMetrics is how many metrics the rules of one model may read
	// through `previous`: each target records that many values per period.
	MaxPreviousMetrics = 64
)

// PeriodSnapshots are the metric values a target recorded at the start of
// its last two comparison periods, for the rules that read
// `previous.<metric>`. They hold only the metrics such rules name.
//
// They are the one part of a target's status that cannot be recomputed
// from specs and metrics: after a restore without status the rules that
// read `previous` are unknown (never passed) until a period has passed.
type PeriodSnapshots struct {
	// current was recorded at the start of the current period. Once it is a
	// period old it becomes previous and a new current is recorded.
	// +optional
	Current *MetricSnapshot `json:"current,omitempty"`
	// previous was recorded at the start of the previous period: rules read
	// its values as `previous.<metric>`. It is absent during a target's
	// first period, and when current was more than two periods old as it
	// became due (too old to stand for "one period earlier").
	// +optional
	Previous *MetricSnapshot `json:"previous,omitempty"`
}

// MetricSnapshot is the value of some metrics at one time.
type MetricSnapshot struct {
	// takenAt is when the values were recorded.
	// +required
	TakenAt metav1.Time `json:"takenAt"`
	// values by metric name: the metrics the model's rules read through
	// `previous` that had a value then.
	// +optional
	// +kubebuilder:validation:MaxProperties=64
	Values map[string]float64 `json:"values,omitempty"`
}

// String renders the snapshots for messages and test failures, times in
// UTC to the second as the API server stores them.
func (s *PeriodSnapshots) String() string {
	if s == nil {
		return "none"
	}
	return "previous " + s.Previous.String() + ", current " + s.Current.String()
}

// String renders the snapshot as "<takenAt> map[name:value ...]".
func (s *MetricSnapshot) String() string {
	if s == nil {
		return "-"
	}
	return fmt.Sprintf("%s %v", s.TakenAt.UTC().Format(time.RFC3339), s.Values)
}
