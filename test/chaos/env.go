package chaos

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

var scheme = runtime.NewScheme()

func init() {
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(v1alpha1.AddToScheme(scheme))
	// The admin client logs the admission warnings it gets (a target
	// created a moment before its source) through controller-runtime's
	// logger; the scenarios read outcomes, not logs.
	ctrllog.SetLogger(logr.Discard())
}

// auditPolicy logs every write to the operator's kinds, with who sent it
// and when: the leader scenario counts writes per identity from it.
const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  verbs: [create, update, patch, delete]
  resources: [{group: growth.scaleup.io}]
- level: None
`

// env is one control plane, the manager binary and a client that acts as
// the cluster admin (and as the people who edit tasks).
type env struct {
	root     string
	dir      string
	cluster  *localcp.Cluster
	binary   string
	config   *rest.Config
	client   client.WithWatch
	work     *workload
	progress func(format string, args ...any)
}

// startEnv starts the control plane with an audit log, builds the manager
// and creates the sample model every scenario's targets refer to.
func startEnv(ctx context.Context, cfg Config) (*env, error) {
	root, err := localcp.RepoRoot()
	if err != nil {
		return nil, err
	}
	dir := cfg.Dir
	if dir == "" {
		dir = filepath.Join(root, "bin", "chaos")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	e := &env{root: root, dir: dir, binary: filepath.Join(dir, "manager"), progress: cfg.progressf}
	if e.work, err = loadWorkload(root); err != nil {
		return nil, err
	}
	e.progress("building the manager")
	if err := localcp.BuildManager(ctx, root, e.binary); err != nil {
		return nil, err
	}
	policy := filepath.Join(dir, "audit-policy.yaml")
	if err := os.WriteFile(policy, []byte(auditPolicy), 0o644); err != nil {
		return nil, err
	}
	e.progress("starting the control plane")
	e.cluster, err = localcp.Start(localcp.Options{
		Dir:         filepath.Join(dir, "cluster"),
		CRDDir:      filepath.Join(root, "config", "crd", "bases"),
		WebhookDir:  filepath.Join(root, "config", "webhook"),
		AuditPolicy: policy,
	})
	if err != nil {
		return nil, err
	}
	if e.config, err = clientcmd.BuildConfigFromFlags("", e.cluster.Kubeconfig); err != nil {
		_ = e.stop()
		return nil, err
	}
	e.config.QPS, e.config.Burst = -1, 0 // the API server's fairness is the limit
	if e.client, err = client.NewWithWatch(e.config, client.Options{Scheme: scheme}); err != nil {
		_ = e.stop()
		return nil, err
	}
	// The model's webhook is served by a manager; created with the first
	// scenario's manager running, see ensureModel.
	return e, nil
}

func (e *env) stop() error { return e.cluster.Stop() }

// startManager starts a manager process logging to <dir>/<name>.log. Every
// manager may poll loopback sources (the flapping provider); with leader
// election, its lease is in namespace ns, so scenarios do not share one.
func (e *env) startManager(name, ns string, o localcp.ManagerOptions) (*localcp.Manager, error) {
	o.Binary = e.binary
	o.Log = filepath.Join(e.dir, name+".log")
	_ = os.Remove(o.Log)
	o.Args = append([]string{
		"--metric-source-allow-cidrs=127.0.0.0/8",
		"--leader-elect-namespace=" + ns,
	}, o.Args...)
	m, err := e.cluster.StartManager(o)
	if err != nil {
		return nil, fmt.Errorf("manager %s: %w", name, err)
	}
	return m, nil
}

// ensureModel creates the shared model once; its webhook needs a manager.
func (e *env) ensureModel(ctx context.Context) error {
	model := e.work.model.DeepCopy()
	err := e.client.Create(ctx, model)
	if err == nil || isAlreadyExists(err) {
		return nil
	}
	return fmt.Errorf("creating MaturityModel %s: %w", model.Name, err)
}

func (e *env) createNamespace(ctx context.Context, ns string) error {
	err := e.client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
	if isAlreadyExists(err) {
		return nil
	}
	return err
}

// waitFor polls check every 200 ms until it returns done, an error, or the
// timeout passes. The timeout guards against a hang; it is never the thing
// a scenario checks. On timeout the error carries the last state check
// described.
func waitFor(ctx context.Context, timeout time.Duration, what string, check func(ctx context.Context) (done bool, state string, err error)) error {
	deadline := time.Now().Add(timeout)
	var state string
	for {
		done, s, err := check(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if done {
			return nil
		}
		state = s
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not after %v (%s)", what, timeout, state)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w (%s)", what, ctx.Err(), state)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
