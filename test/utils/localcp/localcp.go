// Package localcp starts a local Kubernetes control plane (etcd and
// kube-apiserver through envtest, and kube-controller-manager with the
// garbage collector and the namespace controller when the assets dir holds
// it) with the project's CRDs and webhook configurations installed, for a
// manager that runs as a separate process. hack/localcluster (make
// cluster-up, make demo) and the e2e suite both use it, so there is one way
// to bring the control plane up.
//
// Start writes into the state directory:
//
//	kubeconfig     an admin (system:masters) kubeconfig
//	webhook.env    WEBHOOK_HOST, WEBHOOK_PORT, WEBHOOK_CERT_DIR, shell-sourceable
//	webhook-certs/ tls.crt and tls.key, signed by the CA the webhook
//	               configurations trust
//	kube-controller-manager.log
//	               its log (kept after Stop)
//
// The webhook configurations point at https://127.0.0.1:<free port>/..., the
// address the manager must serve its webhooks on (see ManagerArgs).
package localcp

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Host is the address the webhook configurations point at.
const Host = "127.0.0.1"

// Names of the files Start writes into the state directory.
const (
	KubeconfigFile = "kubeconfig"
	WebhookEnvFile = "webhook.env"
	CertDirName    = "webhook-certs"
)

// Options configures Start.
type Options struct {
	// Dir is the state directory; created when missing.
	Dir string
	// CRDDir holds the CRD manifests; it must exist.
	CRDDir string
	// WebhookDir holds webhook configuration manifests. When it is empty or
	// holds none, no webhook configuration is installed (certificates and a
	// port are still prepared, so the manager starts the same way).
	WebhookDir string
	// AssetsDir holds kube-apiserver, etcd and kubectl, and optionally
	// kube-controller-manager; $KUBEBUILDER_ASSETS when empty.
	AssetsDir string
	// EtcdNoFsync runs etcd with --unsafe-no-fsync. The scale harness uses
	// it: on a shared disk, etcd's fsyncs would otherwise set every
	// figure, where a cluster's etcd has a dedicated SSD.
	EtcdNoFsync bool
	// AuditPolicy, when set, is an audit policy file: the apiserver logs
	// the requests it selects to Cluster.AuditLog, one JSON event per line,
	// before it answers them (the log backend's blocking mode).
	AuditPolicy string
}

// Cluster is a running control plane.
type Cluster struct {
	Env *envtest.Environment
	// Dir is the absolute state directory.
	Dir string
	// Kubeconfig is the path of the admin kubeconfig.
	Kubeconfig string
	// Kubectl is the path of the kubectl binary next to the control plane.
	Kubectl string
	// WebhookPort and WebhookCertDir are what the manager must serve on.
	WebhookPort    int
	WebhookCertDir string
	// Webhooks is the number of webhook configurations installed.
	Webhooks int
	// ControllerManager is true when Start started kube-controller-manager
	// (ControllerManagerErr says whether it still runs), and
	// ControllerManagerLog is its log.
	ControllerManager    bool
	ControllerManagerLog string
	// AuditLog is the apiserver's audit log when Options.AuditPolicy was set.
	AuditLog string

	cm *controllerManager
}

// Start starts the control plane and writes the state files. On error
// nothing is left running.
func Start(o Options) (*Cluster, error) {
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	if o.AssetsDir == "" {
		o.AssetsDir = os.Getenv("KUBEBUILDER_ASSETS")
	}
	if o.AssetsDir == "" {
		return nil, errors.New("KUBEBUILDER_ASSETS is not set (run hack/k8s-assets.sh)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	c := &Cluster{
		Dir:            dir,
		Kubeconfig:     filepath.Join(dir, KubeconfigFile),
		Kubectl:        filepath.Join(o.AssetsDir, "kubectl"),
		WebhookCertDir: filepath.Join(dir, CertDirName),
	}
	c.removeState() // a previous run's files must not look like this one's
	var hookPaths []string
	if o.WebhookDir != "" {
		n, err := CountWebhookConfigs(o.WebhookDir)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			hookPaths, c.Webhooks = []string{o.WebhookDir}, n
		}
	}
	c.Env = &envtest.Environment{
		BinaryAssetsDirectory: o.AssetsDir,
		CRDDirectoryPaths:     []string{o.CRDDir},
		ErrorIfCRDPathMissing: true,
		WebhookInstallOptions: envtest.WebhookInstallOptions{
			Paths:               hookPaths,
			LocalServingHost:    Host,
			LocalServingCertDir: c.WebhookCertDir,
		},
	}
	if o.EtcdNoFsync {
		etcd := &envtest.Etcd{}
		etcd.Configure().Append("unsafe-no-fsync", "true")
		c.Env.ControlPlane.Etcd = etcd
	}
	if o.AuditPolicy != "" {
		c.AuditLog = filepath.Join(dir, "audit.log")
		_ = os.Remove(c.AuditLog) // an earlier run's
		c.Env.ControlPlane.GetAPIServer().Configure().
			Set("audit-policy-file", o.AuditPolicy).
			Set("audit-log-path", c.AuditLog).
			Set("audit-log-mode", "blocking")
	}
	if _, err := c.Env.Start(); err != nil {
		_ = c.Env.Stop() // Start may fail after etcd and the apiserver came up
		c.removeState()
		return nil, err
	}
	if err := c.writeState(); err != nil {
		_ = c.Stop()
		return nil, err
	}
	if err := c.startControllerManager(o.AssetsDir); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

// UserKubeconfig writes a kubeconfig for a cluster admin (system:masters)
// named user into the state directory and returns its path: processes given
// different users tell apart in the audit log.
func (c *Cluster) UserKubeconfig(user string) (string, error) {
	u, err := c.Env.AddUser(envtest.User{Name: user, Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return "", fmt.Errorf("adding user %s: %w", user, err)
	}
	kubeconfig, err := u.KubeConfig()
	if err != nil {
		return "", err
	}
	path := filepath.Join(c.Dir, "kubeconfig-"+user)
	return path, os.WriteFile(path, kubeconfig, 0o600)
}

// writeState writes the kubeconfig, the webhook certificates and webhook.env.
func (c *Cluster) writeState() error {
	user, err := c.Env.AddUser(envtest.User{Name: "admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return fmt.Errorf("adding the admin user: %w", err)
	}
	kubeconfig, err := user.KubeConfig()
	if err != nil {
		return err
	}
	if err := os.WriteFile(c.Kubeconfig, kubeconfig, 0o600); err != nil {
		return err
	}
	// envtest generates the serving certificate into a temporary directory of
	// its own (it ignores LocalServingCertDir) and deletes it on Stop: copy
	// the pair to the fixed place webhook.env names.
	wo := &c.Env.WebhookInstallOptions
	c.WebhookPort = wo.LocalServingPort
	if wo.LocalServingCertDir != c.WebhookCertDir {
		if err := os.MkdirAll(c.WebhookCertDir, 0o700); err != nil {
			return err
		}
		for _, f := range []string{"tls.crt", "tls.key"} {
			b, err := os.ReadFile(filepath.Join(wo.LocalServingCertDir, f))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(c.WebhookCertDir, f), b, 0o600); err != nil {
				return err
			}
		}
	}
	env := fmt.Sprintf("WEBHOOK_HOST=%s\nWEBHOOK_PORT=%d\nWEBHOOK_CERT_DIR=%s\n",
		Host, c.WebhookPort, shellQuote(c.WebhookCertDir))
	return os.WriteFile(filepath.Join(c.Dir, WebhookEnvFile), []byte(env), 0o644)
}

// shellQuote quotes s in single quotes for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ManagerArgs are the manager flags that connect it to this control plane
// and serve its webhooks where the webhook configurations point.
func (c *Cluster) ManagerArgs() []string {
	return []string{
		"--kubeconfig=" + c.Kubeconfig,
		"--webhook-host=" + Host,
		"--webhook-port=" + strconv.Itoa(c.WebhookPort),
		"--webhook-cert-path=" + c.WebhookCertDir,
	}
}

// Stop stops kube-controller-manager, then etcd and the apiserver, and
// removes the state files.
func (c *Cluster) Stop() error {
	var cmErr error
	if c.cm != nil {
		cmErr = c.cm.stop(controllerManagerStopTimeout)
	}
	err := c.Env.Stop()
	c.removeState()
	return errors.Join(cmErr, err)
}

func (c *Cluster) removeState() {
	_ = os.Remove(c.Kubeconfig)
	_ = os.Remove(filepath.Join(c.Dir, WebhookEnvFile))
	_ = os.RemoveAll(c.WebhookCertDir)
}

// webhookKind matches the kind line of a webhook configuration, in YAML or JSON.
var webhookKind = regexp.MustCompile(`(?m)(^kind:\s*|"kind":\s*")(Validating|Mutating)WebhookConfiguration\b`)

// CountWebhookConfigs counts the webhook configurations in the YAML and JSON
// files of dir (0 when dir does not exist). A kustomization or a Service
// alone, as in config/webhook before controller-gen ran, counts 0.
func CountWebhookConfigs(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		switch filepath.Ext(e.Name()) {
		case ".yaml", ".yml", ".json":
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				return 0, err
			}
			n += len(webhookKind.FindAll(b, -1))
		}
	}
	return n, nil
}

// FreePort returns a TCP port on Host that is free right now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(Host, "0"))
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// RepoRoot is the first directory at or above the working directory that
// holds a go.mod: the repository root, for tests and harnesses run from
// anywhere inside it.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
