// Package metricsource turns what a provider returns into a MetricSource's
// status: which values changed, when they were observed, and whether they
// are stale. Providers (reported values now; Prometheus and HTTP JSON later)
// implement Provider; the MetricSource controller is the only caller, and
// consumers read the source's status, never a provider.
package metricsource

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Sample is one value a provider read. A zero ObservedAt means "now, unless
// the value is unchanged", which keeps the first time a value was seen.
type Sample struct {
	Name       string
	Value      float64
	ObservedAt time.Time
}

// Provider reads the current values of a source.
type Provider interface {
	Fetch(ctx context.Context, src *v1alpha1.MetricSource) ([]Sample, error)
}

// For returns the provider of a source's type.
func For(t v1alpha1.MetricSourceType) (Provider, error) {
	switch t {
	case v1alpha1.MetricSourceReported:
		return Reported{}, nil
	}
	return nil, fmt.Errorf("spec.type %q is not a supported provider", t)
}

// Reported returns the values written into spec.reported.
type Reported struct{}

// Fetch implements Provider.
func (Reported) Fetch(_ context.Context, src *v1alpha1.MetricSource) ([]Sample, error) {
	rep := src.Spec.Reported
	if rep == nil {
		return nil, fmt.Errorf("spec.reported is required when spec.type is Reported")
	}
	var at time.Time
	if rep.ObservedAt != nil {
		at = rep.ObservedAt.Time
	}
	out := make([]Sample, 0, len(rep.Values))
	for name, v := range rep.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("spec.reported.values[%s] is not a finite number", name)
		}
		out = append(out, Sample{Name: name, Value: v, ObservedAt: at})
	}
	return out, nil
}

// Merge builds the status values from the samples: sorted by name, and an
// unchanged value keeps its previous timestamp unless the provider gives a
// newer one, so polling the same numbers writes nothing.
func Merge(prev []v1alpha1.MetricValue, samples []Sample, now time.Time) []v1alpha1.MetricValue {
	old := make(map[string]v1alpha1.MetricValue, len(prev))
	for _, v := range prev {
		old[v.Name] = v
	}
	out := make([]v1alpha1.MetricValue, 0, len(samples))
	for _, s := range samples {
		at := s.ObservedAt
		if at.IsZero() {
			at = now
			if o, ok := old[s.Name]; ok && o.Value == s.Value {
				at = o.ObservedAt.Time
			}
		}
		out = append(out, v1alpha1.MetricValue{Name: s.Name, Value: s.Value, ObservedAt: metav1.NewTime(at.Truncate(time.Second))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Freshness says whether values are stale and when the next one goes stale.
type Freshness struct {
	Stale []string // names of stale values, sorted
	// NextExpiry is how long until the next fresh value goes stale; zero
	// when none will (no maxAge, or all already stale).
	NextExpiry time.Duration
}

// CheckFreshness compares each value's age with maxAge (nil: never stale).
func CheckFreshness(values []v1alpha1.MetricValue, maxAge *metav1.Duration, now time.Time) Freshness {
	var f Freshness
	if maxAge == nil || maxAge.Duration <= 0 {
		return f
	}
	for _, v := range values {
		left := v.ObservedAt.Add(maxAge.Duration).Sub(now)
		if left <= 0 {
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
