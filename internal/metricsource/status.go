package metricsource

import (
	"math"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// maxErrorLength is the API limit of status.values[].error.
const maxErrorLength = 512

// Merge builds the status values from a successful read: sorted by name; an
// unchanged value keeps its previous timestamp unless the provider gives a
// newer one; a failed metric keeps its last good value with the error.
// Metrics the provider no longer returns are dropped.
func Merge(prev []v1alpha1.MetricValue, samples []Sample, now time.Time) []v1alpha1.MetricValue {
	old := make(map[string]v1alpha1.MetricValue, len(prev))
	for _, v := range prev {
		old[v.Name] = v
	}
	out := make([]v1alpha1.MetricValue, 0, len(samples))
	for _, s := range samples {
		o, had := old[s.Name]
		if s.Err != nil {
			o.Name = s.Name
			o.Error = oneLine(s.Err.Error())
			out = append(out, o)
			continue
		}
		at := s.ObservedAt
		if at.IsZero() {
			at = now
			if had && o.Value != nil && *o.Value == s.Value && o.ObservedAt != nil {
				at = o.ObservedAt.Time
			}
		}
		v := s.Value
		t := metav1.NewTime(at.Truncate(time.Second))
		out = append(out, v1alpha1.MetricValue{Name: s.Name, Value: &v, ObservedAt: &t})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SetValues writes values into the status with what `kubectl get` shows
// of them: how many there are and when the newest was observed. Every
// write of status.values goes through it, so the three never disagree.
func SetValues(st *v1alpha1.MetricSourceStatus, values []v1alpha1.MetricValue) {
	st.Values = values
	st.ValueCount = int32(min(len(values), math.MaxInt32))
	st.LastObservedAt = nil
	for _, v := range values {
		if v.ObservedAt != nil && (st.LastObservedAt == nil || v.ObservedAt.After(st.LastObservedAt.Time)) {
			t := *v.ObservedAt
			st.LastObservedAt = &t
		}
	}
}

// Fail marks every value with the error of a read that failed as a whole,
// keeping the last good values.
func Fail(prev []v1alpha1.MetricValue, err error) []v1alpha1.MetricValue {
	out := make([]v1alpha1.MetricValue, len(prev))
	msg := oneLine(err.Error())
	for i, v := range prev {
		v.Error = msg
		out[i] = v
	}
	return out
}

// Failed lists the names of values whose last read failed.
func Failed(values []v1alpha1.MetricValue) []string {
	var names []string
	for _, v := range values {
		if v.Error != "" {
			names = append(names, v.Name)
		}
	}
	return names
}

// Freshness says whether values are stale and when the next one goes stale.
type Freshness struct {
	Stale []string // names of stale values, sorted
	// NextExpiry is how long until the next fresh value goes stale; zero
	// when none will (no maxAge, or all already stale).
	NextExpiry time.Duration
}

// CheckFreshness compares the age of each value with maxAge (nil: never
// stale). The age runs from refreshedAt when it is set (the last successful
// poll of a polled source, whose observedAt only moves when a value
// changes), else from the value's observedAt. A value never read is stale.
func CheckFreshness(values []v1alpha1.MetricValue, maxAge *metav1.Duration, refreshedAt, now time.Time) Freshness {
	var f Freshness
	if maxAge == nil || maxAge.Duration <= 0 {
		return f
	}
	for _, v := range values {
		from := refreshedAt
		if from.IsZero() && v.ObservedAt != nil {
			from = v.ObservedAt.Time
		}
		left := from.Add(maxAge.Duration).Sub(now)
		if from.IsZero() || left <= 0 {
			f.Stale = append(f.Stale, v.Name)
			continue
		}
		if f.NextExpiry == 0 || left < f.NextExpiry {
			f.NextExpiry = left
		}
	}
	sort.Strings(f.Stale)
	return f
}

// oneLine makes an error fit a condition or status message: one line,
// within the API limit.
func oneLine(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\n' || c == '\r' || c == '\t' {
			b[i] = ' '
		}
	}
	if len(b) > maxErrorLength {
		return string(b[:maxErrorLength-3]) + "..."
	}
	return string(b)
}
