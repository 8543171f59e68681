package localcp

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// BuildManager builds the operator's manager binary from the repository
// root into out.
func BuildManager(ctx context.Context, root, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build -o %s .: %w: %s", out, err, b)
	}
	return nil
}

// ManagerOptions says how to run the manager binary.
type ManagerOptions struct {
	// Binary is the manager binary (BuildManager builds it).
	Binary string
	// Log is the file its stdout and stderr are appended to.
	Log string
	// Metrics serves its metrics over HTTP on a free loopback port
	// (Manager.MetricsURL); otherwise they are off.
	Metrics bool
	// Pprof serves /debug/pprof on a free loopback port (Manager.PprofURL).
	Pprof bool
	// Kubeconfig replaces the cluster's admin kubeconfig, for example with
	// one of UserKubeconfig.
	Kubeconfig string
	// LeaderElection runs it with leader election, as the Deployment does.
	LeaderElection bool
	// NoWebhooks runs it without its webhook server: the webhook
	// configurations point at one port, which only one manager can serve.
	NoWebhooks bool
	// Args are extra flags.
	Args []string
	// Env are extra environment variables (KEY=value) on top of the
	// caller's, for example MEMORY_LIMIT as the Deployment sets it.
	Env []string
}

// Manager is a running manager process, connected to the cluster.
type Manager struct {
	cmd    *exec.Cmd
	exited chan struct{}
	// MetricsURL and PprofURL are set when the options asked for them.
	MetricsURL, PprofURL string
	// Log is the file it logs to.
	Log string
	// Started is when the process was started.
	Started time.Time
}

// StartManager starts the manager binary against the cluster, serving the
// webhooks where the webhook configurations point, and returns once its
// readyz answers 200 (its webhook server serves), so that creating objects
// the webhooks admit cannot fail because it is still starting.
func (c *Cluster) StartManager(o ManagerOptions) (*Manager, error) {
	args := append(c.ManagerArgs(), "--leader-elect="+strconv.FormatBool(o.LeaderElection))
	if o.Kubeconfig != "" {
		args = append(args, "--kubeconfig="+o.Kubeconfig) // the last one counts
	}
	if o.NoWebhooks {
		args = append(args, "--enable-webhooks=false")
	}
	m := &Manager{exited: make(chan struct{}), Log: o.Log}
	if o.Metrics {
		port, err := FreePort()
		if err != nil {
			return nil, err
		}
		m.MetricsURL = fmt.Sprintf("http://%s:%d/metrics", Host, port)
		args = append(args, "--metrics-bind-address="+Host+":"+strconv.Itoa(port), "--metrics-secure=false")
	} else {
		args = append(args, "--metrics-bind-address=0")
	}
	if o.Pprof {
		port, err := FreePort()
		if err != nil {
			return nil, err
		}
		m.PprofURL = fmt.Sprintf("http://%s:%d/debug/pprof", Host, port)
		args = append(args, "--pprof-bind-address="+Host+":"+strconv.Itoa(port))
	}
	probePort, err := FreePort()
	if err != nil {
		return nil, err
	}
	args = append(args, "--health-probe-bind-address="+Host+":"+strconv.Itoa(probePort))
	logFile, err := os.OpenFile(o.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	// Not CommandContext: the manager lives until Stop.
	m.cmd = exec.Command(o.Binary, append(args, o.Args...)...)
	m.cmd.Stdout, m.cmd.Stderr = logFile, logFile
	if len(o.Env) > 0 {
		m.cmd.Env = append(os.Environ(), o.Env...)
	}
	m.Started = time.Now()
	err = m.cmd.Start()
	_ = logFile.Close() // the child has its own descriptor
	if err != nil {
		return nil, fmt.Errorf("starting %s: %w", o.Binary, err)
	}
	go func() {
		_ = m.cmd.Wait()
		close(m.exited)
	}()
	if err := m.waitReady(fmt.Sprintf("http://%s:%d/readyz", Host, probePort), time.Minute); err != nil {
		_ = m.Stop()
		return nil, fmt.Errorf("%w; last lines of %s:\n%s", err, o.Log, tail(o.Log, 20))
	}
	return m, nil
}

func (m *Manager) waitReady(url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if resp, err := http.Get(url); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-m.exited:
			return fmt.Errorf("the manager exited during start-up (%s)", m.cmd.ProcessState)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the manager was not ready within %v", timeout)
		}
	}
}

// Err returns nil while the manager runs, and otherwise how it exited.
func (m *Manager) Err() error {
	select {
	case <-m.exited:
		return fmt.Errorf("the manager exited (%s); see %s", m.cmd.ProcessState, m.Log)
	default:
		return nil
	}
}

// Pid is the manager's process ID.
func (m *Manager) Pid() int { return m.cmd.Process.Pid }

// LogTail returns the last n lines of the manager's log.
func (m *Manager) LogTail(n int) string { return tail(m.Log, n) }

// Kill kills the manager with SIGKILL, as an OOM kill or a lost node does,
// and waits for it to be gone.
func (m *Manager) Kill() {
	_ = m.cmd.Process.Kill()
	<-m.exited
}

// Exited is closed once the manager process has exited.
func (m *Manager) Exited() <-chan struct{} { return m.exited }

// stopWait is how long Stop waits for the manager after SIGTERM: its own
// graceful shutdown (30 s, main.go) and then time to exit on a busy
// machine. Only a manager that outlives its own shutdown deadline is killed.
const stopWait = 45 * time.Second

// Stop sends SIGTERM and waits for the manager to exit, killing it after
// stopWait. A manager that already exited is not an error here: Err
// reports it.
func (m *Manager) Stop() error {
	select {
	case <-m.exited:
		return nil
	default:
	}
	if err := terminate(m.cmd.Process); err != nil {
		_ = m.cmd.Process.Kill()
	}
	select {
	case <-m.exited:
		return nil
	case <-time.After(stopWait):
		_ = m.cmd.Process.Kill()
		<-m.exited
		return fmt.Errorf("the manager did not stop within %v; killed", stopWait)
	}
}
