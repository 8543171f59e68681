package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// The operator's manager runs as a separate process (localcp.Manager), as
// in a cluster: its memory is its own, and what it sends to the API server
// is read from its own metrics.

// scrape reads the manager's metrics endpoint.
func scrape(ctx context.Context, m *localcp.Manager) (metricSet, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.MetricsURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", m.MetricsURL, resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", m.MetricsURL, err)
	}
	return metricSet(families), nil
}

// heapProfile writes the manager's heap profile (go tool pprof reads it).
func heapProfile(ctx context.Context, m *localcp.Manager, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.PprofURL+"/heap?gc=1", nil)
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

// processMemory reads a process's resident set (current, peak, and the
// part of it that is pages of files, mostly its binary's) from /proc.
func processMemory(pid int) (rss, peak, file uint64, err error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, 0, 0, err
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
		case "RssFile":
			file = kb << 10
		}
	}
	if rss == 0 {
		return 0, 0, 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return rss, peak, file, nil
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
