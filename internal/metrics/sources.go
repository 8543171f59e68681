package metrics

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// pollCategories are the reasons a MetricSource's Ready condition is False
// for, as the category label; any other reason counts as "Other".
var pollCategories = []string{
	v1alpha1.ReasonProviderUnavailable,
	v1alpha1.ReasonMetricsFailed,
	v1alpha1.ReasonDestinationNotAllowed,
	v1alpha1.ReasonCredentialsUnavailable,
	v1alpha1.ReasonCredentialsNotOptedIn,
	v1alpha1.ReasonInvalidSpec,
	"Other",
}

// source emits a MetricSource's gauges.
func (e *emitter) source(s *v1alpha1.MetricSource) {
	ns, name, st := s.Namespace, s.Name, &s.Status
	e.ready("MetricSource", ns, name, st.Conditions)
	var (
		oldest, newest *metav1.Time
		failed         int
	)
	for i := range st.Values {
		v := &st.Values[i]
		if v.Error != "" {
			failed++
		}
		if v.ObservedAt == nil {
			continue
		}
		if oldest == nil || v.ObservedAt.Before(oldest) {
			oldest = v.ObservedAt
		}
		if v.Error == "" && (newest == nil || newest.Before(v.ObservedAt)) {
			newest = v.ObservedAt
		}
	}
	if oldest != nil {
		e.gauge(descSourceValueAge, max(0, e.now.Sub(oldest.Time).Seconds()), ns, name)
	}
	if newest != nil {
		e.gauge(descSourceNewest, float64(newest.Unix()), ns, name)
	}
	e.gauge(descSourceValues, float64(len(st.Values)), ns, name)
	e.gauge(descSourceFailedValues, float64(failed), ns, name)
	e.gauge(descSourceStale, boolValue(meta.IsStatusConditionTrue(st.Conditions, v1alpha1.ConditionStale)), ns, name)

	failing := ""
	if c := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady); c != nil && c.Status == metav1.ConditionFalse {
		failing = "Other"
		for _, cat := range pollCategories {
			if c.Reason == cat {
				failing = cat
			}
		}
	}
	for _, cat := range pollCategories {
		e.gauge(descSourcePollFailing, boolValue(cat == failing), ns, name, cat)
	}
}
