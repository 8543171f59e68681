package metricsource

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func value(name string, v float64, at time.Time) v1alpha1.MetricValue {
	t := metav1.NewTime(at)
	return v1alpha1.MetricValue{Name: name, Value: &v, ObservedAt: &t}
}

func failed(v v1alpha1.MetricValue, msg string) v1alpha1.MetricValue {
	v.Error = msg
	return v
}

func TestReportedFetch(t *testing.T) {
	src := &v1alpha1.MetricSource{Spec: v1alpha1.MetricSourceSpec{
		Type:     v1alpha1.MetricSourceReported,
		Reported: &v1alpha1.ReportedMetrics{Values: map[string]float64{"csat": 85}, ObservedAt: &metav1.Time{Time: t0}},
	}}
	p, err := NewProviders(Options{}).For(src.Spec.Type)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Fetch(context.Background(), src, Credentials{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Sample{{Name: "csat", Value: 85, ObservedAt: t0}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Fetch = %v, want %v", got, want)
	}

	src.Spec.Reported.Values["bad"] = math.Inf(1)
	if _, err := p.Fetch(context.Background(), src, Credentials{}); err == nil || !strings.Contains(err.Error(), "spec.reported.values[bad]") {
		t.Errorf("infinite value: err = %v, want one naming the field", err)
	}
	src.Spec.Reported = nil
	if _, err := p.Fetch(context.Background(), src, Credentials{}); err == nil || !strings.Contains(err.Error(), "spec.reported") {
		t.Errorf("no reported values: err = %v", err)
	}
	if _, err := NewProviders(Options{}).For("Guess"); err == nil || !strings.Contains(err.Error(), "spec.type") {
		t.Errorf("unknown type: err = %v", err)
	}
}

// The cache's copy of a reported source whose values are published
// (internal/compact) reads them back from the status.
func TestReportedFetchOfValuesInStatus(t *testing.T) {
	src := &v1alpha1.MetricSource{
		Spec: v1alpha1.MetricSourceSpec{
			Type:     v1alpha1.MetricSourceReported,
			Reported: &v1alpha1.ReportedMetrics{InStatus: true, ObservedAt: &metav1.Time{Time: t0}},
		},
		Status: v1alpha1.MetricSourceStatus{Values: []v1alpha1.MetricValue{value("csat", 85, t0.Add(-time.Hour)), value("nps", 40, t0)}},
	}
	got, err := Reported{}.Fetch(context.Background(), src, Credentials{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Sample{{Name: "csat", Value: 85, ObservedAt: t0}, {Name: "nps", Value: 40, ObservedAt: t0}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Fetch = %v, want %v", got, want)
	}
}

func TestMerge(t *testing.T) {
	now := t0.Add(time.Hour)
	tests := []struct {
		name    string
		prev    []v1alpha1.MetricValue
		samples []Sample
		want    []v1alpha1.MetricValue
	}{{
		name:    "new values are stamped now and sorted",
		samples: []Sample{{Name: "b", Value: 2}, {Name: "a", Value: 1}},
		want:    []v1alpha1.MetricValue{value("a", 1, now), value("b", 2, now)},
	}, {
		name:    "an unchanged value keeps the time it was first seen",
		prev:    []v1alpha1.MetricValue{value("a", 1, t0)},
		samples: []Sample{{Name: "a", Value: 1}},
		want:    []v1alpha1.MetricValue{value("a", 1, t0)},
	}, {
		name:    "a changed value is stamped now",
		prev:    []v1alpha1.MetricValue{value("a", 1, t0)},
		samples: []Sample{{Name: "a", Value: 1.5}},
		want:    []v1alpha1.MetricValue{value("a", 1.5, now)},
	}, {
		name:    "the provider's time wins, truncated to seconds",
		prev:    []v1alpha1.MetricValue{value("a", 1, t0)},
		samples: []Sample{{Name: "a", Value: 1, ObservedAt: t0.Add(90*time.Second + 300*time.Millisecond)}},
		want:    []v1alpha1.MetricValue{value("a", 1, t0.Add(90*time.Second))},
	}, {
		name:    "values no longer reported are dropped",
		prev:    []v1alpha1.MetricValue{value("a", 1, t0), value("gone", 3, t0)},
		samples: []Sample{{Name: "a", Value: 1}},
		want:    []v1alpha1.MetricValue{value("a", 1, t0)},
	}, {
		name:    "a failed metric keeps its last good value with the error, on one line",
		prev:    []v1alpha1.MetricValue{value("a", 1, t0), value("b", 2, t0)},
		samples: []Sample{{Name: "a", Value: 1}, {Name: "b", Err: errors.New("query returned\nno samples")}},
		want:    []v1alpha1.MetricValue{value("a", 1, t0), failed(value("b", 2, t0), "query returned no samples")},
	}, {
		name:    "a metric that never succeeded has only its error",
		samples: []Sample{{Name: "b", Err: errors.New("no samples")}},
		want:    []v1alpha1.MetricValue{{Name: "b", Error: "no samples"}},
	}, {
		name:    "a success clears the error",
		prev:    []v1alpha1.MetricValue{failed(value("a", 1, t0), "boom")},
		samples: []Sample{{Name: "a", Value: 1}},
		want:    []v1alpha1.MetricValue{value("a", 1, t0)},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Merge(tt.prev, tt.samples, now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Merge = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFail(t *testing.T) {
	prev := []v1alpha1.MetricValue{value("a", 1, t0), {Name: "never", Error: "old"}}
	got := Fail(prev, errors.New("dial tcp 127.0.0.1:9: connection refused"))
	want := []v1alpha1.MetricValue{
		failed(value("a", 1, t0), "dial tcp 127.0.0.1:9: connection refused"),
		{Name: "never", Error: "dial tcp 127.0.0.1:9: connection refused"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Fail = %v, want %v", got, want)
	}
	if prev[0].Error != "" {
		t.Error("Fail changed its input")
	}
	if names := Failed(got); !reflect.DeepEqual(names, []string{"a", "never"}) {
		t.Errorf("Failed = %v", names)
	}
}

func TestCheckFreshness(t *testing.T) {
	hour := &metav1.Duration{Duration: time.Hour}
	values := []v1alpha1.MetricValue{value("old", 1, t0.Add(-2*time.Hour)), value("new", 2, t0.Add(-15*time.Minute)), value("older", 3, t0.Add(-3*time.Hour))}
	tests := []struct {
		name      string
		maxAge    *metav1.Duration
		values    []v1alpha1.MetricValue
		refreshed time.Time
		want      Freshness
	}{
		{name: "a polled source ages from its last successful poll", maxAge: hour, values: values, refreshed: t0.Add(-10 * time.Minute),
			want: Freshness{NextExpiry: 50 * time.Minute}},
		{name: "a value never read is stale", maxAge: hour, values: []v1alpha1.MetricValue{{Name: "b", Error: "x"}},
			want: Freshness{Stale: []string{"b"}}},
		{name: "no maxAge never goes stale", values: values, want: Freshness{}},
		{name: "zero maxAge never goes stale", maxAge: &metav1.Duration{}, values: values, want: Freshness{}},
		{name: "values older than maxAge are stale, the rest expire later", maxAge: hour, values: values,
			want: Freshness{Stale: []string{"old", "older"}, NextExpiry: 45 * time.Minute}},
		{name: "exactly maxAge old is stale", maxAge: hour, values: []v1alpha1.MetricValue{value("a", 1, t0.Add(-time.Hour))},
			want: Freshness{Stale: []string{"a"}}},
		{name: "no values", maxAge: hour, want: Freshness{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckFreshness(tt.values, tt.maxAge, tt.refreshed, t0); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("CheckFreshness = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestSetValues checks what `kubectl get ms` shows: the number of values
// and the newest observedAt, a value never read and a failed one included.
func TestSetValues(t *testing.T) {
	never := v1alpha1.MetricValue{Name: "nps", Error: "no such field"}
	cases := []struct {
		name   string
		values []v1alpha1.MetricValue
		count  int32
		last   *time.Time
	}{
		{"none", nil, 0, nil},
		{"never read", []v1alpha1.MetricValue{never}, 1, nil},
		{"newest wins, in any order", []v1alpha1.MetricValue{
			value("a", 1, t0.Add(time.Hour)), never, failed(value("b", 2, t0.Add(2*time.Hour)), "timeout"), value("c", 3, t0),
		}, 4, new(t0.Add(2 * time.Hour))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := &v1alpha1.MetricSourceStatus{ValueCount: 9, LastObservedAt: &metav1.Time{Time: t0.Add(99 * time.Hour)}}
			SetValues(st, tc.values)
			if !reflect.DeepEqual(st.Values, tc.values) || st.ValueCount != tc.count {
				t.Errorf("values %v, count %d; want %d values", st.Values, st.ValueCount, tc.count)
			}
			switch {
			case tc.last == nil && st.LastObservedAt != nil:
				t.Errorf("lastObservedAt = %v, want none", st.LastObservedAt)
			case tc.last != nil && (st.LastObservedAt == nil || !st.LastObservedAt.Time.Equal(*tc.last)):
				t.Errorf("lastObservedAt = %v, want %v", st.LastObservedAt, *tc.last)
			}
		})
	}
	// The status keeps its own copy: a later change of a value's time
	// does not move lastObservedAt.
	values := []v1alpha1.MetricValue{value("a", 1, t0)}
	st := &v1alpha1.MetricSourceStatus{}
	SetValues(st, values)
	values[0].ObservedAt.Time = t0.Add(time.Hour)
	if !st.LastObservedAt.Time.Equal(t0) {
		t.Errorf("lastObservedAt moved with the value: %v", st.LastObservedAt)
	}
}
