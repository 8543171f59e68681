package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// managerProcess is the operator's manager binary, run as a separate process
// against the local control plane, as in a cluster: its memory is its own,
// and what it sends to the API server is read from its own metrics.
type managerProcess struct {
	cmd        *exec.Cmd
	exited     chan struct{}
	metricsURL string
	pprofURL   string
	log        string
	started    time.Time
}

// buildManager builds the manager binary from the repository root.
func buildManager(ctx context.Context, root, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build -o %s .: %w: %s", out, err, b)
	}
	return nil
}

// startManager starts the manager with the webhooks the control plane points
// at, and returns once its webhook server serves (readyz), so that creating
// objects, which the webhooks admit, cannot fail because it is starting.
func startManager(bin string, cluster *localcp.Cluster, logPath string, extraArgs []string) (*managerProcess, error) {
	metricsPort, err := localcp.FreePort()
	if err != nil {
		return nil, err
	}
	probePort, err := localcp.FreePort()
	if err != nil {
		return nil, err
	}
	pprofPort, err := localcp.FreePort()
	if err != nil {
		return nil, err
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	args := append(cluster.ManagerArgs(),
		"--metrics-bind-address="+localcp.Host+":"+strconv.Itoa(metricsPort),
		"--metrics-secure=false",
		"--health-probe-bind-address="+localcp.Host+":"+strconv.Itoa(probePort),
		"--pprof-bind-address="+localcp.Host+":"+strconv.Itoa(pprofPort),
		"--leader-elect=false",
	)
	m := &managerProcess{
		cmd:        exec.Command(bin, append(args, extraArgs...)...),
		exited:     make(chan struct{}),
		metricsURL: fmt.Sprintf("http://%s:%d/metrics", localcp.Host, metricsPort),
		pprofURL:   fmt.Sprintf("http://%s:%d/debug/pprof", localcp.Host, pprofPort),
		log:        logPath,
	}
	m.cmd.Stdout, m.cmd.Stderr = logFile, logFile
	m.started = time.Now()
	err = m.cmd.Start()
	_ = logFile.Close()
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() {
		_ = m.cmd.Wait()
		close(m.exited)
	}()
	readyz := fmt.Sprintf("http://%s:%d/readyz", localcp.Host, probePort)
	deadline := time.Now().Add(time.Minute)
	for {
		if resp, err := http.Get(readyz); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return m, nil
			}
		}
		select {
		case <-m.exited:
			return nil, fmt.Errorf("the manager exited during start-up (%s); see %s", m.cmd.ProcessState, logPath)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = m.stop()
			return nil, fmt.Errorf("the manager was not ready within a minute; see %s", logPath)
		}
	}
}

// stop sends SIGTERM and waits for the manager to exit, killing it after 30 s.
func (m *managerProcess) stop() error {
	select {
	case <-m.exited:
		return nil
	default:
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
		return nil
	case <-time.After(30 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.exited
		return errors.New("the manager did not stop within 30s; killed")
	}
}

// running returns an error once the manager has exited.
func (m *managerProcess) running() error {
	select {
	case <-m.exited:
		return fmt.Errorf("the manager exited (%s); see %s", m.cmd.ProcessState, m.log)
	default:
		return nil
	}
}

// scrape reads the manager's metrics endpoint.
func (m *managerProcess) scrape(ctx context.Context) (metricSet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.metricsURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", m.metricsURL, resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", m.metricsURL, err)
	}
	return metricSet(families), nil
}

// heapProfile writes the manager's heap profile (go tool pprof reads it).
func (m *managerProcess) heapProfile(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.pprofURL+"/heap?gc=1", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", req.URL, resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// memory reads the manager's resident set (current and peak) from /proc.
func (m *managerProcess) memory() (rss, peak uint64, err error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(m.cmd.Process.Pid), "status"))
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		field, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		switch field {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("no VmRSS in /proc/%d/status", m.cmd.Process.Pid)
	}
	return rss, peak, nil
}

// metricSet is one scrape of Prometheus metric families.
type metricSet map[string]*dto.MetricFamily

// sum adds the values of every series of family name whose labels include
// all of match (a counter's or a gauge's value).
func (s metricSet) sum(name string, match map[string]string) float64 {
	f, ok := s[name]
	if !ok {
		return 0
	}
	total := 0.0
	for _, m := range f.GetMetric() {
		if !labelsMatch(m.GetLabel(), match) {
			continue
		}
		switch {
		case m.Counter != nil:
			total += m.GetCounter().GetValue()
		case m.Gauge != nil:
			total += m.GetGauge().GetValue()
		case m.Untyped != nil:
			total += m.GetUntyped().GetValue()
		}
	}
	return total
}

func labelsMatch(labels []*dto.LabelPair, match map[string]string) bool {
	for k, v := range match {
		found := false
		for _, l := range labels {
			if l.GetName() == k && l.GetValue() == v {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// writeMethods are the HTTP methods that change objects.
var writeMethods = []string{"POST", "PUT", "PATCH", "DELETE"}

// writes is the number of write requests client-go sent to the API server.
func (s metricSet) writes() float64 {
	total := 0.0
	for _, method := range writeMethods {
		total += s.sum("rest_client_requests_total", map[string]string{"method": method})
	}
	return total
}

// reconciles is the number of reconciles controller has finished.
func (s metricSet) reconciles(controller string) float64 {
	return s.sum("controller_runtime_reconcile_total", map[string]string{"controller": controller})
}

// idle says whether no controller has work ready or in progress. Items
// waiting for a RequeueAfter are not counted: they are not due.
func (s metricSet) idle() bool {
	return s.sum("workqueue_depth", nil) == 0 && s.sum("controller_runtime_active_workers", nil) == 0
}
