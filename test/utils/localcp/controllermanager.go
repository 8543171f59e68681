package localcp

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// kube-controller-manager runs next to the apiserver when the assets dir holds
// it (hack/k8s-assets.sh builds it), with the two controllers a cluster needs
// for what the operator relies on: the garbage collector, which deletes the
// ProjectTasks of a deleted MaturityTarget through their owner references,
// and the namespace controller, which empties and removes deleted namespaces.
const (
	// ControllerManagerFile is the binary Start looks for in the assets dir.
	ControllerManagerFile = "kube-controller-manager"
	// ControllerManagerLogFile is its log, in the state directory.
	ControllerManagerLogFile = "kube-controller-manager.log"
	// ControllerManagerControllers are the controllers it runs.
	ControllerManagerControllers = "garbage-collector-controller,namespace-controller"
)

const (
	// controllerManagerStartTimeout bounds the wait for its controllers to
	// be running.
	controllerManagerStartTimeout = time.Minute
	// controllerManagerStopTimeout bounds its graceful shutdown (it gives
	// its controllers 10 s) before it is killed.
	controllerManagerStopTimeout = 20 * time.Second
)

// controllerManager is a running kube-controller-manager child process.
type controllerManager struct {
	cmd    *exec.Cmd
	port   int
	exited chan struct{} // closed once the process has been waited for
}

// controllerManagerArgs are the flags of a kube-controller-manager that acts
// with the admin kubeconfig and serves /healthz on 127.0.0.1:port. No
// controller that needs a service-account key, a cloud provider or nodes is
// enabled, so none of their flags is needed.
func controllerManagerArgs(kubeconfig string, port int) []string {
	return []string{
		// No --authentication-kubeconfig: it would look for a front-proxy
		// CA envtest's apiserver does not have and log an error every few
		// seconds. Without it, its endpoints take anonymous requests only,
		// which is all /healthz needs.
		"--kubeconfig=" + kubeconfig,
		"--controllers=" + ControllerManagerControllers,
		"--leader-elect=false",
		"--use-service-account-credentials=false",
		"--bind-address=" + Host,
		"--secure-port=" + strconv.Itoa(port),
	}
}

// startControllerManager starts kube-controller-manager from assetsDir, when
// it is there, and waits until its controllers run. Without it, it says so on
// stderr and returns nil: a user's own KUBEBUILDER_ASSETS may hold only what
// envtest needs.
func (c *Cluster) startControllerManager(assetsDir string) error {
	bin := filepath.Join(assetsDir, ControllerManagerFile)
	logPath := filepath.Join(c.Dir, ControllerManagerLogFile)
	if _, err := os.Stat(bin); errors.Is(err, os.ErrNotExist) {
		_ = os.Remove(logPath) // an earlier run's
		fmt.Fprintf(os.Stderr, "localcp: no %s in %s: not started, so nothing garbage-collects "+
			"owned objects or deletes namespaces (hack/k8s-assets.sh builds it)\n", ControllerManagerFile, assetsDir)
		return nil
	} else if err != nil {
		return err
	}
	port, err := FreePort()
	if err != nil {
		return err
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, controllerManagerArgs(c.Kubeconfig, port)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = sysProcAttr()
	err = cmd.Start()
	_ = logFile.Close() // the child has its own descriptor
	if err != nil {
		return fmt.Errorf("starting %s: %w", bin, err)
	}
	cm := &controllerManager{cmd: cmd, port: port, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait() // its exit status is in cmd.ProcessState
		close(cm.exited)
	}()
	c.cm, c.ControllerManager, c.ControllerManagerLog = cm, true, logPath
	if err := cm.waitRunning(controllerManagerStartTimeout); err != nil {
		return fmt.Errorf("kube-controller-manager: %w; last lines of %s:\n%s", err, logPath, tail(logPath, 20))
	}
	return nil
}

// ControllerManagerErr returns nil while the kube-controller-manager Start
// started runs, and otherwise why it does not (also when none was started).
func (c *Cluster) ControllerManagerErr() error {
	if c.cm == nil {
		return errors.New("kube-controller-manager was not started")
	}
	select {
	case <-c.cm.exited:
		return fmt.Errorf("kube-controller-manager exited (%s); see %s", c.cm.cmd.ProcessState, c.ControllerManagerLog)
	default:
		return nil
	}
}

// waitRunning polls /healthz?verbose until it lists every controller of
// ControllerManagerControllers as ok: they are registered after they were
// built, just before they start.
func (cm *controllerManager) waitRunning(timeout time.Duration) error {
	client := &http.Client{
		Timeout: 2 * time.Second,
		Transport: &http.Transport{
			// Its serving certificate is self-signed in memory; this only
			// probes a loopback process we started.
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
		},
	}
	defer client.CloseIdleConnections()
	url := "https://" + net.JoinHostPort(Host, strconv.Itoa(cm.port)) + "/healthz?verbose"
	deadline := time.Now().Add(timeout)
	last := "no answer"
	for {
		ok, status := healthy(client, url)
		if ok {
			return nil
		}
		if status != "" {
			last = status
		}
		select {
		case <-cm.exited:
			return fmt.Errorf("exited during start-up (%s)", cm.cmd.ProcessState)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("controllers not running after %v (last /healthz: %s)", timeout, last)
		}
	}
}

// healthy GETs a /healthz?verbose URL; ok when it answers 200 with every
// controller checked ok, else status describes the answer ("" for none).
func healthy(client *http.Client, url string) (ok bool, status string) {
	resp, err := client.Get(url)
	if err != nil {
		return false, ""
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return false, ""
	}
	if resp.StatusCode != http.StatusOK {
		return false, resp.Status
	}
	for name := range strings.SplitSeq(ControllerManagerControllers, ",") {
		if !strings.Contains(string(body), "[+]"+name+" ok") {
			return false, "200 without " + name
		}
	}
	return true, ""
}

// stop sends SIGTERM and waits for the process, killing it after timeout.
// A process that already exited is not an error: ControllerManagerErr
// reports it while the cluster runs.
func (cm *controllerManager) stop(timeout time.Duration) error {
	select {
	case <-cm.exited:
		return nil
	default:
	}
	if err := terminate(cm.cmd.Process); err != nil {
		_ = cm.cmd.Process.Kill()
	}
	select {
	case <-cm.exited:
		return nil
	case <-time.After(timeout):
		_ = cm.cmd.Process.Kill()
		<-cm.exited
		return fmt.Errorf("kube-controller-manager did not stop within %v; killed", timeout)
	}
}

// tail returns the last n lines of the file at path, or why it cannot.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
