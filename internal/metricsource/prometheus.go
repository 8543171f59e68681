package metricsource

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

// Prometheus polls PromQL instant queries, each returning one number.
type Prometheus struct{ limits limits }

// NewPrometheus returns a Prometheus provider with a decoding budget of its
// own. It holds no other state: each poll builds its own client, as the
// address, credentials and CA are per source.
func NewPrometheus(opts Options) *Prometheus { return &Prometheus{limits: opts.limits()} }

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

	rt, err := newTransport(u, creds, p.limits.egress)
	if err != nil {
		return nil, fmt.Errorf("prometheus %s: spec.prometheus.tls: %w", where, err)
	}
	defer rt.CloseIdleConnections()
	// client_golang reads and decodes whole bodies: they are read here
	// first, within the byte limit, the JSON budget and the decoding budget.
	reads := &promReads{budget: p.limits.budget}
	defer reads.release()
	rt.onResponse = reads.check
	client, err := api.NewClient(api.Config{Address: spec.Address, Client: rt.client()})
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
		status := reads.status
		reads.release()
		if err != nil {
			described := &safeError{msg: describePromError(err, status, timeout), err: err}
			if i == 0 && transportLevel(err) {
				return nil, scrub(fmt.Errorf("prometheus %s: %w", where, described), creds)
			}
			out = append(out, Sample{Name: q.Metric, Err: scrub(described, creds)})
			continue
		}
		v, err := sampleValue(val)
		out = append(out, Sample{Name: q.Metric, Value: v, Err: err})
	}
	return out, nil
}

// promReads checks the responses of one poll's queries (run one at a time)
// before client_golang reads them, and remembers the last status code:
// client_golang's errors do not always carry it.
type promReads struct {
	budget *budget
	status int
	held   func()
}

// check reads the body of a response client_golang will decode, holding
// its share of the decoding budget until release, and fails the request
// when the body is over the JSON budget.
func (r *promReads) check(resp *http.Response) error {
	r.status = resp.StatusCode
	if resp.StatusCode/100 == 3 {
		return nil // followed or refused by the client, never decoded
	}
	r.release() // a redirected query's earlier response is done with
	share := int64(MaxResponseBytes)
	if resp.ContentLength >= 0 {
		share = resp.ContentLength
	}
	release, err := r.budget.acquire(resp.Request.Context(), share)
	if err != nil {
		return err
	}
	r.held = release
	data, err := readBody(resp.Body, MaxResponseBytes, resp.ContentLength)
	if err != nil {
		return err
	}
	// Malformed JSON is client_golang's to report (bad_response).
	if err := jsonBudget(data); err != nil {
		return err
	}
	_ = resp.Body.Close()
	resp.Body = bytesReader(data)
	return nil
}

func (r *promReads) release() {
	if r.held != nil {
		r.held()
		r.held = nil
	}
}

// errEmptyVector is the error of a query that matched no series: a metric
// or label name that does not exist (yet), or data older than Prometheus'
// lookback window at the evaluation time.
var errEmptyVector = errors.New("query returned no series, want exactly one: no data matches the query at the evaluation time " +
	"(check the metric and label names, or add `or vector(0)` where no data means zero)")

// sampleValue reads the one number a query must return.
func sampleValue(val model.Value) (float64, error) {
	var v model.SampleValue
	switch r := val.(type) {
	case *model.Scalar:
		v = r.Value
	case model.Vector:
		switch {
		case len(r) == 0:
			return 0, errEmptyVector
		case len(r) > 1:
			return 0, fmt.Errorf("query returned %d series, want exactly one: aggregate them, for example with sum() or max()", len(r))
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

// promErrorTypes are the error types the Prometheus API defines. The
// server names the type of a PromQL error; only these are repeated.
var promErrorTypes = map[promv1.ErrorType]bool{
	promv1.ErrBadData: true, promv1.ErrTimeout: true, promv1.ErrCanceled: true, promv1.ErrExec: true,
	"internal": true, "unavailable": true, "not_found": true, "not_acceptable": true,
}

// describePromError renders a query error as its category and the HTTP
// status. The server's error message, the body of a non-2xx answer and
// client_golang's decoding errors (which quote the body) are left out:
// they are the remote system's text.
func describePromError(err error, status int, timeout time.Duration) string {
	var apiErr *promv1.Error
	if errors.As(err, &apiErr) {
		switch apiErr.Type {
		case promv1.ErrServer, promv1.ErrClient:
			return "HTTP " + statusText(status)
		case promv1.ErrBadResponse:
			if status/100 != 2 {
				return "HTTP " + statusText(status) + ": response not a Prometheus API answer"
			}
			return "response not a Prometheus API answer"
		}
		if promErrorTypes[apiErr.Type] {
			return "query failed: " + string(apiErr.Type)
		}
		return "query failed"
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return category(err, timeout)
	}
	// client_golang decoding the data of a successful envelope: a result
	// type it does not know (PromQL's string), or data it cannot read.
	if msg := err.Error(); strings.Contains(msg, "unexpected value type") {
		if strings.Contains(msg, `"string"`) {
			return "query returned a string, want a scalar or a one-sample vector"
		}
		return "query returned an unknown result type, want a scalar or a one-sample vector"
	}
	return "response not a Prometheus API answer"
}
