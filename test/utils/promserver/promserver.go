// Package promserver runs a real Prometheus server for tests: on a free
// loopback port, with a generated configuration that scrapes the given
// targets, and its TSDB in a directory of the caller's. hack/prometheus.sh
// finds or installs the binary.
package promserver

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

// Options configures Start.
type Options struct {
	// Binary is the prometheus binary.
	Binary string
	// Dir receives prometheus.yml, the TSDB (data/) and prometheus.log.
	Dir string
	// Job names the scrape job of Targets.
	Job string
	// Targets are the metrics URLs to scrape, all on loopback
	// (http://127.0.0.1:port/metrics).
	Targets []string
	// ScrapeInterval is how often they are scraped (1s when zero).
	ScrapeInterval time.Duration
}

// Server is a running Prometheus.
type Server struct {
	cmd    *exec.Cmd
	exited chan struct{}
	// URL is its address, http://127.0.0.1:port.
	URL string
	// Log is the file it logs to.
	Log string
}

// Start writes the configuration, starts Prometheus and returns once its
// /-/ready answers 200 (or after a minute, with its log's last lines).
func Start(o Options) (*Server, error) {
	if o.ScrapeInterval <= 0 {
		o.ScrapeInterval = time.Second
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, err
	}
	cfg, err := config(o)
	if err != nil {
		return nil, err
	}
	cfgFile := filepath.Join(o.Dir, "prometheus.yml")
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	port, err := localcp.FreePort()
	if err != nil {
		return nil, err
	}
	listen := localcp.Host + ":" + strconv.Itoa(port)
	s := &Server{exited: make(chan struct{}), URL: "http://" + listen, Log: filepath.Join(o.Dir, "prometheus.log")}
	logFile, err := os.Create(s.Log)
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command(o.Binary,
		"--config.file="+cfgFile,
		"--storage.tsdb.path="+filepath.Join(o.Dir, "data"),
		"--web.listen-address="+listen,
		"--log.level=warn",
	)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	err = s.cmd.Start()
	_ = logFile.Close()
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", o.Binary, err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(time.Minute); err != nil {
		_ = s.Stop()
		return nil, fmt.Errorf("%w; %s:\n%s", err, s.Log, s.LogTail())
	}
	return s, nil
}

// config is a prometheus.yml scraping the targets, which must be loopback
// URLs: the tests send traffic to 127.0.0.1 only.
func config(o Options) (string, error) {
	var hosts []string
	path := ""
	for _, t := range o.Targets {
		u, err := url.Parse(t)
		if err != nil {
			return "", err
		}
		if u.Hostname() != localcp.Host || u.Scheme != "http" {
			return "", fmt.Errorf("target %s: want an http URL on %s", t, localcp.Host)
		}
		if path != "" && u.Path != path {
			return "", errors.New("targets of one job share a metrics path")
		}
		path = u.Path
		hosts = append(hosts, strconv.Quote(u.Host))
	}
	if len(hosts) == 0 {
		return "", errors.New("no targets")
	}
	return fmt.Sprintf(`global:
  scrape_interval: %[1]s
  evaluation_interval: %[1]s
scrape_configs:
- job_name: %[2]q
  scrape_interval: %[1]s
  scrape_timeout: %[1]s
  metrics_path: %[3]q
  static_configs:
  - targets: [%[4]s]
`, o.ScrapeInterval, o.Job, path, strings.Join(hosts, ", ")), nil
}

func (s *Server) waitReady(timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for {
		resp, err := client.Get(s.URL + "/-/ready")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("/-/ready: %s", resp.Status)
		}
		select {
		case <-s.exited:
			return errors.New("prometheus exited while starting")
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("prometheus not ready after %s: %w", timeout, err)
		}
	}
}

// LogTail returns the last lines of its log.
func (s *Server) LogTail() string {
	b, _ := os.ReadFile(s.Log)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-30):], "\n")
}

// Stop stops it with SIGTERM, then SIGKILL after 10 s, and waits for it.
func (s *Server) Stop() error {
	if s.cmd.Process == nil {
		return nil
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	return nil
}
