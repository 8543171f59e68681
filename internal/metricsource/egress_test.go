package metricsource

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scaleup-operator/scaleup-operator/internal/egress"
)

// countingServer counts the connections it accepts, so a test can tell a
// refusal at dial time from one after connecting.
func countingServer(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int64) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// The default policy refuses loopback at dial time: the server never sees a
// connection. Allowing 127.0.0.0/8 (testOptions) lets the same poll through.
func TestLoopbackRefusedByDefault(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fetch func(opts Options, url string) ([]Sample, error)
		path  string
		want  string
	}{{
		name: "HTTP",
		fetch: func(opts Options, url string) ([]Sample, error) {
			return NewHTTP(opts).Fetch(context.Background(), httpSource(url, "count=body.orders.count"), Credentials{})
		},
		want: "GET %s: destination not allowed: loopback address",
	}, {
		name: "Prometheus",
		fetch: func(opts Options, url string) ([]Sample, error) {
			return NewPrometheus(opts).Fetch(context.Background(), promSource(url, 0, "scalar"), Credentials{})
		},
		want: "prometheus %s: destination not allowed: loopback address",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			prom := promServer(t, false, nil)
			json, _ := jsonServer(t, false, nil)
			target := json
			if tc.name == "Prometheus" {
				target = prom
			}
			srv, conns := countingServer(t, target.Config.Handler)

			_, err := tc.fetch(Options{}, srv.URL)
			checkErr(t, err, strings.Replace(tc.want, "%s", srv.URL, 1))
			if !errors.Is(err, egress.ErrNotAllowed) {
				t.Errorf("err = %v, not egress.ErrNotAllowed", err)
			}
			if n := conns.Load(); n != 0 {
				t.Errorf("the refused poll connected %d times", n)
			}

			got, err := tc.fetch(testOptions, srv.URL)
			if err != nil || len(got) != 1 || got[0].Err != nil {
				t.Fatalf("with 127.0.0.0/8 allowed: %v, %v", got, err)
			}
			if n := conns.Load(); n != 1 {
				t.Errorf("the allowed poll connected %d times, want 1", n)
			}
		})
	}
}

// A policy that allows only another loopback address refuses the server's.
func TestEgressAllowListNarrowsLoopback(t *testing.T) {
	srv, conns := countingServer(t, http.NotFoundHandler())
	only, err := egress.ParseCIDRs("127.0.0.2")
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewHTTP(Options{Egress: egress.NewPolicy(only, nil)}).Fetch(context.Background(), httpSource(srv.URL, "n=1"), Credentials{})
	checkErr(t, err, "destination not allowed: loopback address")
	if conns.Load() != 0 {
		t.Error("the refused poll connected")
	}
}

// A redirect may only stay on the configured scheme and host: elsewhere it
// is refused before any request is sent, so neither the credentials nor
// the tenant's URL can reach a host it did not name.
func TestRedirects(t *testing.T) {
	other, otherConns := countingServer(t, http.NotFoundHandler())
	const token = "right-token-1234"
	origin, _ := jsonServer(t, false, func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+token })
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/elsewhere", "/api/v1/query":
			http.Redirect(w, r, other.URL+"/orders", http.StatusFound)
		case "/https":
			http.Redirect(w, r, "https://"+r.Host+"/orders", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/old":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		default:
			origin.Config.Handler.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(redirector.Close)
	creds := Credentials{BearerToken: token, Headers: map[string]string{"X-Api-Key": "api-key-1234"}}
	fetch := func(path string) ([]Sample, error) {
		return NewHTTP(testOptions).Fetch(context.Background(), httpSource(redirector.URL+path, "count=body.orders.count"), creds)
	}

	for path, want := range map[string]string{
		"/elsewhere": "destination not allowed: redirect to another scheme or host",
		"/https":     "destination not allowed: redirect to another scheme or host",
		"/loop":      "stopped after 10 redirects",
	} {
		_, err := fetch(path)
		checkErr(t, err, "GET "+redirector.URL+path+": "+want, token)
		if strings.Contains(want, "not allowed") && !errors.Is(err, egress.ErrNotAllowed) {
			t.Errorf("%s: err = %v, not egress.ErrNotAllowed", path, err)
		}
	}
	_, err := NewPrometheus(testOptions).Fetch(context.Background(), promSource(redirector.URL, 0, "scalar"), creds)
	checkErr(t, err, "prometheus "+redirector.URL+": destination not allowed: redirect to another scheme or host")
	if n := otherConns.Load(); n != 0 {
		t.Errorf("the other host was connected to %d times", n)
	}

	got, err := fetch("/old")
	if err != nil {
		t.Fatalf("same-host redirect: %v", err)
	}
	checkSamples(t, got, []wantSample{{name: "count", value: 12}})
}
