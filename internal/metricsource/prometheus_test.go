package metricsource

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/internal/egress"
)

// testOptions let the providers reach the tests' servers, which listen on
// loopback: the default policy refuses it.
var testOptions = Options{Egress: egress.NewPolicy([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, nil)}

// wantSample is a Sample as the tests compare it: an error by its text.
type wantSample struct {
	name  string
	value float64
	err   string // substring of Sample.Err; "" means no error
}

func checkSamples(t *testing.T, got []Sample, want []wantSample) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d samples %v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.name || !g.ObservedAt.IsZero() {
			t.Errorf("sample %d = %+v, want name %q and no ObservedAt", i, g, w.name)
		}
		switch {
		case w.err == "" && g.Err != nil:
			t.Errorf("%s: unexpected error %v", w.name, g.Err)
		case w.err == "" && g.Value != w.value:
			t.Errorf("%s = %v, want %v", w.name, g.Value, w.value)
		case w.err != "" && (g.Err == nil || !strings.Contains(g.Err.Error(), w.err)):
			t.Errorf("%s: err = %v, want one containing %q", w.name, g.Err, w.err)
		}
	}
}

// checkErr asserts a whole-read error: its text, one line, and that no
// secret leaked into it.
func checkErr(t *testing.T, err error, want string, secrets ...string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want one containing %q", err, want)
	}
	if strings.ContainsAny(err.Error(), "\r\n") {
		t.Errorf("err spans several lines: %q", err)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("err %q contains the secret %q", err, s)
		}
	}
}

func caPEM(srv *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}

func basic(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}

// rejectUnless answers 401 to requests auth refuses, echoing what they
// sent, as careless servers do: the provider must still not leak it.
func rejectUnless(auth func(*http.Request) bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if auth != nil && !auth(r) {
			http.Error(w, "bad credentials: "+r.Header.Get("Authorization")+" "+r.Header.Get("X-Api-Key"), http.StatusUnauthorized)
			return
		}
		next(w, r)
	}
}

func promSuccess(resultType, result string) string {
	return fmt.Sprintf(`{"status":"success","data":{"resultType":%q,"result":%s}}`, resultType, result)
}

// promReplies are the canned answers of the fake Prometheus, by query.
var promReplies = map[string]struct {
	status int
	body   string
}{
	"scalar":  {200, promSuccess("scalar", `[1700000000,"42.5"]`)},
	"one":     {200, promSuccess("vector", `[{"metric":{"job":"shop"},"value":[1700000000,"3"]}]`)},
	"empty":   {200, promSuccess("vector", `[]`)},
	"two":     {200, promSuccess("vector", `[{"metric":{"i":"1"},"value":[1700000000,"1"]},{"metric":{"i":"2"},"value":[1700000000,"2"]}]`)},
	"matrix":  {200, promSuccess("matrix", `[{"metric":{},"values":[[1700000000,"1"],[1700000015,"2"]]}]`)},
	"text":    {200, promSuccess("string", `[1700000000,"hello"]`)},
	"nan":     {200, promSuccess("vector", `[{"metric":{},"value":[1700000000,"NaN"]}]`)},
	"inf":     {200, promSuccess("scalar", `[1700000000,"+Inf"]`)},
	"badq":    {400, `{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}`},
	"heavy":   {422, `{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory"}`},
	"boom":    {500, "upstream connect error\n"},
	"garbage": {200, "<html>not the API</html>"},
}

// promServer speaks the part of the Prometheus HTTP API the provider uses.
// The query "slow" never answers.
func promServer(t *testing.T, tlsServer bool, auth func(*http.Request) bool) *httptest.Server {
	h := rejectUnless(auth, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" || r.ParseForm() != nil {
			http.NotFound(w, r)
			return
		}
		q := r.Form.Get("query")
		if q == "slow" {
			<-r.Context().Done()
			return
		}
		reply, ok := promReplies[q]
		if !ok {
			reply.status, reply.body = 400, `{"status":"error","errorType":"bad_data","error":"unknown query"}`
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(reply.status)
		_, _ = w.Write([]byte(reply.body))
	})
	srv := httptest.NewUnstartedServer(h)
	if tlsServer {
		// The test without the CA fails the handshake on purpose.
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

// promSource queries each name as both metric and PromQL.
func promSource(address string, timeout time.Duration, queries ...string) *v1alpha1.MetricSource {
	spec := &v1alpha1.PrometheusSource{Address: address}
	if timeout > 0 {
		spec.Timeout = &metav1.Duration{Duration: timeout}
	}
	for _, q := range queries {
		spec.Queries = append(spec.Queries, v1alpha1.PrometheusQuery{Metric: q, Query: q})
	}
	return &v1alpha1.MetricSource{Spec: v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourcePrometheus, Prometheus: spec}}
}

func TestPrometheusFetch(t *testing.T) {
	srv := promServer(t, false, nil)
	for _, tc := range []struct {
		name    string
		queries []string
		timeout time.Duration
		want    []wantSample
		wantErr string
	}{{
		name:    "scalar and one-sample vector",
		queries: []string{"scalar", "one"},
		want:    []wantSample{{name: "scalar", value: 42.5}, {name: "one", value: 3}},
	}, {
		name:    "results that are not one number fail their metric",
		queries: []string{"scalar", "empty", "two", "matrix", "text", "nan", "inf"},
		want: []wantSample{
			{name: "scalar", value: 42.5},
			{name: "empty", err: errEmptyVector.Error()},
			{name: "two", err: "query returned 2 series, want exactly one: aggregate them, for example with sum() or max()"},
			{name: "matrix", err: "query returned a matrix, want a scalar or a one-sample vector"},
			{name: "text", err: "query returned a string, want a scalar or a one-sample vector"},
			{name: "nan", err: "value is NaN"},
			{name: "inf", err: "value is +Inf"},
		},
	}, {
		name:    "PromQL errors fail their metric, even the first",
		queries: []string{"badq", "heavy", "scalar"},
		want: []wantSample{
			{name: "badq", err: "query failed: bad_data"},
			{name: "heavy", err: "query failed: execution"},
			{name: "scalar", value: 42.5},
		},
	}, {
		name:    "HTTP failure after a success fails its metric",
		queries: []string{"scalar", "boom", "garbage"},
		want: []wantSample{
			{name: "scalar", value: 42.5},
			{name: "boom", err: "HTTP 500 Internal Server Error"},
			{name: "garbage", err: "response not a Prometheus API answer"},
		},
	}, {
		name:    "HTTP 500 on the first query fails the read",
		queries: []string{"boom", "scalar"},
		wantErr: "prometheus " + srv.URL + ": HTTP 500 Internal Server Error",
	}, {
		name:    "malformed response fails the read",
		queries: []string{"garbage"},
		wantErr: "prometheus " + srv.URL + ": response not a Prometheus API answer",
	}, {
		name:    "timeout fails the read",
		queries: []string{"slow", "scalar"},
		timeout: 200 * time.Millisecond,
		wantErr: "prometheus " + srv.URL + ": timeout after 200ms",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewPrometheus(testOptions).Fetch(context.Background(), promSource(srv.URL, tc.timeout, tc.queries...), Credentials{})
			if tc.wantErr != "" {
				checkErr(t, err, tc.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkSamples(t, got, tc.want)
		})
	}
}

func TestPrometheusAuth(t *testing.T) {
	const token, user, pass = "right-token-1234", "alice", "right-password"
	srv := promServer(t, false, func(r *http.Request) bool {
		a := r.Header.Get("Authorization")
		return a == "Bearer "+token || a == "Basic "+basic(user, pass)
	})
	for _, tc := range []struct {
		name    string
		creds   Credentials
		wantErr string
	}{
		{name: "bearer token", creds: Credentials{BearerToken: token}},
		{name: "basic auth", creds: Credentials{Username: user, Password: pass}},
		{name: "wrong token", creds: Credentials{BearerToken: "wrong-token-5678"}, wantErr: "HTTP 401 Unauthorized"},
		{name: "wrong password", creds: Credentials{Username: user, Password: "wrong-password"}, wantErr: "HTTP 401 Unauthorized"},
		{name: "no credentials", wantErr: "HTTP 401 Unauthorized"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewPrometheus(testOptions).Fetch(context.Background(), promSource(srv.URL, 0, "scalar"), tc.creds)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				checkSamples(t, got, []wantSample{{name: "scalar", value: 42.5}})
				return
			}
			checkErr(t, err, tc.wantErr, tc.creds.BearerToken, tc.creds.Password, basic(user, tc.creds.Password))
		})
	}
}

func TestPrometheusUnreachableRedactsAddress(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	host := srv.Listener.Addr().String()
	srv.Close()
	_, err := NewPrometheus(testOptions).Fetch(context.Background(), promSource("http://alice:hunter22@"+host, 0, "scalar"), Credentials{})
	checkErr(t, err, "prometheus http://alice:xxxxx@"+host+": connection refused", "hunter22")
}

func TestPrometheusTLS(t *testing.T) {
	srv := promServer(t, true, nil)
	src := promSource(srv.URL, 0, "scalar")

	got, err := NewPrometheus(testOptions).Fetch(context.Background(), src, Credentials{CA: caPEM(srv)})
	if err != nil {
		t.Fatalf("with the server's CA: %v", err)
	}
	checkSamples(t, got, []wantSample{{name: "scalar", value: 42.5}})

	_, err = NewPrometheus(testOptions).Fetch(context.Background(), src, Credentials{})
	checkErr(t, err, "prometheus "+srv.URL+": TLS: certificate signed by an unknown authority")

	_, err = NewPrometheus(testOptions).Fetch(context.Background(), src, Credentials{CA: []byte("not a certificate")})
	checkErr(t, err, "spec.prometheus.tls: the CA bundle holds no PEM certificate")
}

func TestPrometheusInvalidAddressIsNotEchoed(t *testing.T) {
	_, err := NewPrometheus(testOptions).Fetch(context.Background(), promSource("http://alice:hunter22@[::1", 0, "scalar"), Credentials{})
	checkErr(t, err, "spec.prometheus.address is not a valid URL: missing ']' in host", "hunter22")
}

// limitedBody guards the responses client_golang reads whole.
func TestLimitedBody(t *testing.T) {
	for _, tc := range []struct {
		body    string
		wantErr bool
	}{{"abcd", false}, {"abcde", true}, {"", false}} {
		b := &limitedBody{ReadCloser: io.NopCloser(strings.NewReader(tc.body)), left: 4, limit: 4}
		got, err := io.ReadAll(b)
		switch {
		case tc.wantErr && (err == nil || err.Error() != "response too large: more than 4 bytes"):
			t.Errorf("%q: err = %v, want response too large: more than 4 bytes", tc.body, err)
		case !tc.wantErr && (err != nil || string(got) != tc.body):
			t.Errorf("%q: read %q, %v", tc.body, got, err)
		}
	}
}
