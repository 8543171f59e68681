package dashboard

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
)

func testServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	s := &Server{
		Now: func() time.Time { return now },
		Snapshot: func(context.Context) (Objects, error) {
			return Objects{Targets: []v1alpha1.MaturityTarget{target("n", "a", "Shop", "Low")}}, nil
		},
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

func do(t *testing.T, ctx context.Context, url, host string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func TestListenBindsLoopbackOnly(t *testing.T) {
	ln, err := Listen(0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	if !strings.HasPrefix(ln.Addr().String(), "127.0.0.1:") {
		t.Errorf("listening on %s", ln.Addr())
	}
}

func TestServesThePageToLoopbackHostsOnly(t *testing.T) {
	_, ts := testServer(t)
	ctx := context.Background()
	for path, want := range map[string]int{"/": 200, "/view": 200, "/static/app.js": 200, "/static/style.css": 200, "/nope": 404} {
		if resp := do(t, ctx, ts.URL+path, ""); resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	if resp := do(t, ctx, ts.URL+"/", "localhost:3100"); resp.StatusCode != 200 {
		t.Errorf("Host localhost: %d", resp.StatusCode)
	}
	// DNS rebinding: another name pointed at 127.0.0.1 gets nothing.
	if resp := do(t, ctx, ts.URL+"/view", "evil.example:3100"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("Host evil.example: %d, want 403", resp.StatusCode)
	}
	resp := do(t, ctx, ts.URL+"/", "")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
}

func TestEventsOnConnectAndOnEveryChange(t *testing.T) {
	s, ts := testServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // hang guard
	defer cancel()
	resp := do(t, ctx, ts.URL+"/events", "")
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	event := func() string {
		var lines []string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if line == "\n" {
				return strings.Join(lines, "|")
			}
			lines = append(lines, strings.TrimSuffix(line, "\n"))
		}
	}
	if got := event(); got != "id: 1|data: change" {
		t.Errorf("first event %q", got)
	}
	s.Notify()
	if got := event(); got != "id: 2|data: change" {
		t.Errorf("event after a change %q", got)
	}
}
