// Package prometheus checks the operator against a real Prometheus server
// (not test/utils/promfake): the manager binary runs against a local
// control plane (test/utils/localcp, as in test/e2e) with its metrics on a
// loopback port, the samples are applied, and a Prometheus started by the
// test scrapes the manager every second. Then every query of the Grafana
// dashboard must return series for the samples, and a Prometheus
// MetricSource reads from that server.
//
// It needs KUBEBUILDER_ASSETS (kube-apiserver, etcd, kubectl) and a
// prometheus binary (PROMETHEUS, else the PATH); `make test` provides
// both, or:
//
//	KUBEBUILDER_ASSETS="$(hack/k8s-assets.sh)" PROMETHEUS="$(hack/prometheus.sh)" go test ./test/prometheus/ -v
//
// Every connection goes to 127.0.0.1.
package prometheus

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/scaleup-operator/scaleup-operator/internal/samples"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
	"github.com/scaleup-operator/scaleup-operator/test/utils/promserver"
)

// sampleNamespace is where config/samples put the sample business.
const sampleNamespace = "acme"

// waitTimeout is the hang guard of every wait: the waits poll and return
// as soon as their condition holds.
const waitTimeout = 3 * time.Minute

// env is what the subtests share: the control plane, the manager, the
// Prometheus server and a client of its HTTP API.
type env struct {
	root    string
	cluster *localcp.Cluster
	manager *localcp.Manager
	prom    *promserver.Server
	api     promv1.API
}

func TestAgainstRealPrometheus(t *testing.T) {
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		t.Skip(`KUBEBUILDER_ASSETS is not set; run: KUBEBUILDER_ASSETS="$(hack/k8s-assets.sh)" PROMETHEUS="$(hack/prometheus.sh)" go test ./test/prometheus/`)
	}
	promBin := os.Getenv("PROMETHEUS")
	if promBin == "" {
		var err error
		if promBin, err = exec.LookPath("prometheus"); err != nil {
			t.Skip("no prometheus binary: run hack/prometheus.sh (it installs one as root) or set PROMETHEUS")
		}
	}
	e := start(t, promBin)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("manager log (tail):\n%s\nprometheus log (tail):\n%s", e.manager.LogTail(40), e.prom.LogTail())
		}
	})

	t.Run("every dashboard query returns series for the samples", e.testDashboardQueries)
	t.Run("a Prometheus MetricSource reads one value and reports no data and several series", e.testMetricSource)
	t.Run("a deleted object's series end", e.testDeletedSource)
}

// start builds and starts everything, stopping it when the test ends.
func start(t *testing.T, promBin string) *env {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	e := &env{root: root}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	mgrBin := filepath.Join(dir, "manager")
	if err := localcp.BuildManager(ctx, root, mgrBin); err != nil {
		t.Fatal(err)
	}
	e.cluster, err = localcp.Start(localcp.Options{
		Dir:        filepath.Join(dir, "cluster"),
		CRDDir:     filepath.Join(root, "config", "crd", "bases"),
		WebhookDir: filepath.Join(root, "config", "webhook"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.cluster.Stop() })

	e.manager, err = e.cluster.StartManager(localcp.ManagerOptions{
		Binary:  mgrBin,
		Log:     filepath.Join(dir, "manager.log"),
		Metrics: true,
		// The MetricSource of this test polls the Prometheus on 127.0.0.1.
		Args: []string{"--metric-source-allow-cidrs=127.0.0.0/8"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.manager.Stop() })

	rendered, err := samples.Render(filepath.Join(root, "config", "samples"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "applying config/samples", func() error {
		_, err := e.kubectl(rendered, "apply", "-f", "-")
		return err
	})

	e.prom, err = promserver.Start(promserver.Options{
		Binary: promBin, Dir: filepath.Join(dir, "prometheus"), Job: "scaleup-operator",
		Targets: []string{e.manager.MetricsURL}, ScrapeInterval: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.prom.Stop() })
	client, err := api.NewClient(api.Config{Address: e.prom.URL})
	if err != nil {
		t.Fatal(err)
	}
	e.api = promv1.NewAPI(client)

	eventually(t, "Prometheus scraping the manager", func() error {
		v, err := e.query(`up{job="scaleup-operator"} == 1`)
		if err == nil && len(v) == 0 {
			err = fmt.Errorf("no successful scrape of %s yet", e.manager.MetricsURL)
		}
		return err
	})
	return e
}

// testDashboardQueries evaluates every query of the dashboard, with
// namespace set to All and to the samples' namespace.
func (e *env) testDashboardQueries(t *testing.T) {
	// A second history entry gives acme-shop a trend: the e2e suite's
	// first step, closing the response-time gap.
	_, err := e.kubectl(nil, "patch", "-n", sampleNamespace, "metricsource/acme-reported", "--type=merge",
		"-p", `{"spec":{"reported":{"values":{"firstResponseHours":3}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	queries := readDashboard(t).queries()
	if len(queries) < 20 {
		t.Fatalf("%d queries in the dashboard, want the overview's", len(queries))
	}
	for _, ns := range []string{".*", sampleNamespace} {
		pending := map[string]string{}
		for where, expr := range queries {
			pending[where] = substitute(expr, ns)
		}
		// The samples reconcile, and their series reach Prometheus, over
		// the first seconds: poll until every query has an answer.
		eventually(t, "dashboard queries with namespace="+ns, func() error {
			for where, expr := range pending {
				v, err := e.query(expr)
				if err != nil {
					return fmt.Errorf("%s: %s: %w", where, expr, err)
				}
				if len(v) > 0 {
					delete(pending, where)
				}
			}
			if len(pending) > 0 {
				return fmt.Errorf("%d queries return no series yet: %v", len(pending), pending)
			}
			return nil
		})
	}
	// For the record, not asserted: what one scrape of the samples costs.
	for _, expr := range []string{`scrape_duration_seconds{job="scaleup-operator"}`, `scrape_samples_scraped{job="scaleup-operator"}`,
		`count({__name__=~"scaleup_.+"})`} {
		if v, err := e.query(expr); err == nil && len(v) == 1 {
			t.Logf("%s = %v", expr, v[0].Value)
		}
	}
}

// query evaluates an instant query now.
func (e *env) query(expr string) (model.Vector, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	val, _, err := e.api.Query(ctx, expr, time.Now())
	if err != nil {
		return nil, err
	}
	v, ok := val.(model.Vector)
	if !ok {
		return nil, fmt.Errorf("%s: a %s, want a vector", expr, val.Type())
	}
	return v, nil
}

// kubectl runs kubectl against the control plane with stdin.
func (e *env) kubectl(stdin []byte, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.cluster.Kubectl, append([]string{"--kubeconfig", e.cluster.Kubeconfig}, args...)...)
	cmd.Dir = e.root
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// eventually polls f until it succeeds and fails the test with f's last
// error after waitTimeout: a hang guard, never a measure.
func eventually(t *testing.T, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not done after %s: %v", what, waitTimeout, err)
		}
		time.Sleep(250 * time.Millisecond) // the polling interval, not a synchronisation
	}
}
