package dashboard

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/scaleup-operator/scaleup-operator/internal/report/fixture"
)

// The serving tests run the dashboard over an envtest apiserver whose
// objects the real controllers made (internal/report/fixture), as an admin
// and as a viewer of namespace acme's MaturityTargets and ProjectTasks only.
var (
	env    *fixture.Env
	viewer *rest.Config
)

func TestMain(m *testing.M) {
	os.Exit(fixture.RunTests(m, &env, func(e *fixture.Env) error {
		u, err := e.Env.AddUser(envtest.User{Name: "viewer"}, nil)
		if err != nil {
			return fmt.Errorf("user viewer: %w", err)
		}
		viewer = u.Config()
		return nil
	}))
}

// serve runs the dashboard of namespace ("" for all) as cfg's user on
// 127.0.0.1 until the test ends, at the fixture's instant, and returns its
// base URL.
func serve(t *testing.T, cfg *rest.Config, namespace string) string {
	t.Helper()
	needControlPlane(t)
	ctx, cancel := context.WithCancel(context.Background())
	srv := &Server{Now: func() time.Time { return fixture.Now }}
	w, err := Watch(ctx, cfg, env.Scheme, namespace, srv.Notify)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	srv.Snapshot = w.Snapshot
	ln, err := Listen(0)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, srv) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return "http://" + ln.Addr().String()
}

// needControlPlane skips a test without a control plane.
func needControlPlane(t *testing.T) {
	t.Helper()
	if env == nil {
		t.Skip("KUBEBUILDER_ASSETS is not set: no control plane to serve the dashboard from")
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, b)
	}
	return string(b)
}
