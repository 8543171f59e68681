package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/scaleup-operator/scaleup-operator/internal/report/fixture"
)

// runDashboard runs `kubectl scaleup dashboard --port 0 args...` as
// kubeconfig's user until the test ends and returns the URL it printed.
func runDashboard(t *testing.T, kubeconfig string, args ...string) string {
	t.Helper()
	if env == nil {
		t.Skip(errNoControlPlane)
	}
	out, w := io.Pipe()
	streams := genericiooptions.IOStreams{In: strings.NewReader(""), Out: w, ErrOut: io.Discard}
	cmd := NewCommand(streams, func() time.Time { return fixture.Now })
	cmd.SetArgs(append([]string{"--kubeconfig", kubeconfig, "dashboard", "--port", "0"}, args...))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := cmd.ExecuteContext(ctx)
		_ = w.CloseWithError(err)
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("dashboard %v: %v", args, err)
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dashboard %v printed no address: %v", args, err)
	}
	url, _, ok := strings.Cut(strings.TrimPrefix(line, "Dashboard on "), " ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("dashboard %v printed %q", args, line)
	}
	return url
}

func getPage(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
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
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", url, resp.Status, err)
	}
	return string(b)
}

func TestDashboardCommand(t *testing.T) {
	page := getPage(t, runDashboard(t, admin, "-A")+"view")
	for _, want := range []string{"Acme Outdoor Ltd", "Globex Trading GmbH", "acme/acme-partners", `<span id="now">2026-11-23 09:00 UTC</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the admin's dashboard has no %q:\n%s", want, page[:min(len(page), 400)])
		}
	}
	if strings.Contains(page, "forbidden") {
		t.Errorf("the admin's dashboard names something forbidden:\n%s", page)
	}
	page = getPage(t, runDashboard(t, nobody, "-n", "acme")+"view")
	if !strings.Contains(page, "MaturityTargets in namespace acme: forbidden, you may not list them") {
		t.Errorf("nobody's dashboard does not say what is forbidden:\n%s", page)
	}
}
