// Package metricsource reads metric values from their providers and turns
// what they return into a MetricSource's status: which values changed, when
// they were observed, which failed, and whether they are stale. The
// MetricSource controller is the only caller; consumers read the source's
// status, never a provider.
package metricsource

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/egress"
)

// Sample is one value a provider read, or the error of reading it. A zero
// ObservedAt means "now, unless the value is unchanged", which keeps the
// first time a value was seen so a poll returning the same number writes
// nothing.
type Sample struct {
	Name       string
	Value      float64
	ObservedAt time.Time
	Err        error
}

// Credentials are the secret material a provider needs, resolved by the
// controller from Secrets and ConfigMaps in the source's namespace. They
// must never appear in errors, logs or status.
type Credentials struct {
	// BearerToken is sent as `Authorization: Bearer <token>`.
	BearerToken string
	// Username and Password are sent as basic auth.
	Username, Password string
	// CA is a PEM bundle of the certificate authorities to trust.
	CA []byte
	// Headers are the resolved values of spec.http.headers, by name.
	Headers map[string]string
}

// Provider reads the current values of a source. A returned error means the
// whole read failed (the provider is unreachable, the response unusable);
// a Sample's Err means only that metric failed.
type Provider interface {
	Fetch(ctx context.Context, src *v1alpha1.MetricSource, creds Credentials) ([]Sample, error)
}

// Options are the limits every poll of the manager obeys, whatever its
// source says.
type Options struct {
	// Egress decides which addresses polls may connect to; nil is the
	// default policy (loopback, link-local and metadata addresses refused).
	Egress *egress.Policy
	// DecodingBytes bounds the response bytes all polls read and decode at
	// once (DefaultDecodingBytes when zero).
	DecodingBytes int64
}

// limits is what the polling providers of one manager share.
type limits struct {
	egress *egress.Policy
	budget *budget
}

func (o Options) limits() limits {
	return limits{egress: o.Egress, budget: newBudget(o.DecodingBytes)}
}

// Providers holds one provider per source type. Providers may keep caches
// (compiled expressions), so one set is shared by all reconciles.
type Providers struct {
	byType map[v1alpha1.MetricSourceType]Provider
}

// NewProviders returns the providers of every supported type, sharing one
// decoding budget.
func NewProviders(opts Options) *Providers {
	l := opts.limits()
	return &Providers{byType: map[v1alpha1.MetricSourceType]Provider{
		v1alpha1.MetricSourceReported:   Reported{},
		v1alpha1.MetricSourcePrometheus: &Prometheus{limits: l},
		v1alpha1.MetricSourceHTTP:       &HTTP{limits: l},
	}}
}

// For returns the provider of a source type.
func (p *Providers) For(t v1alpha1.MetricSourceType) (Provider, error) {
	if pr, ok := p.byType[t]; ok {
		return pr, nil
	}
	return nil, fmt.Errorf("spec.type %q is not a supported provider", t)
}

// Polled says whether a source type is read by polling (as opposed to
// values written into its spec).
func Polled(t v1alpha1.MetricSourceType) bool {
	return t == v1alpha1.MetricSourcePrometheus || t == v1alpha1.MetricSourceHTTP
}

// Reported returns the values written into spec.reported.
type Reported struct{}

// Fetch implements Provider.
func (Reported) Fetch(_ context.Context, src *v1alpha1.MetricSource, _ Credentials) ([]Sample, error) {
	rep := src.Spec.Reported
	if rep == nil {
		return nil, fmt.Errorf("spec.reported is required when spec.type is Reported")
	}
	var at time.Time
	if rep.ObservedAt != nil {
		at = rep.ObservedAt.Time
	}
	if rep.InStatus {
		// The cache's copy: the values are the ones published.
		out := make([]Sample, len(src.Status.Values))
		for i, v := range src.Status.Values {
			out[i] = Sample{Name: v.Name, Value: *v.Value, ObservedAt: at}
		}
		return out, nil
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
