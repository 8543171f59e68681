package metricsource

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

const ordersDoc = `{"orders":{"errorRate":0.25,"count":12,"name":"shop"}}`

// seenRequest is what the JSON server last received.
type seenRequest struct {
	method, body string
	header       http.Header
}

// jsonServer serves ordersDoc and a few failures by path, and records the
// last request. /slow never answers.
func jsonServer(t *testing.T, tlsServer bool, auth func(*http.Request) bool) (*httptest.Server, func() seenRequest) {
	var (
		mu   sync.Mutex
		last seenRequest
	)
	h := rejectUnless(auth, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		last = seenRequest{method: r.Method, body: string(body), header: r.Header.Clone()}
		mu.Unlock()
		switch r.URL.Path {
		case "/slow":
			<-r.Context().Done()
		case "/boom":
			http.Error(w, "boom\nat line 2", http.StatusInternalServerError)
		case "/garbage":
			_, _ = io.WriteString(w, `{"orders": oops}`)
		case "/items":
			// 1000 items: a nested map over them costs a million.
			items := make([]string, 1000)
			for i := range items {
				items[i] = strconv.Itoa(i)
			}
			_, _ = io.WriteString(w, `{"items":[`+strings.Join(items, ",")+`]}`)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, ordersDoc)
		}
	})
	srv := httptest.NewUnstartedServer(h)
	if tlsServer {
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv, func() seenRequest {
		mu.Lock()
		defer mu.Unlock()
		return last
	}
}

// httpSource reads each "metric=expression".
func httpSource(url string, metrics ...string) *v1alpha1.MetricSource {
	spec := &v1alpha1.HTTPSource{URL: url}
	for _, m := range metrics {
		name, expr, _ := strings.Cut(m, "=")
		spec.Metrics = append(spec.Metrics, v1alpha1.HTTPMetric{Metric: name, Expression: expr})
	}
	return &v1alpha1.MetricSource{Spec: v1alpha1.MetricSourceSpec{Type: v1alpha1.MetricSourceHTTP, HTTP: spec}}
}

func TestHTTPFetch(t *testing.T) {
	srv, last := jsonServer(t, false, nil)
	for _, tc := range []struct {
		name    string
		path    string
		metrics []string
		edit    func(*v1alpha1.HTTPSource)
		creds   Credentials
		want    []wantSample
		wantErr string
		check   func(*testing.T, seenRequest)
	}{{
		name: "numbers of every CEL type",
		metrics: []string{"rate=body.orders.errorRate * 100.0", "count=body.orders.count",
			"plus=int(body.orders.count) + 1", "unsigned=uint(body.orders.count)",
			"fallback=body.?orders.refunds.orValue(7.0)", "biggest=math.greatest(body.orders.count, 40.0)"},
		want: []wantSample{{name: "rate", value: 25}, {name: "count", value: 12}, {name: "plus", value: 13},
			{name: "unsigned", value: 12}, {name: "fallback", value: 7}, {name: "biggest", value: 40}},
		check: func(t *testing.T, r seenRequest) {
			if r.method != http.MethodGet || r.header.Get("Accept") != "application/json" {
				t.Errorf("request = %s Accept %q, want GET application/json", r.method, r.header.Get("Accept"))
			}
		},
	}, {
		name: "expressions that yield no number fail their metric",
		metrics: []string{"ok=body.orders.count", "name=body.orders.name", "missing=body.orders.missing",
			"nan=0.0 / 0.0", "inf=body.orders.errorRate / 0.0", "broken=body.orders +", "mixed=body.orders.count * 2"},
		want: []wantSample{{name: "ok", value: 12},
			{name: "name", err: "expression returned string, want a number"},
			{name: "missing", err: "expression failed: missing key"},
			{name: "nan", err: "value is NaN"},
			{name: "inf", err: "value is +Inf"},
			{name: "broken", err: `expression "body.orders +" does not compile: 1:`},
			{name: "mixed", err: "expression failed: wrong type"}},
	}, {
		name:    "cost limit",
		path:    "/items",
		metrics: []string{"pairs=body.items.map(x, body.items.map(y, x * y)).size()", "n=body.items.size()"},
		want:    []wantSample{{name: "pairs", err: "cost limit exceeded"}, {name: "n", value: 1000}},
	}, {
		name:    "headers from credentials override the defaults",
		metrics: []string{"count=body.orders.count"},
		creds:   Credentials{Headers: map[string]string{"X-Api-Key": "key-from-secret", "Accept": "application/vnd.shop+json"}},
		want:    []wantSample{{name: "count", value: 12}},
		check: func(t *testing.T, r seenRequest) {
			if r.header.Get("X-Api-Key") != "key-from-secret" || r.header.Get("Accept") != "application/vnd.shop+json" {
				t.Errorf("headers = %v", r.header)
			}
		},
	}, {
		name:    "POST sends the body",
		metrics: []string{"count=body.orders.count"},
		edit:    func(s *v1alpha1.HTTPSource) { s.Method, s.Body = http.MethodPost, `{"shop":"eu"}` },
		want:    []wantSample{{name: "count", value: 12}},
		check: func(t *testing.T, r seenRequest) {
			if r.method != http.MethodPost || r.body != `{"shop":"eu"}` || r.header.Get("Content-Type") != "application/json" {
				t.Errorf("request = %s %q Content-Type %q", r.method, r.body, r.header.Get("Content-Type"))
			}
		},
	}, {
		name:    "a body of exactly maxResponseBytes is read",
		metrics: []string{"count=body.orders.count"},
		edit:    func(s *v1alpha1.HTTPSource) { s.MaxResponseBytes = ptr(int64(len(ordersDoc))) },
		want:    []wantSample{{name: "count", value: 12}},
	}, {
		name:    "oversized body",
		metrics: []string{"count=body.orders.count"},
		edit:    func(s *v1alpha1.HTTPSource) { s.MaxResponseBytes = ptr(int64(len(ordersDoc) - 1)) },
		wantErr: "GET " + srv.URL + ": response too large: more than " + strconv.Itoa(len(ordersDoc)-1) + " bytes",
	}, {
		name:    "HTTP 500",
		path:    "/boom",
		metrics: []string{"count=body.orders.count"},
		wantErr: "GET " + srv.URL + "/boom: HTTP 500 Internal Server Error",
	}, {
		name:    "malformed JSON",
		path:    "/garbage",
		metrics: []string{"count=body.orders.count"},
		wantErr: "GET " + srv.URL + "/garbage: response not JSON",
	}, {
		name:    "timeout",
		path:    "/slow",
		metrics: []string{"count=body.orders.count"},
		edit:    func(s *v1alpha1.HTTPSource) { s.Timeout = &metav1.Duration{Duration: 200 * time.Millisecond} },
		wantErr: "GET " + srv.URL + "/slow: timeout after 200ms",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			src := httpSource(srv.URL+tc.path, tc.metrics...)
			if tc.edit != nil {
				tc.edit(src.Spec.HTTP)
			}
			got, err := NewHTTP(testOptions).Fetch(context.Background(), src, tc.creds)
			if tc.wantErr != "" {
				checkErr(t, err, tc.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkSamples(t, got, tc.want)
			if tc.check != nil {
				tc.check(t, last())
			}
		})
	}
}

func TestHTTPAuth(t *testing.T) {
	const token, user, pass, key = "right-token-1234", "alice", "right-password", "api-key-1234"
	srv, _ := jsonServer(t, false, func(r *http.Request) bool {
		a := r.Header.Get("Authorization")
		return (a == "Bearer "+token || a == "Basic "+basic(user, pass)) && r.Header.Get("X-Api-Key") == key
	})
	const want401 = ": HTTP 401 Unauthorized"
	for _, tc := range []struct {
		name    string
		creds   Credentials
		wantErr bool
	}{
		{name: "bearer token", creds: Credentials{BearerToken: token, Headers: map[string]string{"X-Api-Key": key}}},
		{name: "basic auth", creds: Credentials{Username: user, Password: pass, Headers: map[string]string{"X-Api-Key": key}}},
		{name: "wrong token", creds: Credentials{BearerToken: "wrong-token-5678", Headers: map[string]string{"X-Api-Key": key}}, wantErr: true},
		{name: "wrong password", creds: Credentials{Username: user, Password: "wrong-password", Headers: map[string]string{"X-Api-Key": key}}, wantErr: true},
		{name: "wrong header", creds: Credentials{BearerToken: token, Headers: map[string]string{"X-Api-Key": "wrong-key-5678"}}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewHTTP(testOptions).Fetch(context.Background(), httpSource(srv.URL, "count=body.orders.count"), tc.creds)
			if !tc.wantErr {
				if err != nil {
					t.Fatal(err)
				}
				checkSamples(t, got, []wantSample{{name: "count", value: 12}})
				return
			}
			// The server echoes what it got; the error must not.
			checkErr(t, err, "GET "+srv.URL+want401, tc.creds.BearerToken, tc.creds.Password,
				basic(user, tc.creds.Password), tc.creds.Headers["X-Api-Key"])
		})
	}
}

func TestHTTPTLS(t *testing.T) {
	srv, _ := jsonServer(t, true, nil)
	src := httpSource(srv.URL, "count=body.orders.count")

	got, err := NewHTTP(testOptions).Fetch(context.Background(), src, Credentials{CA: caPEM(srv)})
	if err != nil {
		t.Fatalf("with the server's CA: %v", err)
	}
	checkSamples(t, got, []wantSample{{name: "count", value: 12}})

	_, err = NewHTTP(testOptions).Fetch(context.Background(), src, Credentials{})
	checkErr(t, err, "GET "+srv.URL+": TLS: certificate signed by an unknown authority")

	_, err = NewHTTP(testOptions).Fetch(context.Background(), src, Credentials{CA: []byte("not a certificate")})
	checkErr(t, err, "spec.http.tls: the CA bundle holds no PEM certificate")
}

func TestHTTPExpressionCache(t *testing.T) {
	srv, _ := jsonServer(t, false, nil)
	h := NewHTTP(testOptions)
	src := httpSource(srv.URL, "count=body.orders.count", "rate=body.orders.errorRate")
	src.UID, src.Generation = types.UID("uid-1"), 1
	fetch := func(gen int64, uid types.UID) {
		t.Helper()
		s := src.DeepCopy()
		s.Generation, s.UID = gen, uid
		got, err := h.Fetch(context.Background(), s, Credentials{})
		if err != nil {
			t.Fatal(err)
		}
		checkSamples(t, got, []wantSample{{name: "count", value: 12}, {name: "rate", value: 0.25}})
	}
	for _, step := range []struct {
		name         string
		gen          int64
		uid          types.UID
		wantCompiles int64
	}{
		{"first poll compiles", 1, "uid-1", 2},
		{"same generation reuses", 1, "uid-1", 2},
		{"new generation recompiles", 2, "uid-1", 4},
		{"older generation compiles without caching", 1, "uid-1", 6},
		{"newest generation is still cached", 2, "uid-1", 6},
		{"no UID compiles every time", 2, "", 8},
		{"no UID again", 2, "", 10},
	} {
		fetch(step.gen, step.uid)
		if got := h.compiles.Load(); got != step.wantCompiles {
			t.Errorf("%s: %d compilations, want %d", step.name, got, step.wantCompiles)
		}
	}

	// Concurrent polls of a new generation share one compilation.
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { fetch(3, "uid-1") })
	}
	wg.Wait()
	if got := h.compiles.Load(); got != 12 {
		t.Errorf("concurrent polls: %d compilations, want 12", got)
	}

	// Idle sources are swept by the generation cache (tested there).
	if n := h.sources.Len(); n != 1 {
		t.Errorf("cache holds %d sources, want 1 (uid-1)", n)
	}
}

func TestCompileExpression(t *testing.T) {
	list := "[" + strings.TrimSuffix(strings.Repeat("1,", 50), ",") + "]"
	costly := list + ".exists_one(i, " + list + ".exists_one(j, " + list + ".exists_one(k, body.x > 0))) ? 1.0 : 0.0"
	for _, tc := range []struct {
		expr    string
		wantErr string // "" means accepted
	}{
		{expr: "body.a.b * 100.0"},
		{expr: "body.count"},
		{expr: "int(body.count)"},
		{expr: "uint(body.count)"},
		{expr: "has(body.a) ? body.a.b : 0.0"},
		{expr: "body.?a.b.orValue(0.0)"},
		{expr: "body.a +", wantErr: `expression "body.a +" does not compile: 1:9: Syntax error:`},
		{expr: "'text'", wantErr: `expression "'text'" does not compile: returns string, want a number`},
		{expr: "body.a > 1", wantErr: `expression "body.a > 1" does not compile: returns bool, want a number`},
		{expr: "metrics.a", wantErr: `expression "metrics.a" does not compile: 1:1: undeclared reference to 'metrics'`},
		// 50^3 iterations whatever the body: always above the limit.
		{expr: costly, wantErr: `expression "` + costly + `" does not compile: costs at least `},
		// all() may stop at the first false: the runtime limit decides.
		{expr: strings.ReplaceAll(costly, "exists_one", "all")},
	} {
		err := CompileExpression(tc.expr)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.expr, err)
		case tc.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.wantErr)):
			t.Errorf("%s: err = %v, want one starting with %q", tc.expr, err, tc.wantErr)
		case err != nil && strings.ContainsAny(err.Error(), "\r\n"):
			t.Errorf("%s: err spans several lines: %q", tc.expr, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }
