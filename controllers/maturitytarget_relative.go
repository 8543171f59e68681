package controllers

import (
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/maturity"
)

// advancePeriods records the values the model's rules read through
// `previous` in status.periodSnapshots, and returns the values of the
// previous period for the evaluation and how long until the current period
// ends (0: nothing waits on it). The status only changes when a period
// starts or the model reads other metrics, so a pass within a period
// writes nothing.
func advancePeriods(st *v1alpha1.MaturityTargetStatus, m *maturity.Model, in metricInputs, now time.Time) (maturity.Metrics, time.Duration) {
	var due time.Duration
	st.PeriodSnapshots, due = maturity.AdvancePeriods(st.PeriodSnapshots, m.PreviousMetricNames(), in.metrics, m.ComparisonPeriod(), now, in.trusted())
	return maturity.PreviousValues(st.PeriodSnapshots), due
}
