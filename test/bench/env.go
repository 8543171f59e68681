package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/webhook"

	"github.com/scaleup-operator/scaleup-operator/api/v1alpha1"
	webhookv1alpha1 "github.com/scaleup-operator/scaleup-operator/internal/webhook/v1alpha1"
	"github.com/scaleup-operator/scaleup-operator/test/utils/localcp"
)

var scheme = runtime.NewScheme()

func init() {
	utilruntime.Must(clientgoscheme.AddToScheme(scheme))
	utilruntime.Must(v1alpha1.AddToScheme(scheme))
}

// unthrottled returns a copy of cfg without client-side rate limiting, as
// controller-runtime configures the manager: the API server's priority and
// fairness is the only limit, for the harness as for the operator.
func unthrottled(cfg *rest.Config) *rest.Config {
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = -1, 0
	return cfg
}

// inProcess is a controller-runtime manager inside the harness that serves
// the operator's admission webhooks (objects cannot be created while the
// operator is stopped without them) and, for the naive baseline, runs the
// naive controllers.
type inProcess struct {
	cancel context.CancelFunc
	done   chan error
	writes *atomic.Int64 // write requests its client sent
	naive  naiveNames    // its naive controllers, if it runs them
}

// startInProcess starts the manager and returns once its webhooks serve.
// With a naiveNamespace, it runs the naive controllers over that namespace
// only; with "", it serves the webhooks alone.
func startInProcess(ctx context.Context, cfg *rest.Config, cluster *localcp.Cluster, naiveNamespace string) (*inProcess, error) {
	p := &inProcess{done: make(chan error, 1), writes: &atomic.Int64{}}
	cfg = unthrottled(cfg)
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { return countWrites{next: rt, n: p.writes} })
	cacheOptions := cache.Options{}
	if naiveNamespace != "" {
		cacheOptions.DefaultNamespaces = map[string]cache.Config{naiveNamespace: {}}
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                 scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Cache:                  cacheOptions,
		WebhookServer: webhook.NewServer(webhook.Options{
			Host: localcp.Host, Port: cluster.WebhookPort, CertDir: cluster.WebhookCertDir,
		}),
	})
	if err != nil {
		return nil, err
	}
	if err := webhookv1alpha1.Setup(mgr, webhookv1alpha1.Options{}); err != nil {
		return nil, err
	}
	if naiveNamespace != "" {
		p.naive = nextNaiveNames()
		if err := setupNaive(mgr, p.naive); err != nil {
			return nil, err
		}
	}
	var runCtx context.Context
	runCtx, p.cancel = context.WithCancel(ctx)
	go func() { p.done <- mgr.Start(runCtx) }()
	started := mgr.GetWebhookServer().StartedChecker()
	deadline := time.Now().Add(time.Minute)
	for started(nil) != nil {
		select {
		case err := <-p.done:
			return nil, fmt.Errorf("the in-process manager stopped: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = p.stop()
			return nil, errors.New("the in-process webhook server did not start within a minute")
		}
	}
	return p, nil
}

func (p *inProcess) stop() error {
	p.cancel()
	return <-p.done
}

// countWrites counts the requests that change objects.
type countWrites struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (c countWrites) RoundTrip(req *http.Request) (*http.Response, error) {
	switch req.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		c.n.Add(1)
	}
	return c.next.RoundTrip(req)
}

// createNamespace creates ns.
func createNamespace(ctx context.Context, c client.Client, ns string) error {
	return c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
}

// deleteNamespace deletes ns and waits until kube-controller-manager's
// namespace controller has removed it and everything in it, so that the
// next phase measures an API server that is not busy deleting.
func deleteNamespace(ctx context.Context, c client.Client, ns string, timeout time.Duration) error {
	obj := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}
	if err := c.Delete(ctx, obj); client.IgnoreNotFound(err) != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	for {
		err := c.Get(ctx, client.ObjectKeyFromObject(obj), obj)
		if apierrors.IsNotFound(err) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("namespace %s still there after %v (phase %s)", ns, timeout, obj.Status.Phase)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}
