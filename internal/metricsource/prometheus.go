package metricsource

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// maxPrometheusResponse bounds the body client_golang reads into memory. A
// query meant to return one sample that returns a whole table is an error
// anyway; this keeps it from costing the controller its memory first.
const maxPrometheusResponse = 8 << 20

// Prometheus polls PromQL instant queries, each returning one number.
type Prometheus struct{}

// NewPrometheus returns a Prometheus provider. It holds no state: each poll
// builds its own client, as the address, credentials and CA are per source.
func NewPrometheus() *Prometheus { return &Prometheus{} }

// Fetch implements Provider: one Sample per query, in spec order.
//
// Queries run one after another. A first query failing at the transport or
// HTTP level (unreachable, timed out, 5xx, 401/403, unreadable response)
// fails the whole read: the server is down or rejects us, and every other
// query would fail the same way. Failures after a success, and PromQL
// errors (bad_data, execution), only fail their metric.
func (p *Prometheus) Fetch(ctx context.Context, src *v1alpha1.MetricSource, creds Credentials) ([]Sample, error) {
	spec := src.Spec.Prometheus
	if spec == nil {
		return nil, errors.New("spec.prometheus is required when spec.type is Prometheus")
	}
	u, err := parseURL(spec.Address, "spec.prometheus.address")
	if err != nil {
		return nil, err
	}
	where := u.Redacted()
	timeout := timeoutOr(spec.Timeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	rt, err := newTransport(u, creds, maxPrometheusResponse)
	if err != nil {
		return nil, fmt.Errorf("prometheus %s: spec.prometheus.tls: %w", where, err)
	}
	defer rt.CloseIdleConnections()
	client, err := api.NewClient(api.Config{Address: spec.Address, RoundTripper: rt})
	if err != nil {
		// NewClient only parses the address, which parseURL accepted.
		return nil, fmt.Errorf("prometheus %s: %w", where, unwrapURLError(err))
	}
	promAPI := promv1.NewAPI(client)

	// One evaluation time for all queries, so ratios of two metrics of the
	// same source are computed at the same instant.
	at := time.Now()
	out := make([]Sample, 0, len(spec.Queries))
	for i, q := range spec.Queries {
		// The server-side timeout lets Prometheus abandon a slow query
		// instead of computing it for a client that is gone.
		val, _, err := promAPI.Query(ctx, q.Query, at, promv1.WithTimeout(timeout))
		if err != nil {
			if i == 0 && transportLevel(err) {
				return nil, scrub(fmt.Errorf("prometheus %s: %s", where, describePromError(err, timeout)), creds)
			}
			out = append(out, Sample{Name: q.Metric, Err: scrub(errors.New(describePromError(err, timeout)), creds)})
			continue
		}
		v, err := sampleValue(val)
		out = append(out, Sample{Name: q.Metric, Value: v, Err: err})
	}
	return out, nil
}

// sampleValue reads the one number a query must return.
func sampleValue(val model.Value) (float64, error) {
	var v model.SampleValue
	switch r := val.(type) {
	case *model.Scalar:
		v = r.Value
	case model.Vector:
		switch {
		case len(r) == 0:
			return 0, errors.New("query returned no samples")
		case len(r) > 1:
			return 0, fmt.Errorf("query returned %d samples, want 1", len(r))
		case r[0].Histogram != nil:
			return 0, errors.New("query returned a native histogram, want a float sample")
		}
		v = r[0].Value
	case nil:
		return 0, errors.New("query returned no result")
	default:
		return 0, fmt.Errorf("query returned a %s, want a scalar or a one-sample vector", val.Type())
	}
	if err := finite(float64(v)); err != nil {
		return 0, err
	}
	return float64(v), nil
}

// transportLevel says whether a query failed before PromQL had a say: the
// request did not complete, or the answer was not a Prometheus API answer.
func transportLevel(err error) bool {
	var apiErr *promv1.Error
	if errors.As(err, &apiErr) {
		switch apiErr.Type {
		case promv1.ErrServer, promv1.ErrClient, promv1.ErrBadResponse:
			return true
		}
		return false
	}
	// What remains is client_golang decoding the data of a successful
	// envelope (a per-query result it does not know), which is per query.
	var (
		tooLarge errResponseTooLarge
		urlErr   *url.Error
	)
	return errors.As(err, &urlErr) || errors.As(err, &tooLarge) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// describePromError renders a query error on one line. client_golang keeps
// the response body of a non-2xx answer in Error.Detail, not in Error();
// only a 5xx body is quoted (cut to maxErrorBody), since a 401 body is the
// likeliest to echo what we sent.
func describePromError(err error, timeout time.Duration) string {
	var apiErr *promv1.Error
	if errors.As(err, &apiErr) {
		msg := fmt.Sprintf("%s: %s", apiErr.Type, strings.TrimPrefix(snippet(withoutJSONContext(apiErr.Msg)), ": "))
		if apiErr.Type == promv1.ErrServer {
			msg += snippet(apiErr.Detail)
		}
		return msg
	}
	// client_golang reports a result type it cannot decode (a PromQL
	// string) as a bare decoding error.
	msg := withoutJSONContext(err.Error())
	if _, t, ok := strings.Cut(msg, "unexpected value type "); ok {
		return fmt.Sprintf("query returned a %s, want a scalar or a one-sample vector", strings.Trim(t, `"`))
	}
	if msg != err.Error() {
		return strings.TrimPrefix(snippet(msg), ": ")
	}
	return strings.Join(strings.Fields(transportError(err, timeout).Error()), " ")
}

// withoutJSONContext cuts the response excerpts json-iterator (which
// client_golang decodes with) appends to its errors: they quote the body
// twice over and say nothing the position does not.
func withoutJSONContext(msg string) string {
	if i := strings.Index(msg, ", error found in #"); i >= 0 {
		return msg[:i]
	}
	return msg
}
